"""The national 项目支出绩效自评表: funds block, target/actual rows, rules, findings, golden."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.scoring.pipeline import score_file
from tests.builders import project_sheet
from tests.conftest import SHEETS

FRAMEWORK = "mof-project-2020"


def codes(ev) -> list[tuple[str, str | None]]:
    return [(f.code, f.cell) for f in ev.findings]


@pytest.fixture
def sheet(tmp_path: Path):
    def make(changes=None, **kw):
        return score_file(project_sheet(tmp_path / "project.xlsx", changes, **kw), FRAMEWORK)

    return make


def test_example_sheet_golden_result():
    ev = score_file(SHEETS / "mof-project-2020-example.xlsx")
    r = ev.result
    assert ev.framework.id == FRAMEWORK and ev.framework_detected
    assert (r.total, r.rate, r.grade) == (D("94.46"), D("94.46"), "优")
    assert [(n.name, n.score) for n in r.indicators] == [
        ("预算执行率", D("9.55")),
        ("产出指标", D("47.91")),
        ("效益指标", D("27.00")),
        ("满意度指标", D("10.00")),
    ]
    assert r.find("预算执行率").cell == "H6"
    assert r.find("预算执行率").explanation == "执行率 171.9 ÷ 180 = 95.50% × 10 = 9.55"
    audience = r.find("产出指标", "数量指标", "科普活动受众人数")
    assert (audience.score, audience.explanation) == (
        D("8.53"),
        "完成率 1.28万人次 ÷ 1.5万人次 = 85.33% × 10 = 8.53",
    )
    cost = r.find("产出指标", "成本指标", "人均活动成本")
    assert (cost.score, cost.explanation) == (
        D("9.38"),
        "完成率（越低越好）目标 150元 ÷ 实际 160元 = 93.75% × 10 = 9.38",
    )
    reach = r.find("效益指标", "社会效益指标", "科普宣传覆盖面")
    assert reach.explanation == "定性：部分达成（分值的 [50%, 80%)，即 [5, 8) 分），自评得分 7 在档内"
    # 经济效益指标 and 生态效益指标 are optional and absent; 三级 rows are the project's own.
    assert [n.name for n in r.find("效益指标").children] == ["社会效益指标", "可持续影响指标"]
    assert all(n.from_sheet for n in r.walk() if n.level == 3)
    # The one shortfall without 偏差原因 is flagged at its reason cell.
    assert codes(ev) == [("shortfall-without-reason", "I17")]
    assert "160元" in ev.findings[0].message and "≤150元" in ev.findings[0].message


def test_compact_sheet_scores_clean(sheet):
    ev = sheet()
    assert (ev.result.total, ev.result.grade, ev.findings) == (D("94.46"), "优", [])


def test_missing_actual_is_a_finding_not_a_zero(sheet):
    ev = sheet({"E6": None, "G6": None})
    assert ev.result is None
    assert codes(ev) == [("rule-input-missing", "E6")]
    assert "实际完成值未填写" in ev.findings[0].message


def test_missing_actual_with_a_typed_score_uses_the_typed_score(sheet):
    ev = sheet({"E6": None})
    assert codes(ev) == [("rule-input-incomplete", "E6")]
    node = ev.result.find("产出指标", "数量指标", "科普活动受众人数")
    assert node.score == D("8.53") and "按填写的自评得分 8.53 计" in node.explanation


def test_typed_score_differing_from_the_rule(sheet):
    ev = sheet({"G6": 8.5})
    assert codes(ev) == [("rule-score-mismatch", "G6")]
    assert "8.5" in ev.findings[0].message and "8.53" in ev.findings[0].message
    assert ev.result.find("产出指标", "数量指标", "科普活动受众人数").score == D("8.53")
    assert ev.result.total == D("94.46")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        (5, []),
        (7.99, []),
        (8, [("qualitative-score-out-of-band", "G11")]),
        (4.99, [("qualitative-score-out-of-band", "G11")]),
    ],
)
def test_qualitative_score_must_lie_in_its_band(sheet, typed, found):
    ev = sheet({"G11": typed})
    assert codes(ev) == found
    assert (ev.result is None) is bool(found)


def test_qualitative_level_that_cannot_be_read(sheet):
    ev = sheet({"E11": "有所提升"})
    assert codes(ev) == [("qualitative-level-unknown", "E11")]
    assert ev.result.total == D("94.46")


def test_units_that_do_not_match(sheet):
    ev = sheet({"E9": "160人"})
    assert codes(ev) == [("rule-input-invalid", "E9")]
    assert "单位不同" in ev.findings[0].message


def test_shortfall_without_reason(sheet):
    ev = sheet({"H9": None})
    assert codes(ev) == [("shortfall-without-reason", "H9")]
    ev = sheet({"H6": None, "E6": "1.5万人次", "G6": 10})
    assert codes(ev) == []  # no shortfall, no reason needed


def test_funds_block(sheet):
    over = sheet({"E3": 190, "H3": 10})
    node = over.result.find("预算执行率")
    assert node.score == D(10) and "（满分为止）" in node.explanation
    assert codes(sheet({"F3": 8})) == [("points-mismatch", "F3")]
    missing = sheet({"E3": None, "H3": None})
    assert codes(missing) == [("rule-input-missing", "E3")] and missing.result is None
    typed = sheet({"E3": None})
    assert codes(typed) == [("rule-input-incomplete", "E3")] and typed.result.total == D("94.46")
    assert codes(sheet({"H3": 9.6})) == [("rule-score-mismatch", "H3")]


def test_reported_execution_rate(sheet, tmp_path):
    assert codes(sheet({"G3": "97%"})) == [("reported-execution-rate-mismatch", "G3")]
    assert codes(sheet({"G3": "96%"})) == []  # 95.5 written with no decimals is 96
    assert codes(sheet({"G3": "95.5%"})) == []
    formatted = score_file(
        project_sheet(tmp_path / "f.xlsx", {"G3": 0.955}, number_formats={"G3": "0.00%"}), FRAMEWORK
    )
    assert codes(formatted) == []


def test_percent_formatted_actual_cell(tmp_path):
    path = project_sheet(tmp_path / "p.xlsx", {"E8": 0.965}, number_formats={"E8": "0.0%"})
    ev = score_file(path, FRAMEWORK)
    assert codes(ev) == []
    assert "96.5%" in ev.result.find("产出指标", "时效指标", "项目按期完成率").explanation


def test_project_points_must_add_up_to_the_fixed_weights(sheet):
    ev = sheet({"F5": 12, "G5": 12})
    assert ev.result is None
    assert [(f.code, f.cell, f.path) for f in ev.findings] == [("children-points-sum", "A5", ("产出指标",))]
    assert ev.findings[0].message == "下级指标分值合计 52，应等于本指标分值 50"


def test_a_sheet_without_funds_block(tmp_path):
    from tests.builders import PROJECT_ROWS, write_sheet

    path = write_sheet(tmp_path / "nofunds.xlsx", [PROJECT_ROWS[0], *PROJECT_ROWS[3:]])
    ev = score_file(path, FRAMEWORK)
    assert ev.result is None
    assert [(f.code, f.cell, f.path) for f in ev.findings] == [("rule-input-missing", None, ("预算执行率",))]
    assert "资金情况（全年执行数、全年预算数）未填写" in ev.findings[0].message


def test_execution_rate_row_in_the_indicator_table_reads_the_funds_block(sheet):
    ev = sheet({"A14": "预算执行率", "F14": 10, "G14": 9.55})
    assert codes(ev) == [("shortfall-without-reason", "H14")]
    assert ev.findings[0].message == (
        "全年执行数 171.9 未达到全年预算数 180，但没有填写偏差原因分析及改进措施"
    )
    node = ev.result.find("预算执行率")
    assert (node.cell, node.score) == ("G14", D("9.55"))
    assert codes(sheet({"A14": "预算执行率", "F14": 10, "G14": 9.55, "H14": "年底支付延后"})) == []


def test_formula_without_value_and_error_values_in_inputs(sheet):
    ev = sheet({"E5": "=120+6"})
    assert codes(ev) == [("formula-without-value", "E5")] and ev.result is None
    ev = sheet({"E7": "#DIV/0!"})
    assert codes(ev) == [("cell-error-value", "E7")] and ev.result is None


def test_funds_in_named_cells(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.workbook.defined_name import DefinedName

    from tests.builders import PROJECT_ROWS, write_sheet

    rows = [["项目支出绩效自评表", None, "预算", 180, "执行", 171.9], *PROJECT_ROWS[3:]]
    path = write_sheet(tmp_path / "named.xlsx", rows)
    wb = load_workbook(path)
    wb.defined_names["全年预算数"] = DefinedName("全年预算数", attr_text="'评分表'!$D$1")
    wb["评分表"].defined_names["全年执行数"] = DefinedName("全年执行数", attr_text="'评分表'!$F$1")
    wb.save(path)
    ev = score_file(path, FRAMEWORK)
    assert codes(ev) == []
    node = ev.result.find("预算执行率")
    assert node.explanation == "执行率 171.9 ÷ 180 = 95.50% × 10 = 9.55"
    assert ev.result.total == D("94.46")
