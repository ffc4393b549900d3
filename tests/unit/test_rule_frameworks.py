"""Rules in framework files: checked when the framework loads, every problem with its path."""

from __future__ import annotations

import re
import textwrap

import pytest

from jixiao.errors import FrameworkError
from jixiao.framework.load import load_framework, parse_framework
from jixiao.framework.rule_models import DeductionRule, TargetActualRule, TiersRule

HEAD = """\
schema_version: 1
id: rules-test
version: "1"
title: 规则测试
region: 测试
year: 2023
kind: 部门整体支出
source: {document: 测试}
total_points: 10
grades: [{label: 优, minimum: 0, maximum: 10}]
indicators:
"""


PLACE = re.compile(r"（(?:指标“[^”]*”，?)?(?:第 \d+ 行)?）$")


def parse(indicators: str):
    return parse_framework(HEAD + textwrap.indent(textwrap.dedent(indicators), "  "))


def problems(indicators: str) -> list[tuple[str, str]]:
    with pytest.raises(FrameworkError) as err:
        parse(indicators)
    # Each message ends with where it is (the indicator and the line): see test_frameworks.
    return [(p.path, PLACE.sub("", p.message)) for p in err.value.problems]


def test_a_good_rule_of_each_kind_loads():
    fw = parse("""\
        - name: 预算执行
          points: 10
          children:
            - {name: 执行率, points: 2, rule: {kind: proportional, actual: spent, target: budget}}
            - name: 重点支出
              points: 2
              rule: {kind: tiers, unit: "%", otherwise: 0,
                     tiers: [{range: "[90,)", points: 2}, {min: 80, max: 90, points: 1}]}
            - {name: 调整, points: 2, rule: {kind: deduction, threshold: 10, deduct: 0.5}}
            - name: 制度
              points: 2
              rule: {kind: checklist, items: [{name: 有制度, points: 1}, {name: 有执行, points: 1}]}
            - {name: 效果, points: 2, rule: {kind: qualitative}}
        """)
    kinds = [n.rule.kind for _, n in fw.walk() if n.rule]
    assert kinds == ["proportional", "tiers", "deduction", "checklist", "qualitative"]
    tiers = fw.indicators[0].children[1].rule
    assert isinstance(tiers, TiersRule) and tiers.tiers[0].min_inclusive
    assert isinstance(fw.indicators[0].children[2].rule, DeductionRule)


def test_overlapping_and_gapped_tiers_and_points_over_the_indicator():
    found = problems("""\
        - name: 重点支出
          points: 10
          rule:
            kind: tiers
            tiers:
              - {range: "[90, )", points: 5}
              - {range: "[80, 90]", points: 4}
              - {range: "[60, 70)", points: 12}
              - {range: "(50, 60)", points: 1}
        """)
    assert sorted(found) == [
        ("indicators[0].rule.tiers[0]", "区间重叠：第 2 档 [80, 90] 与第 1 档 [90, +∞) 都包含 90"),
        (
            "indicators[0].rule.tiers[1]",
            "区间有空缺：第 3 档 [60, 70) 与第 2 档 [80, 90] 之间（70 到 80）没有档次",
        ),
        ("indicators[0].rule.tiers[2].points", "档次得分 12 超过分值 10"),
    ]


def test_shared_bound_inclusivity():
    both_open = problems("""\
        - {name: a, points: 10, rule: {kind: tiers, tiers: [{range: "(, 60)", points: 0},
                                                            {range: "(60, )", points: 10}]}}
        """)
    assert both_open == [
        (
            "indicators[0].rule.tiers[1]",
            "区间有空缺：第 1 档 (-∞, 60) 与第 2 档 (60, +∞) 都不包含 60",
        )
    ]
    both_closed = problems("""\
        - {name: a, points: 10, rule: {kind: tiers, tiers: [{range: "(, 60]", points: 0},
                                                            {range: "[60, )", points: 10}]}}
        """)
    assert both_closed == [
        ("indicators[0].rule.tiers[1]", "区间重叠：第 1 档 (-∞, 60] 与第 2 档 [60, +∞) 都包含 60")
    ]
    empty = problems("""\
        - {name: a, points: 10, rule: {kind: tiers, tiers: [{min: 5, max: 5, points: 1},
                                                            {min: 9, max: 3, points: 1}]}}
        """)
    assert empty == [
        (
            "indicators[0].rule.tiers[0]",
            "上下限都是 5 时两端都须包含（写成单个数字），否则区间为空",
        ),
        ("indicators[0].rule.tiers[1]", "下限 9 大于上限 3"),
    ]


