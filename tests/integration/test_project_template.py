"""The generated 项目支出绩效自评表: filled in as a person would, it scores with no findings, and
LibreOffice computes the same 执行率 score, 总分 and 等级 as jixiao."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from openpyxl import load_workbook

from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from jixiao.write.template import write_template
from tests.builders import PROJECT_ROWS
from tests.conftest import convert_with_soffice

FRAMEWORK = "mof-project-2020"


def fill(template: Path, out: Path, rows=None) -> Path:
    """Type the compact sheet's funds and 三级 rows into the template's input cells."""
    wb = load_workbook(template)
    ws = wb["项目支出绩效自评表"]
    ws["C6"], ws["D6"], ws["E6"] = 200, 180, 171.9
    starts = {ws.cell(r, 3).value: r for r in range(13, ws.max_row + 1) if ws.cell(r, 3).value}
    used: dict[str, int] = {}
    for _, second, *values in rows or PROJECT_ROWS[4:]:
        r = starts[second] + used.get(second, 0)
        used[second] = used.get(second, 0) + 1
        for c, value in enumerate(values, start=4):
            ws.cell(r, c).value = value
    wb.save(out)
    return out


def template(tmp_path: Path) -> Path:
    out = tmp_path / "template.xlsx"
    write_template(load_framework(FRAMEWORK).framework, out)
    return out


def test_template_layout_is_the_official_form(tmp_path):
    ws = load_workbook(template(tmp_path))["项目支出绩效自评表"]
    assert [ws.cell(5, c).value for c in range(3, 9)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert [ws.cell(12, c).value for c in range(1, 10)] == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    assert ws["F6"].value == 10
    assert ws["H6"].value == '=IF(N(D6)=0,"",ROUND(MIN(E6/D6,1)*F6,2))'
    seconds = [ws.cell(r, 3).value for r in range(13, ws.max_row + 1) if ws.cell(r, 3).value]
    assert seconds == [
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
    ]


def test_filled_template_scores_without_findings(tmp_path):
    ev = score_file(fill(template(tmp_path), tmp_path / "filled.xlsx"))
    assert ev.framework.id == FRAMEWORK
    assert ev.findings == []
    assert (ev.result.total, ev.result.grade) == (D("94.46"), "优")
    assert ev.result.find("预算执行率").cell == "H6"


def test_empty_template_reports_what_is_missing(tmp_path):
    ev = score_file(template(tmp_path), FRAMEWORK)
    assert ev.result is None
    assert sorted((f.code, f.cell) for f in ev.findings) == [
        ("indicator-missing", None),
        ("indicator-missing", None),
        ("indicator-missing", None),
        ("rule-input-missing", "E6"),
    ]


def test_libreoffice_computes_what_jixiao_computes(tmp_path, soffice):
    filled = fill(template(tmp_path), tmp_path / "filled.xlsx")
    outdir = tmp_path / "lo"
    outdir.mkdir()
    recalculated = convert_with_soffice(soffice, filled, "xlsx", outdir)
    ws = load_workbook(recalculated, data_only=True)["项目支出绩效自评表"]
    total_row = next(r for r in range(13, ws.max_row + 1) if ws.cell(r, 1).value == "总分")
    ev = score_file(recalculated)
    assert D(str(ws["H6"].value)) == ev.result.find("预算执行率").score == D("9.55")
    assert D(str(ws.cell(total_row, 8).value)) == ev.result.total == D("94.46")
    assert ws.cell(total_row + 1, 1).value == "等级：优"
    # Read back after calculation: the 执行率, 总分 and 等级 cells agree with jixiao.
    assert ev.findings == []
