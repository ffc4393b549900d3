"""``jixiao serve``: options, the token for other hosts, and the hint when the extra is missing."""

from __future__ import annotations

import sys

import pytest

from jixiao.cli import main


def test_missing_extra_says_how_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    assert main(["serve"]) == 2
    assert "pip install 'jixiao[web]'" in capsys.readouterr().err


@pytest.fixture
def ran(monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setenv("JIXIAO_FRAMEWORKS", "")
    return calls


def test_local_by_default_without_token(ran, tmp_path, capsys):
    assert main(["serve", "--data", str(tmp_path / "d"), "--port", "8123"]) == 0
    (call,) = ran
    assert call["host"] == "127.0.0.1" and call["port"] == 8123
    err = capsys.readouterr().err
    assert "http://127.0.0.1:8123/" in err and "token" not in err
    assert (tmp_path / "d" / "jixiao.sqlite3").exists()


def test_other_host_gets_a_generated_token(ran, tmp_path, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--data", str(tmp_path / "d")]) == 0
    err = capsys.readouterr().err
    assert "?token=" in err
    web = ran[0]["app"].state.web  # type: ignore[attr-defined]
    assert web.settings.token and web.settings.token in err and not web.settings.local_only


def test_data_folder_from_the_environment(ran, tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_DATA", str(tmp_path / "env-data"))
    assert main(["serve", "--token", "given"]) == 0
    assert (tmp_path / "env-data" / "jixiao.sqlite3").exists()
    assert ran[0]["app"].state.web.settings.token == "given"  # type: ignore[attr-defined]


def test_bad_limits_are_usage_errors(ran, tmp_path):
    assert main(["serve", "--data", str(tmp_path), "--max-files", "0"]) == 2