def test_malformed_rules_are_rejected_with_clear_messages():
    found = problems("""\
        - name: 一级
          points: 10
          rule: {kind: proportional}
          children:
            - {name: 区间写错, points: 2, rule: {kind: tiers, tiers: [{range: "80-90", points: 1}]}}
            - {name: 类型写错, points: 2, rule: {kind: percent}}
            - {name: 没有类型, points: 2, rule: {tiers: []}}
            - {name: 扣分为零, points: 2, rule: {kind: deduction, deduct: 0}}
            - {name: 拼写错误, points: 2, rule: {kind: proportional, revers: true}}
        """)
    # The check across nodes (a rule on a node with children) is reported in the same pass as
    # the malformed rules below it.
    assert sorted(found) == [
        (
            "indicators[0].children[0].rule.tiers[0]",
            "区间“80-90”格式不对，应写成 [80, 90)、(0, 10]、[90, ) 或单个数字",
        ),
        (
            "indicators[0].children[1].rule",
            "计分规则类型“percent”不存在，应为 'proportional', 'tiers', 'deduction', 'checklist', "
            "'qualitative', 'target_actual'",
        ),
        ("indicators[0].children[2].rule", "计分规则缺少类型 kind"),
        ("indicators[0].children[3].rule.deduct", "数值必须大于 0"),
        ("indicators[0].children[4].rule.revers", "不认识的键（拼写错误？）"),
        ("indicators[0].rule", "有下级指标的节点或加减分项不能设置计分规则"),
    ]


def test_rules_in_the_wrong_place_and_checklists_that_do_not_add_up():
    found = problems("""\
        - name: 一级
          points: 10
          rule: {kind: proportional}
          children_rule: {kind: qualitative}
          children:
            - name: 清单
              points: 5
              rule: {kind: checklist, items: [{name: 甲, points: 1}, {name: 甲, points: 1}]}
            - name: 定性
              points: 5
              optional: true
              rule:
                kind: qualitative
                bands: [{label: 好, min: 60, max: 120, max_inclusive: true},
                        {label: 差, min: 0, max: 70}]
        """)
    assert sorted(found) == [
        ("indicators[0].children[0].rule.items", "清单各项分值合计 2，应等于分值 5"),
        ("indicators[0].children[0].rule.items[1].name", "清单项“甲”重复"),
        ("indicators[0].children[1].optional", "规定了分值的指标不能省略"),
        (
            "indicators[0].children[1].rule.bands[0]",
            "区间重叠：第 2 档 [0%, 70%) 与第 1 档 [60%, 120%]",
        ),
        (
            "indicators[0].children[1].rule.bands[0]",
            "定性档次须写明上下限，且在分值的 0% 到 100% 之间",
        ),
        (
            "indicators[0].children_rule",
            "只有由表格定义下级指标的节点（children_from_sheet）才能设置",
        ),
        ("indicators[0].rule", "有下级指标的节点或加减分项不能设置计分规则"),
    ]


def test_the_national_project_framework():
    fw = load_framework("mof-project-2020").framework
    assert fw.form == "project" and fw.kind == "项目支出"
    assert [(n.name, n.points) for n in fw.indicators] == [
        ("预算执行率", 10),
        ("产出指标", 50),
        ("效益指标", 30),
        ("满意度指标", 10),
    ]
    assert fw.indicators[0].rule.actual == "spent" and fw.indicators[0].rule.target == "budget"
    seconds = [c for n in fw.indicators[1:] for c in n.children]
    assert len(seconds) == 9
    assert all(isinstance(c.children_rule, TargetActualRule) for c in seconds)
    assert [c.name for c in seconds if not c.optional] == ["服务对象满意度指标"]


def test_range_and_bounds_together_are_rejected():
    found = problems("""\
        - {name: a, points: 10, rule: {kind: tiers, tiers: [{range: "[0, 10]", min: 5, points: 1}]}}
        """)
    assert found == [("indicators[0].rule.tiers[0]", "range 与 min 不能同时写")]


def test_the_json_schema_accepts_rules_as_written():
    import json

    import jsonschema
    import yaml

    from tests.conftest import ROOT

    schema = json.loads((ROOT / "schema" / "framework.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(
        HEAD
        + textwrap.indent(
            textwrap.dedent("""\
        - name: 重点支出
          points: 10
          rule: {kind: tiers, unit: "%", tiers: [{range: "[90, )", points: 10}, {max: 90, points: 0}]}
        """),
            "  ",
        )
    )
    jsonschema.validate(data, schema)
    parse(
        textwrap.dedent("""\
        - name: 重点支出
          points: 10
          rule: {kind: tiers, unit: "%", tiers: [{range: "[90, )", points: 10}, {max: 90, points: 0}]}
        """)
    )
    data["indicators"][0]["rule"]["kind"] = "tierz"
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
