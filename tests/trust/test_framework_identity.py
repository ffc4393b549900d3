"""An edited export re-imported for a new year is a new framework, and ids are never ambiguous."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.errors import UsageError
from jixiao.framework.load import load_framework, shipped_dir


def _points_cell(ws, name: str):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == name:
                header = next(c.column for r in ws.iter_rows(max_row=6) for c in r if c.value == "分值")
                return ws.cell(cell.row, header)
    raise AssertionError(name)


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    table = tmp_path / "edited.xlsx"
    assert main(["frameworks", "export", "shaoguan-2023", "-o", str(table)]) == 0
    wb = load_workbook(table)
    ws = wb.worksheets[0]
    _points_cell(ws, "预算编制").value = 6
    _points_cell(ws, "运行成本").value = 6
    wb.save(table)
    return table


def _nodes(data):
    for node in data["indicators"]:
        yield node
        yield from node.get("children", [])


def test_reimport_for_a_new_year_takes_the_new_identity(edited: Path, tmp_path: Path, capsys):
    out = tmp_path / "shaoguan-2024.yaml"
    assert main(["frameworks", "import", str(edited), "-o", str(out), "--year", "2024"]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["id"] == "shaoguan-2024"
    assert data["version"] == "2024.1"
    assert data["year"] == 2024
    assert "2024" in data["title"] and "2023" not in data["title"]
    nodes = {n["name"]: n for n in _nodes(data)}
    assert "provenance" not in nodes["预算编制"] and "provenance" not in nodes["运行成本"]
    assert nodes["资产管理"]["provenance"] == "published"  # unchanged 分值 keep theirs
    assert "预算编制 的分值已改动（导出时 5，现为 6）" in capsys.readouterr().out


def test_id_option_wins(edited: Path, tmp_path: Path):
    out = tmp_path / "whatever.yaml"
    assert (
        main(["frameworks", "import", str(edited), "-o", str(out), "--id", "sg-2024", "--year", "2024"]) == 0
    )
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["id"] == "sg-2024"


def test_import_never_overwrites_a_shipped_framework(edited: Path, capsys):
    shipped = shipped_dir() / "shaoguan-2023.yaml"
    before = shipped.read_bytes()
    assert main(["frameworks", "import", str(edited), "-o", str(shipped), "--force"]) == 2
    assert shipped.read_bytes() == before
    assert "自带的评价框架" in capsys.readouterr().err


def test_two_frameworks_with_one_id_is_an_error_naming_both(tmp_path: Path, monkeypatch):
    extra = tmp_path / "extra"
    extra.mkdir()
    text = (shipped_dir() / "shaoguan-2023.yaml").read_text(encoding="utf-8")
    (extra / "my-copy.yaml").write_text(text, encoding="utf-8")  # states id: shaoguan-2023
    monkeypatch.setenv("JIXIAO_FRAMEWORKS", str(extra))
    with pytest.raises(UsageError) as e:
        load_framework("shaoguan-2023")
    assert "my-copy.yaml" in str(e.value) and "shaoguan-2023.yaml" in str(e.value)


def test_wrong_id_gets_a_suggestion(capsys):
    with pytest.raises(UsageError, match="是不是“shaoguan-2023”？"):
        load_framework("shaoguan-2032")
