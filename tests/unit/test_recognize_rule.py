"""recognize_rule: common 评分标准 wording → a rule, or None rather than a guess."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.framework.rule_models import (
    ChecklistRule,
    DeductionRule,
    ProportionalRule,
    QualitativeRule,
    TiersRule,
)
from jixiao.rules.evaluate import RuleInputs, evaluate
from jixiao.rules.quantity import parse_quantity
from jixiao.rules.recognize import recognize_rule


def score(rule, points, actual):
    q = parse_quantity(actual)
    return evaluate(rule, D(points), RuleInputs({"actual": q}, {"actual": actual})).score


def test_tiers_with_mixed_inclusivity():
    rule = recognize_rule(
        "重点支出安排率≥90%得5分，80%（含）-90%得4分，70%（含）-80%得3分，60%（含）-70%得2分，"
        "低于60%不得分。",
        D(5),
    )
    assert isinstance(rule, TiersRule) and rule.unit == "%"
    assert [t.describe("%") for t in rule.tiers] == [
        "[90%, +∞)",
        "[80%, 90%)",
        "[70%, 80%)",
        "[60%, 70%)",
        "(-∞, 60%)",
    ]
    assert [score(rule, 5, v) for v in ("90%", "89.99%", "80%", "60%", "59.99%")] == [
        D(5),
        D(4),
        D(4),
        D(2),
        D(0),
    ]


def test_tiers_in_interval_notation_with_a_point_and_otherwise():
    rule = recognize_rule(
        "预算调整率为0得3分；(0,10%]得2分；(10%,20%]得1分；(20%,30%]得0.5分；其他得0分", D(3)
    )
    assert isinstance(rule, TiersRule)
    assert rule.otherwise == D(0)
    assert [score(rule, 3, v) for v in ("0", "10%", "10.01%", "30%", "31%")] == [
        D(3),
        D(2),
        D(1),
        D("0.5"),
        D(0),
    ]


def test_overlapping_tiers_are_not_guessed():
    assert recognize_rule("≥80%得5分，70%-90%得3分", D(5)) is None
    assert recognize_rule("≥90%得6分，80%（含）-90%得4分", D(5)) is None  # 6 > 分值


def test_deduction_over_a_threshold():
    rule = recognize_rule("预算调整率超过10%的，每超过一个百分点扣0.5分，扣完为止。", D(5))
    assert isinstance(rule, DeductionRule)
    assert (rule.threshold, rule.direction, rule.per, rule.deduct, rule.unit) == (
        D(10),
        "above",
        D(1),
        D("0.5"),
        "%",
    )
    assert score(rule, 5, "12%") == D(4)
    assert score(rule, 5, "30%") == D(0)


def test_deduction_per_occurrence_and_below():
    rule = recognize_rule("每出现一例不符合要求的扣1分，扣完为止", D(4))
    assert isinstance(rule, DeductionRule)
    assert (rule.threshold, rule.direction, rule.deduct, rule.label) == (
        D(0),
        "above",
        D(1),
        "发生次数",
    )
    below = recognize_rule("满意度低于90%的，每低1个百分点扣0.5分", D(5))
    assert isinstance(below, DeductionRule)
    assert (below.threshold, below.direction) == (D(90), "below")
    assert score(below, 5, "88%") == D(4)


def test_proportional_wording():
    rule = recognize_rule("按完成比例计算得分，满分为止。", D(10))
    assert isinstance(rule, ProportionalRule) and rule.reverse is False
    assert recognize_rule("执行率×分值", D(10)) is not None
    assert recognize_rule("反向指标，按比例计算得分", D(10)).reverse is True


def test_checklist_and_qualitative():
    rule = recognize_rule("①制度健全得1分；②执行有效得1分；③公开及时得1分。", D(3))
    assert isinstance(rule, ChecklistRule)
    assert [(i.name, i.points) for i in rule.items] == [
        ("制度健全", D(1)),
        ("执行有效", D(1)),
        ("公开及时", D(1)),
    ]
    assert recognize_rule("①制度健全得1分；②执行有效得1分", D(3)) is None  # adds up to 2, not 3
    assert isinstance(
        recognize_rule("达成得80%-100%；部分达成得50%-80%；未达成得0-50%", D(10)), QualitativeRule
    )


def test_unrecognised_text_is_none():
    assert recognize_rule("根据实际情况酌情打分", D(5)) is None
    assert recognize_rule("", D(5)) is None


def test_a_recognised_rule_round_trips_through_a_framework_file():
    import yaml

    from jixiao.framework.load import parse_framework

    rule = recognize_rule("预算调整率为0得3分；(0,10%]得2分；(10%,20%]得1分；其他得0分", D(3))
    data = {
        "schema_version": 1,
        "id": "imported",
        "version": "1",
        "title": "导入",
        "region": "测试",
        "year": 2023,
        "kind": "部门整体支出",
        "source": {"document": "测试"},
        "total_points": 3,
        "grades": [{"label": "优", "minimum": 0, "maximum": 3}],
        "indicators": [
            {"name": "预算调整率", "points": 3, "rule": rule.model_dump(mode="json", exclude_defaults=True)}
        ],
    }
    fw = parse_framework(yaml.safe_dump(data, allow_unicode=True))
    assert fw.indicators[0].rule == rule


def test_more_wordings():
    occurrence = recognize_rule("发现一处问题扣1分，扣完为止", D(3))
    assert isinstance(occurrence, DeductionRule) and (occurrence.threshold, occurrence.deduct) == (D(0), D(1))
    assert recognize_rule("每少1场扣0.5分", D(5)) is None  # short of a target the text does not give
    assert isinstance(recognize_rule("实际完成值/年度指标值×分值", D(10)), ProportionalRule)
    funds = recognize_rule("预算执行率=实际支出/预算数，得分=预算执行率×分值", D(10))
    assert (funds.actual, funds.target, funds.label) == ("spent", "budget", "执行率")
    tiers = recognize_rule("满意度≥95%得满分，90%-95%得3分，低于90%不得分", D(5))
    assert [(t.describe("%"), t.points) for t in tiers.tiers] == [
        ("[95%, +∞)", D(5)),
        ("[90%, 95%)", D(3)),
        ("(-∞, 90%)", D(0)),
    ]
    assert recognize_rule("按时完成得满分，未按时完成不得分", D(4)) is None
