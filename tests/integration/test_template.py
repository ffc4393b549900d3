"""The fillable worksheet: filled in, it scores without findings, and its live formulas (as
LibreOffice computes them) agree with jixiao."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from jixiao.write.template import write_template
from tests.conftest import convert_with_soffice

SHAOGUAN_SCORES = {
    "整体效能": 22.31,
    "专项效能": 23,
    "预算编制": 5,
    "预算执行": 8,
    "信息公开": 4,
    "绩效管理": 10,
    "采购管理": 10,
    "资产管理": 9.5,
    "运行成本": 7,
}
GUANGZHOU = {  # 二级: (分值 typed by the department, 自评得分)
    "资金管理": (12, 11.45),
    "采购管理": (6, 5.5),
    "信息公开管理": (6, 6),
    "资产管理": (8, 7.5),
    "成本管理": (8, 6.16),
    "绩效管理": (10, 7.28),
    "服务科技工作者": (10, 10),
    "服务创新驱动发展战略": (12, 12),
    "服务公民科学素质": (12, 12),
    "服务党和政府科学决策": (6, 6),
    "发展高等职业教育": (10, 10),
    "加减分项": (None, 0),
}


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[3] if c.value}


def fill(path: Path, values: dict[str, tuple[float | None, float]], unit: str) -> Path:
    wb = load_workbook(path)
    ws = wb["自评表"]
    cols = _columns(ws)
    ws["B2"] = unit
    for row in ws.iter_rows(min_row=4):
        names = [c.value for c in row[: cols["分值"] - 1] if isinstance(c.value, str)]
        if names and names[-1] in values:
            points, score = values[names[-1]]
            if points is not None and row[cols["分值"] - 1].value is None:
                row[cols["分值"] - 1].value = points
            row[cols["自评得分"] - 1].value = score
            points = row[cols["分值"] - 1].value
            if isinstance(points, int | float) and score < points:
                row[cols["扣分原因"] - 1].value = "示例扣分原因"
    out = path.with_name(f"filled-{path.name}")
    wb.save(out)
    return out


def test_filled_shaoguan_template_scores_without_findings(tmp_path):
    template = tmp_path / "sg.xlsx"
    write_template(load_framework("shaoguan-2023").framework, template)
    filled = fill(template, {k: (None, v) for k, v in SHAOGUAN_SCORES.items()}, "韶关市科协")
    ev = score_file(filled)
    assert ev.framework.id == "shaoguan-2023"
    assert ev.findings == []
    assert (ev.result.total, ev.result.grade) == (D("98.81"), "优")
    assert ev.table.unit_name == "韶关市科协"


def test_filled_guangzhou_template_scores_without_findings(tmp_path):
    template = tmp_path / "gz.xlsx"
    write_template(load_framework("guangzhou-2021").framework, template)
    ev = score_file(fill(template, GUANGZHOU, "广州市科协"))
    assert ev.findings == []
    assert (ev.result.total, ev.result.find("管理效能").score) == (D("93.89"), D("43.89"))


def test_template_validation_and_print_settings(tmp_path):
    template = tmp_path / "sg.xlsx"
    write_template(load_framework("shaoguan-2023").framework, template)
    ws = load_workbook(template)["自评表"]
    rules = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    score_col = _columns(ws)["自评得分"]
    letter = get_column_letter(score_col)
    first_leaf = f"{letter}5"  # row 4 is the 履职效能 subtotal, row 5 整体效能
    assert rules[first_leaf] == ("decimal", "0", "23")
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert any(str(r).startswith("A4:A") for r in ws.merged_cells.ranges)


def _recalculated(soffice: str, filled: Path, outdir: Path):
    outdir.mkdir()
    out = convert_with_soffice(soffice, filled, "xlsx", outdir)
    return out, load_workbook(out, data_only=True)["自评表"]


def _total_row(ws) -> int:
    return next(c.row for c in ws["A"] if c.value == "合计")


def test_libreoffice_computes_what_jixiao_computes(tmp_path, soffice):
    template = tmp_path / "sg.xlsx"
    write_template(load_framework("shaoguan-2023").framework, template)
    filled = fill(template, {k: (None, v) for k, v in SHAOGUAN_SCORES.items()}, "韶关市科协")
    out, ws = _recalculated(soffice, filled, tmp_path / "lo")
    cols = _columns(ws)
    row = _total_row(ws)
    ev = score_file(filled)
    assert D(str(ws.cell(row=row, column=cols["自评得分"]).value)) == ev.result.total
    assert D(str(ws.cell(row=row, column=cols["得分率（%）"]).value)) == ev.result.rate
    assert ws.cell(row=row + 1, column=2).value == ev.result.grade == "优"
    subtotal = ws.cell(row=4, column=cols["自评得分"]).value
    assert D(str(subtotal)) == ev.result.find("履职效能").score
    # The recalculated file now carries cached subtotals, rates and grade: jixiao checks them
    # all against its own figures and finds nothing to report.
    again = score_file(out)
    assert again.findings == [] and again.result.total == ev.result.total


def test_libreoffice_guangzhou_with_department_points(tmp_path, soffice):
    template = tmp_path / "gz.xlsx"
    write_template(load_framework("guangzhou-2021").framework, template)
    filled = fill(template, GUANGZHOU, "广州市科协")
    _, ws = _recalculated(soffice, filled, tmp_path / "lo")
    cols = _columns(ws)
    row = _total_row(ws)
    assert D(str(ws.cell(row=row, column=cols["自评得分"]).value)) == D("93.89")
    assert ws.cell(row=row + 1, column=2).value == "优"


def test_half_filled_template_shows_no_grade(tmp_path, soffice):
    template = tmp_path / "sg.xlsx"
    write_template(load_framework("shaoguan-2023").framework, template)
    partial = {k: (None, v) for k, v in list(SHAOGUAN_SCORES.items())[:3]}
    _, ws = _recalculated(soffice, fill(template, partial, "x"), tmp_path / "lo")
    assert ws.cell(row=_total_row(ws) + 1, column=2).value == "（未填完）"


def test_libreoffice_weights_children_scored_per_100(tmp_path, soffice):
    """权重 × 百分制: the template's 一级 formula is the children's sum ÷ 100 × 权重, as jixiao's."""
    from jixiao.authoring.importer import import_table
    from jixiao.authoring.metadata import ImportOptions
    from jixiao.authoring.yamlout import dump_framework
    from tests.builders import write_sheet

    table = write_sheet(
        tmp_path / "体系.xlsx",
        [
            ["一级指标", "二级指标", "分值"],
            ["投入（30%）", "预算编制", 60],
            [None, "资金到位", 40],
            ["产出（权重70%）", "完成数量", 100],
        ],
        merges=["A2:A3"],
    )
    imported = import_table(table, ImportOptions(region="某市", year=2020, kind="项目支出"))
    assert imported.framework is not None
    fw_file = tmp_path / "weighted-2020.yaml"
    fw_file.write_text(dump_framework(imported.framework), encoding="utf-8")
    loaded = load_framework(fw_file)
    template = tmp_path / "w.xlsx"
    write_template(loaded.framework, template)
    scores = {"预算编制": (None, 54.5), "资金到位": (None, 40), "完成数量": (None, 81.3)}
    filled = fill(template, scores, "某单位")
    _, ws = _recalculated(soffice, filled, tmp_path / "lo")
    cols = _columns(ws)
    ev = score_file(filled, loaded)
    assert ev.findings == [] and (ev.result.total, ev.result.grade) == (D("85.26"), "良")
    row = _total_row(ws)
    assert D(str(ws.cell(row=row, column=cols["自评得分"]).value)) == ev.result.total
    first = next(c.row for c in ws["A"] if c.value == "投入")
    assert round(D(str(ws.cell(row=first, column=cols["自评得分"]).value)), 2) == ev.result.find("投入").score
    assert ws.cell(row=row + 1, column=2).value == "良"
