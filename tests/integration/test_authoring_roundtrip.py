"""Every shipped framework survives export → import, and YAML dump → load, unchanged."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from jixiao.authoring.exporter import write_table
from jixiao.authoring.importer import ImportOptions, import_table
from jixiao.authoring.yamlout import dump_framework
from jixiao.framework.load import parse_framework
from tests.conftest import FRAMEWORKS

SHIPPED = sorted(FRAMEWORKS.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_framework(path, tmp_path):
    fw = parse_framework(path.read_bytes(), source=path)
    table = tmp_path / "table.xlsx"
    write_table(fw, table)
    result = import_table(table, ImportOptions())
    assert result.findings == []
    assert result.framework == fw


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_yaml_written_by_jixiao_reads_back_the_same(path):
    fw = parse_framework(path.read_bytes(), source=path)
    text = dump_framework(fw, ["注释"])
    assert parse_framework(text) == fw
    assert text.startswith("# yaml-language-server: $schema=")
    assert "\\u" not in text  # Chinese kept readable


def test_a_changed_table_imports_as_the_changed_framework(shaoguan, tmp_path):
    """Editing the exported table in Excel is how a maintainer makes next year's framework."""
    table = tmp_path / "t.xlsx"
    write_table(shaoguan.framework, table)
    wb = load_workbook(table)
    ws = wb["指标体系表"]
    cells = {ws.cell(r, c).value: (r, c) for r in range(1, ws.max_row + 1) for c in (1, 2)}
    r, _ = cells["预算编制"]
    ws.cell(r, 2).value = "预算编制与调整"
    r2, _ = cells["运行成本"]
    ws.cell(r2, 3).value = 6
    r3, _ = cells["信息公开"]
    ws.cell(r3, 3).value = 5
    wb.save(table)
    info = wb["框架信息"]
    old_row = next(r for r in range(1, info.max_row + 1) if info.cell(r, 1).value == "管理效率／预算编制")
    result = import_table(table)
    # The 框架信息 sheet still names the old indicator: the import says where.
    assert [(f.code, f.position.sheet, f.cell) for f in result.findings] == [
        ("framework-info-invalid", "框架信息", f"A{old_row}")
    ]
    assert "管理效率／预算编制" in result.findings[0].message
    info.cell(old_row, 1).value = "管理效率／预算编制与调整"
    wb.save(table)
    fw = import_table(table).framework
    names = [n.name for n in fw.indicators[1].children]
    assert names[0] == "预算编制与调整"
    points = {n.name: n.points for n in fw.indicators[1].children}
    assert (points["运行成本"], points["信息公开"]) == (6, 5)


def test_export_merges_level_cells_and_prints_on_a4(shaoguan, tmp_path):
    table = tmp_path / "t.xlsx"
    write_table(shaoguan.framework, table)
    ws = load_workbook(table)["指标体系表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 履职效能 (row 4) spans its two children; 管理效率 (row 7) spans its seven.
    assert {"A4:A6", "A7:A14"} <= merged
    assert [ws.cell(3, c).value for c in range(1, 5)] == ["一级指标", "二级指标", "分值", "备注"]
    assert ws.cell(15, 1).value == "合计" and ws.cell(15, 3).value == 100
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"


def test_export_writes_sheet_text_as_text(tmp_path, shaoguan):
    fw = shaoguan.framework.model_copy(update={"title": '=HYPERLINK("x")'})
    table = tmp_path / "t.xlsx"
    write_table(fw, table)
    cell = load_workbook(table)["框架信息"]["B5"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
