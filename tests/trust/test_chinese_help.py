"""Every --help is Chinese, the parser's own words included; frameworks list fits 80 columns."""

from __future__ import annotations

import re

import pytest

from jixiao.cli import main

COMMANDS = [
    [],
    ["score"],
    ["template"],
    ["review"],
    ["verify"],
    ["report"],
    ["batch"],
    ["frameworks"],
    ["frameworks", "list"],
    ["frameworks", "import"],
    ["frameworks", "export"],
]
ENGLISH = (
    "Show this message",
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "[required]",
    "<bool>",
    "<path>",
    "<str>",
    "[OPTIONS]",
    "default:",
)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "jixiao")
def test_help_is_chinese(command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    for word in ENGLISH:
        assert word not in out, (word, out)
    assert "用法：" in out


def test_missing_argument_is_chinese(capsys):
    assert main(["score"]) == 2
    assert "缺少参数 sheet" in capsys.readouterr().err


def test_frameworks_list_fits_80_columns(capsys, monkeypatch):
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    assert main(["frameworks", "list"]) == 0
    out = capsys.readouterr().out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "shaoguan-2023" in out and re.search(r"韶关市", out)
