"""No command writes over what it reads: not an input file, not a sheet inside a scanned folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli import main
from tests.builders import shaoguan_sheet


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "报送"
    d.mkdir()
    shaoguan_sheet(d / "某局.xlsx")
    shaoguan_sheet(d / "某单位.xlsx", {"D3": 20})
    return d


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_batch_summary_onto_a_sheet_in_the_folder_is_refused(folder: Path, capsys, force):
    target = folder / "某单位.xlsx"
    before = target.read_bytes()
    code = main(["batch", str(folder), "-o", str(target), "--no-progress", *force])
    assert code == 2
    assert target.read_bytes() == before
    assert "拒绝覆盖输入文件" in capsys.readouterr().err


def test_batch_summary_new_file_in_the_folder_is_fine(folder: Path):
    out = folder / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--no-progress"]) == 0
    # Writing it again over the earlier summary (a jixiao output, skipped by the batch) is allowed.
    assert main(["batch", str(folder), "-o", str(out), "--no-progress", "--force"]) == 0


@pytest.mark.parametrize("command", ["score", "report", "review"])
def test_other_commands_refuse_an_input_even_with_force(folder: Path, command: str):
    sheet = folder / "某局.xlsx"
    before = sheet.read_bytes()
    args = [command, str(sheet)]
    if command == "review":
        args = [command, str(sheet), str(folder / "某单位.xlsx")]
    target = folder / "某单位.xlsx" if command == "review" else sheet
    code = main([*args, "-o", str(target), "--force"])
    assert code == 2
    assert sheet.read_bytes() == before


def test_frameworks_import_refuses_its_table(tmp_path: Path):
    table = tmp_path / "表.xlsx"
    assert main(["frameworks", "export", "shaoguan-2023", "-o", str(table)]) == 0
    before = table.read_bytes()
    assert main(["frameworks", "import", str(table), "-o", str(table), "--force"]) == 2
    assert table.read_bytes() == before
