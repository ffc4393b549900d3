"""``score --json`` skips typer and rich; it must say exactly what the typer command says."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from jixiao.cli import fast, main
from tests.conftest import SHEETS

DEMO = str(SHEETS / "shaoguan-2023-kexie.xlsx")


@pytest.mark.parametrize(
    ("argv", "planned"),
    [
        (["score", "a.xlsx", "--json"], fast.ScoreJson("a.xlsx")),
        (["score", "--json", "a.xlsx", "-f", "x"], fast.ScoreJson("a.xlsx", "x")),
        (
            ["score", "a.xlsx", "--json", "--framework=x", "--sheet", "表"],
            fast.ScoreJson("a.xlsx", "x", "表"),
        ),
        (["score", "a.xlsx"], None),  # the terminal table: rich
        (["score", "a.xlsx", "--json", "-o", "r.xlsx"], None),
        (["score", "a.xlsx", "--json", "--help"], None),
        (["score", "a.xlsx", "b.xlsx", "--json"], None),
        (["score", "a.xlsx", "--json", "-f"], None),
        (["score", "a.xlsx", "--json", "-f", "x", "-f", "y"], None),
        (["batch", "a.xlsx", "--json"], None),
    ],
)
def test_plan(argv, planned):
    assert fast.plan(argv) == planned


def _without_time(text: str) -> dict:
    data = json.loads(text)
    data.get("provenance", {}).pop("produced_at", None)
    data.pop("produced_at", None)
    return data


def test_same_json_as_the_typer_command(capsys):
    assert main(["score", DEMO, "--json"]) == 0
    quick = capsys.readouterr().out
    from jixiao.cli.app import app

    assert app(args=["score", DEMO, "--json"], standalone_mode=False) == 0
    slow = capsys.readouterr().out
    assert _without_time(quick) == _without_time(slow)


def test_errors_keep_their_message_and_exit_code(tmp_path, capsys):
    assert main(["score", str(tmp_path / "无.xlsx"), "--json"]) == 1
    assert capsys.readouterr().err.startswith("错误：")
    assert main(["score", DEMO, "--json", "-f", "no-such-framework"]) == 2


def test_score_json_imports_neither_typer_nor_rich():
    code = (
        "import sys, io; from jixiao.cli import main; sys.stdout = io.StringIO(); "
        f"main(['score', {DEMO!r}, '--json']); "
        "bad = [m for m in ('typer', 'click', 'rich', 'openpyxl', 'numpy', 'pandas') if m in sys.modules]; "
        "sys.stdout = sys.__stdout__; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("indent", [2, None])
def test_streamed_json_is_dumps(indent):
    import io
    from decimal import Decimal

    from jixiao.write import jsonout

    data = {
        "a": [{"b": Decimal("98.50"), "c": [1, 2], "d": {}}, {"e": None, "f": "中文\n"}],
        "g": [],
        "h": {"i": [{"j": [{"k": True}]}]},
        "l": [1, "x"],
        "m": "值",
    }
    out = io.StringIO()
    jsonout.write(data, out, indent)
    assert out.getvalue() == jsonout.dumps(data, indent)
