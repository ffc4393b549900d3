"""Each rule kind at and around every boundary; reverse indicators, capping, zero floors."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.framework.rule_models import (
    ChecklistRule,
    DeductionRule,
    ProportionalRule,
    QualitativeRule,
    TargetActualRule,
    TiersRule,
)
from jixiao.rules.describe import describe_rule
from jixiao.rules.evaluate import RuleInputs, evaluate, parse_answers
from jixiao.rules.quantity import parse_quantity


def inputs(typed: object = None, **raw: object) -> RuleInputs:
    """Inputs as a sheet gives them: text or numbers by input name."""
    values = {k: q for k, v in raw.items() if (q := parse_quantity(v)) is not None}
    texts = {k: str(v) for k, v in raw.items() if v is not None}
    return RuleInputs(values, texts, None if typed is None else D(str(typed)))


PROPORTIONAL = ProportionalRule(kind="proportional")
FUNDS = ProportionalRule(kind="proportional", actual="spent", target="budget", label="执行率")


# -- proportional -------------------------------------------------------------------------------


def test_execution_rate_explanation():
    out = evaluate(FUNDS, D(10), inputs(spent="96.5", budget="100"))
    assert out.score == D("9.650")
    assert out.explanation == "执行率 96.5 ÷ 100 = 96.50% × 10 = 9.65"


@pytest.mark.parametrize(
    ("actual", "score", "shortfall"),
    [
        ("95", D(20), False),
        ("94.99", D(20) * D("94.99") / D(95), True),
        ("96", D(20), False),
        ("0", D(0), True),
    ],
)
def test_proportional_around_the_target(actual, score, shortfall):
    out = evaluate(PROPORTIONAL, D(20), inputs(target="95", actual=actual))
    assert out.score == score
    assert out.shortfall is shortfall


def test_proportional_caps_at_full_points():
    out = evaluate(PROPORTIONAL, D(10), inputs(target="≥120场", actual="126场"))
    assert out.score == D(10)
    assert out.explanation == "完成率 126场 ÷ 120场 = 105.00%（满分为止） × 10 = 10.00"


def test_proportional_with_wan_units():
    out = evaluate(PROPORTIONAL, D(10), inputs(target="≥1.5万人次", actual="12800人次"))
    assert out.score == D(10) * D(12800) / D(15000)
    assert out.explanation.endswith("= 85.33% × 10 = 8.53")


@pytest.mark.parametrize(
    ("actual", "score", "shortfall"),
    [
        ("150元", D(10), False),
        ("149.99元", D(10), False),
        ("160元", D("9.375"), True),
        ("300元", D(5), True),
    ],
)
def test_reverse_from_the_target_sign(actual, score, shortfall):
    out = evaluate(PROPORTIONAL, D(10), inputs(target="≤150元", actual=actual))
    assert out.score == score
    assert out.shortfall is shortfall


def test_reverse_stated_by_the_rule():
    rule = ProportionalRule(kind="proportional", reverse=True)
    assert evaluate(rule, D(10), inputs(target="20", actual="25")).score == D(8)
    assert evaluate(rule, D(10), inputs(target="20", actual="20")).score == D(10)


def test_zero_targets():
    assert evaluate(PROPORTIONAL, D(5), inputs(target="0", actual="0")).score == D(5)
    reverse = evaluate(PROPORTIONAL, D(5), inputs(target="≤0起", actual="2起"))
    assert (reverse.score, reverse.shortfall) == (D(0), True)
    assert evaluate(PROPORTIONAL, D(5), inputs(target="≤0起", actual="0起")).score == D(5)


def test_proportional_missing_bad_and_mismatched_inputs():
    assert evaluate(PROPORTIONAL, D(10), inputs(target="95%")).missing == ("实际完成值",)
    bad = evaluate(PROPORTIONAL, D(10), inputs(target="95%", actual="很好"))
    assert (bad.score, bad.problem) == (None, "实际完成值“很好”不是数值")
    units = evaluate(PROPORTIONAL, D(10), inputs(target="150元", actual="160人"))
    assert units.score is None and "单位不同" in units.problem


# -- tiers ----------------------------------------------------------------------------------------

KEY_SPENDING = TiersRule.model_validate(
    {
        "kind": "tiers",
        "label": "重点支出安排率",
        "unit": "%",
        "tiers": [
            {"range": "[90, )", "points": 5},
            {"range": "[80, 90)", "points": 4},
            {"range": "[70, 80)", "points": 3},
            {"range": "[60, 70)", "points": 2},
            {"range": "(, 60)", "points": 0},
        ],
    }
)
ADJUSTMENT = TiersRule.model_validate(
    {
        "kind": "tiers",
        "label": "预算调整率",
        "unit": "%",
        "otherwise": 0,
        "tiers": [
            {"range": "0", "points": 3},
            {"range": "(0, 10]", "points": 2},
            {"range": "(10, 20]", "points": 1},
            {"range": "(20, 30]", "points": "0.5"},
        ],
    }
)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("100%", 5),
        ("90%", 5),
        ("89.99%", 4),
        ("80%", 4),
        ("79.99%", 3),
        ("70%", 3),
        ("69.99%", 2),
        ("60%", 2),
        ("59.99%", 0),
        ("0%", 0),
    ],
)
def test_tiers_closed_below_open_above(value, points):
    assert evaluate(KEY_SPENDING, D(5), inputs(actual=value)).score == D(points)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0", "3"),
        ("0.01", "2"),
        ("10", "2"),
        ("10.01", "1"),
        ("20", "1"),
        ("20.01", "0.5"),
        ("30", "0.5"),
        ("30.01", "0"),
        ("-1", "0"),
    ],
)
def test_tiers_open_below_closed_above_and_a_point(value, points):
    assert evaluate(ADJUSTMENT, D(3), inputs(actual=value)).score == D(points)


def test_tier_explanation_and_out_of_every_tier():
    out = evaluate(KEY_SPENDING, D(5), inputs(actual="85%"))
    assert out.explanation == "重点支出安排率 85% 在 [80%, 90%) 档，得 4.00"
    no_otherwise = TiersRule.model_validate({**ADJUSTMENT.model_dump(), "otherwise": None})
    out = evaluate(no_otherwise, D(3), inputs(actual="31"))
    assert out.score is None and "不在任何档次内" in out.problem
    assert "单位" in evaluate(KEY_SPENDING, D(5), inputs(actual="85元")).problem


# -- deductions -----------------------------------------------------------------------------------

OVER = DeductionRule(
    kind="deduction", label="预算调整率", unit="%", threshold=D(10), per=D(1), deduct=D("0.5")
)


@pytest.mark.parametrize(
    ("value", "score"),
    [
        ("9.99", D(5)),
        ("10", D(5)),
        ("10.5", D("4.75")),
        ("11", D("4.5")),
        ("20", D(0)),
        ("19.99", D("0.005")),
        ("99", D(0)),
    ],
)
def test_deduction_per_point_over_a_threshold_stops_at_zero(value, score):
    assert evaluate(OVER, D(5), inputs(actual=value)).score == score


def test_deduction_whole_units():
    up = OVER.model_copy(update={"units": "whole_up"})
    down = OVER.model_copy(update={"units": "whole_down"})
    assert evaluate(up, D(5), inputs(actual="10.1")).score == D("4.5")
    assert evaluate(down, D(5), inputs(actual="10.9")).score == D(5)
    assert evaluate(down, D(5), inputs(actual="11")).score == D("4.5")


def test_deduction_per_occurrence_and_floor_explanation():
    rule = DeductionRule(kind="deduction", label="不符合要求的事项", deduct=D(1))
    out = evaluate(rule, D(3), inputs(actual="2"))
    assert (out.score, out.explanation) == (
        D(1),
        "不符合要求的事项 2，每个扣 1 分，扣 2，3 − 2 = 1.00",
    )
    out = evaluate(rule, D(3), inputs(actual="5"))
    assert out.score == D(0) and out.explanation.endswith("扣完为止，得 0")
    assert evaluate(rule, D(3), inputs(actual="0")).shortfall is False


def test_reverse_deduction_below_a_threshold_and_change_rates():
    below = DeductionRule(
        kind="deduction", label="满意度", unit="%", threshold=D(90), direction="below", deduct=D(1)
    )
    assert evaluate(below, D(10), inputs(actual="90%")).score == D(10)
    assert evaluate(below, D(10), inputs(actual="88%")).score == D(8)
    # 三公经费变动率 ≤ 0 full marks, then −0.3 per point.
    change = DeductionRule(kind="deduction", label="三公经费变动率", unit="%", deduct=D("0.3"))
    assert evaluate(change, D(3), inputs(actual="-5%")).score == D(3)
    assert evaluate(change, D(3), inputs(actual="0%")).score == D(3)
    assert evaluate(change, D(3), inputs(actual="2%")).score == D("2.4")


# -- checklists -----------------------------------------------------------------------------------

CHECKLIST = ChecklistRule.model_validate(
    {
        "kind": "checklist",
        "items": [
            {"name": "制度健全", "points": 1},
            {"name": "执行有效", "points": 1},
            {"name": "公开及时", "points": 1},
        ],
    }
)


@pytest.mark.parametrize(
    ("answers", "score"),
    [("是,否,是", D(2)), ("①√②×③√", D(2)), ("1/1/1", D(3)), ("否 否 否", D(0)), ("是是否", D(2))],
)
def test_checklist_answers(answers, score):
    assert evaluate(CHECKLIST, D(3), inputs(actual=answers)).score == score


def test_checklist_explanation_and_bad_answers():
    out = evaluate(CHECKLIST, D(3), inputs(actual="是,否,是"))
    assert out.explanation == "①制度健全 是 1；②执行有效 否 0；③公开及时 是 1，合计 2.00"
    assert out.shortfall is True
    assert evaluate(CHECKLIST, D(3), inputs(actual="是,否")).problem.startswith("清单有 3 项")
    assert evaluate(CHECKLIST, D(3), inputs(actual="是,也许,否")).score is None
    assert parse_answers("有、无、有") == (True, False, True)


# -- qualitative bands ----------------------------------------------------------------------------

BANDS = QualitativeRule(kind="qualitative")


@pytest.mark.parametrize(
    ("level", "typed", "inside"),
    [
        ("达成", "10", True),
        ("达成", "8", True),
        ("达成", "7.99", False),
        ("部分达成", "8", False),
        ("部分达成", "7.99", True),
        ("部分达成", "5", True),
        ("部分达成", "4.99", False),
        ("未达成", "5", False),
        ("未达成", "4.99", True),
        ("未达成", "0", True),
        ("基本完成", "6", True),
    ],
)
def test_bands_check_the_chosen_score(level, typed, inside):
    out = evaluate(BANDS, D(10), inputs(typed=typed, actual=level))
    assert out.chosen and out.in_band is inside
    assert out.score == D(typed)


def test_band_explanation_unknown_level_and_missing_score():
    out = evaluate(BANDS, D(10), inputs(typed="7", actual="部分达成"))
    assert out.explanation == "定性：部分达成（分值的 [50%, 80%)，即 [5, 8) 分），自评得分 7 在档内"
    assert out.shortfall is True
    unknown = evaluate(BANDS, D(10), inputs(typed="7", actual="有所改善"))
    assert unknown.level_unknown and unknown.score == D(7)
    assert evaluate(BANDS, D(10), inputs(actual="达成")).missing == ("自评得分",)


def test_target_actual_numeric_or_textual():
    rule = TargetActualRule(kind="target_actual")
    assert evaluate(rule, D(10), inputs(target="≥90%", actual="93.2%")).score == D(10)
    same = evaluate(rule, D(10), inputs(typed="9", target="建立", actual="建立"))
    assert same.in_band and same.shortfall is False and "达成" in same.explanation
    low = evaluate(rule, D(10), inputs(typed="9", target="显著提升", actual="未达成"))
    assert low.in_band is False
    assert evaluate(rule, D(10), inputs(typed="9")).missing == ("年度指标值", "实际完成值")


def test_rules_described_in_one_line():
    assert describe_rule(FUNDS) == "执行率：全年执行数 ÷ 全年预算数 × 分值，满分为止"
    assert describe_rule(ADJUSTMENT) == (
        "预算调整率分档：0% 得 3；(0%, 10%] 得 2；(10%, 20%] 得 1；(20%, 30%] 得 0.5；其余得 0"
    )
    assert describe_rule(OVER) == "预算调整率超过 10% 后每个百分点扣 0.5 分，扣完为止"
    assert describe_rule(CHECKLIST) == "清单：①制度健全 1 分；②执行有效 1 分；③公开及时 1 分"
    assert (
        describe_rule(BANDS) == "定性分档（占分值）：达成 [80%, 100%]；部分达成 [50%, 80%)；未达成 [0%, 50%)"
    )
    assert describe_rule(TargetActualRule(kind="target_actual")).endswith("否则按达成/部分达成/未达成分档")


def test_a_fraction_against_a_percentage_is_not_read_as_a_percent():
    out = evaluate(PROPORTIONAL, D(10), inputs(target="≥95%", actual="0.965"))
    assert out.score is None and out.culprit == "actual"
    assert out.problem == (
        "实际完成值“0.965”没有写 %，而年度指标值“≥95%”是百分数：请写成百分数（如 96.5%），以免按 0.965% 计"
    )
    assert evaluate(PROPORTIONAL, D(10), inputs(target="≥95%", actual="96.5")).score == D(10)


def test_band_named_by_the_first_words_of_the_actual_value():
    out = evaluate(BANDS, D(10), inputs(typed="6", actual="部分达成，下半年活动延期"))
    assert out.in_band and out.explanation.startswith("定性：部分达成")
    assert evaluate(BANDS, D(10), inputs(typed="9", actual="达成率高")).level_unknown
