"""``review --template``: the review worksheet, read back by ``review`` and recalculated by
LibreOffice."""

from __future__ import annotations

from decimal import Decimal as D

from openpyxl import load_workbook

from jixiao.reviewing.pipeline import review_sheet
from jixiao.scoring.pipeline import score_file
from jixiao.write.review_template import write_review_template
from tests.conftest import SHEETS, convert_with_soffice
from tests.review_builders import finance_framework, finance_sheet, scores_only

# Rows of the 韶关 worksheet: 履职效能 4 (整体效能 5, 专项效能 6), 管理效率 7 (8..14), 合计 15.
LEAF_ROWS = [5, 6, 8, 9, 10, 11, 12, 13, 14]


def _template(tmp_path, source=SHEETS / "shaoguan-2023-kexie.xlsx", framework=None):
    out = tmp_path / "review.xlsx"
    write_review_template(score_file(source, framework), out)
    return out


def _fill(path, values, reasons=None, column="E", reason_column="F"):
    wb = load_workbook(path)
    ws = wb["复核表"]
    for row, value in zip(LEAF_ROWS, values, strict=False):
        ws[f"{column}{row}"] = value
    for row, text in (reasons or {}).items():
        ws[f"{reason_column}{row}"] = text
    filled = path.with_name("filled.xlsx")
    wb.save(filled)
    return filled


def test_template_layout_and_protection(tmp_path):
    ws = load_workbook(_template(tmp_path))["复核表"]
    assert [ws.cell(3, c).value for c in range(1, 9)] == [
        "一级指标",
        "二级指标",
        "分值",
        "自评得分",
        "复核得分",
        "复核意见",
        "差额",
        "赋分方式",
    ]
    assert [ws.cell(r, 4).value for r in (5, 13)] == [22.31, 9.5]
    assert ws.protection.sheet is True
    # Self scores are locked; the reviewer's two columns are the only unlocked cells.
    assert ws["D5"].protection.locked and not ws["E5"].protection.locked
    assert not ws["F5"].protection.locked and ws["E4"].protection.locked
    validations = {str(dv.sqref): (dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert validations["E5"] == ("0", "23") and validations["E8"] == ("0", "5")
    assert ws["E15"].value.startswith("=IF(COUNT(E4,E7)<2")


def test_filled_template_reviews_like_the_figures_typed(tmp_path):
    values = [20.5, 23, 5, 8, 4, 10, 10, 9.5, 7]
    filled = _fill(_template(tmp_path), values, {5: "两项指标未完成"})
    review = review_sheet(filled)
    c = review.comparison
    assert (c.self_result.total, c.final_result.total, c.final_result.grade) == (D("98.81"), D("97.00"), "优")
    assert [(s.finding.code, s.finding.cell) for s in review.findings] == [("self-above-review", "E5")]


def test_template_formulas_match_jixiao_in_libreoffice(tmp_path, soffice):
    # Self 90.5 优 → review 88 良, entered into the worksheet; LibreOffice recalculates it.
    source = scores_only(tmp_path / "self.xlsx", [20, 20, 5, 8, 4, 10, 10, 6.5, 7])
    template = _template(tmp_path, source)
    filled = _fill(
        template,
        [20, 18, 5, 8, 4, 10, 10, 6, 7],
        {6: "未达标", 13: "卡片不全"},
        column="F",
        reason_column="G",
    )
    review = review_sheet(filled)
    c = review.comparison
    outdir = tmp_path / "lo"
    outdir.mkdir()
    recalculated = convert_with_soffice(soffice, filled, "xlsx", outdir)
    ws = load_workbook(recalculated, data_only=True)["复核表"]
    # Columns with the department's 扣分原因: D 自评得分, E 扣分原因, F 复核得分, H 差额.
    lines = {ln.path: ln for ln in c.lines}
    assert D(str(ws["D4"].value)) == lines[("履职效能",)].self_score == D("40.00")
    assert D(str(ws["F4"].value)) == lines[("履职效能",)].final_score == D("38.00")
    assert D(str(ws["F7"].value)) == lines[("管理效率",)].final_score == D("50.00")
    assert D(str(ws["D15"].value)) == c.self_result.total == D("90.50")
    assert D(str(ws["F15"].value)) == c.final_result.total == D("88.00")
    assert D(str(ws["H15"].value)) == c.final_result.total - c.self_result.total
    assert D(str(ws["H6"].value)) == lines[("履职效能", "专项效能")].delta == D("-2.00")
    assert ws["G16"].value == "自评等级：优；复核等级：良"
    assert c.grade_changed
    # The recalculated worksheet (with cached subtotals) still reads back without new findings.
    again = review_sheet(recalculated)
    assert again.comparison.final_result.total == D("88.00")
    assert [s.finding.code for s in again.findings] == [s.finding.code for s in review.findings]


def test_template_marks_finance_scored_indicators(tmp_path):
    fw = finance_framework(tmp_path)
    source = finance_sheet(tmp_path / "f.xlsx", [30, 30, 20, 20], [None] * 4)
    out = tmp_path / "review.xlsx"
    write_review_template(score_file(source, fw), out)
    ws = load_workbook(out)["复核表"]
    how = [(ws.cell(r, 1).value or ws.cell(r, 2).value, ws.cell(r, 9).value) for r in range(4, 10)]
    assert how == [
        ("预算管理", "单位自评"),
        ("预算编制", "单位自评"),
        ("预算执行率", "财政赋分"),
        ("履职效能", "单位自评"),
        ("产出", "单位自评"),
        ("效益", "单位自评"),
    ]
