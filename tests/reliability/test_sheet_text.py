"""Control characters in sheet text (Excel's ``_x001B_``) never reach a terminal or a file raw."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from jixiao.read import dispatch
from tests.builders import shaoguan_sheet

ESC_TITLE = "韶关市科协_x001B_[2J_x0007_ 绩效自评表"
OSC8_REASON = "_x001B_]8;;http://example.invalid/_x001B_\\点此_x001B_]8;;_x001B_\\ 说明_x0007_"


@pytest.fixture
def sheet(tmp_path) -> Path:
    return shaoguan_sheet(
        tmp_path / "ctl.xlsx",
        {"A1": ESC_TITLE, "F2": "扣分原因", "F3": OSC8_REASON, "F10": "资产_x001B_[31m红色_x000B_"},
    )


def test_the_reader_shows_control_characters_visibly(sheet):
    [g] = dispatch.load_grids(sheet)
    assert g.value(1, 1) == "韶关市科协␛[2J␇ 绩效自评表"
    assert "\x1b" not in str(g.rows) and "\x07" not in str(g.rows)
    [slow] = dispatch.load_grids(sheet, reader="openpyxl")
    assert "\x1b" not in str(slow.rows)


def test_visible_keeps_tabs_and_line_breaks():
    from jixiao.read.grid import visible

    assert visible("a\tb\nc\r\n") == "a\tb\nc\r\n"
    assert visible("\x1b\x7f\x9b") == "␛\u2421⟨U+009B⟩"
    assert visible("a\x80b\x85c\x9fd") == "a⟨U+0080⟩b⟨U+0085⟩c⟨U+009F⟩d"
    assert visible("\xa0¥é") == "\xa0¥é"  # printable Latin-1 is text


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ["score", "{sheet}", "-f", "shaoguan-2023"],
        ["score", "{sheet}", "-f", "shaoguan-2023", "--json"],
        ["score", "{sheet}", "-f", "shaoguan-2023", "-o", "{out}/r.xlsx"],
        ["review", "{sheet}", "-f", "shaoguan-2023", "--template", "-o", "{out}/t.xlsx"],
        ["report", "{sheet}", "-f", "shaoguan-2023", "-o", "{out}/r.docx"],
        ["report", "{sheet}", "-f", "shaoguan-2023", "-o", "{out}/r.md"],
        ["report", "{sheet}", "-f", "shaoguan-2023", "-o", "{out}/r.html"],
    ],
    ids=["terminal", "json", "score-o", "review-template", "docx", "md", "html"],
)
def test_no_command_crashes_or_passes_escapes_on(sheet, tmp_path, args):
    out = tmp_path / "out"
    out.mkdir()
    done = _run(*[a.format(sheet=sheet, out=out) for a in args])
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    for f in out.iterdir():
        data = f.read_bytes()
        if f.suffix == ".png":
            continue
        if f.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(f) as zf:
                data = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
        assert b"\x1b" not in data and b"\x07" not in data, f


def test_a_batch_with_control_characters_summarises_every_file(sheet, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    sheet.rename(folder / "a.xlsx")
    shaoguan_sheet(folder / "b.xlsx")
    done = _run("batch", str(folder), "-f", "shaoguan-2023", "-o", str(tmp_path / "s.xlsx"))
    assert "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "s.xlsx").exists(), done.stderr


C1_REASONS = {
    "F2": "扣分原因",
    "F3": "原因_x0085_说明_x009D_8;;",  # NEL, and OSC for a terminal that takes 8-bit controls
    "F10": "资产_x0080_管理",
}
C1_SCORE = {"D4": "23_x009B_2J"}  # CSI, quoted by the not-a-number finding


def test_c1_controls_are_shown_by_code_point_everywhere(tmp_path):
    """U+0080–U+009F are shown as ⟨U+0085⟩ on the terminal, in JSON and in the result workbook."""
    import json

    from openpyxl import load_workbook

    clean = shaoguan_sheet(tmp_path / "c1.xlsx", C1_REASONS)
    bad = shaoguan_sheet(tmp_path / "c1-bad.xlsx", {**C1_REASONS, **C1_SCORE})
    raw = ("\x80", "\x85", "\x9b", "\x9d", "\ufffd")

    terminal = _run("score", str(bad), "-f", "shaoguan-2023")
    assert "23⟨U+009B⟩2J" in terminal.stdout, terminal.stdout
    assert not any(ch in terminal.stdout + terminal.stderr for ch in raw)

    for sheet, expected in (
        (clean, ["原因⟨U+0085⟩说明⟨U+009D⟩8;;", "资产⟨U+0080⟩管理"]),
        (bad, ["23⟨U+009B⟩2J"]),
    ):
        data = json.loads(_run("score", str(sheet), "-f", "shaoguan-2023", "--json").stdout)
        text = json.dumps(data, ensure_ascii=False)
        assert all(e in text for e in expected), text
        assert not any(ch in text for ch in raw)

    for sheet, expected in ((clean, "原因⟨U+0085⟩说明⟨U+009D⟩8;;"), (bad, "23⟨U+009B⟩2J")):
        out = tmp_path / f"{sheet.stem}-result.xlsx"
        done = _run("score", str(sheet), "-f", "shaoguan-2023", "-o", str(out))
        assert out.exists(), done.stderr
        wb = load_workbook(out)
        cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert any(expected in c for c in cells), (sheet.name, expected)
        assert not any(ch in c for c in cells for ch in raw)
