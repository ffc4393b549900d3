"""Framework files: the shipped ones load; a bad one lists every problem with its dotted path."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from jixiao.errors import FrameworkError, UsageError
from jixiao.framework.load import framework_files, load_framework, parse_framework
from tests.conftest import FRAMEWORKS

GOOD = """
schema_version: 1
id: test-fw
version: "1"
title: 测试框架
region: 测试市
year: 2024
kind: 部门整体支出
source: {document: 测试}
total_points: 100
grades:
  - {label: 优, minimum: 90, maximum: 100}
  - {label: 良, minimum: 80, maximum: 90}
  - {label: 中, minimum: 60, maximum: 80}
  - {label: 差, minimum: 0, maximum: 60}
indicators:
  - name: 甲
    points: 60
    children:
      - {name: 甲一, points: 30.5}
      - {name: 甲二, points: 29.5}
  - name: 乙
    points: 40
"""


PLACE = re.compile(r"（(?:(?:指标|等级)“[^”]*”，?)?(?:第 \d+ 行)?）$")


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(FrameworkError) as info:
        parse_framework(text, source="bad.yaml")
    assert info.value.source == "bad.yaml"
    # Each message ends with where it is (the indicator and the line);
    # see test_every_problem_names_its_indicator_and_line.
    return [(p.path, PLACE.sub("", p.message)) for p in info.value.problems]


def test_every_shipped_framework_loads():
    files = framework_files()
    assert {f.stem for f in files} >= {"shaoguan-2023", "guangzhou-2021"}
    for f in FRAMEWORKS.glob("*.yaml"):
        lf = load_framework(f)
        assert lf.id == f.stem
        assert len(lf.sha256) == 64


def test_good_framework_reads_decimals_exactly():
    fw = parse_framework(GOOD)
    assert fw.indicators[0].children[0].points == D("30.5")
    assert fw.grade_for(D("90")).label == "优"


def test_shaoguan_tree_is_as_published(shaoguan):
    fw = shaoguan.framework
    assert [(n.name, n.points) for n in fw.indicators] == [("履职效能", 46), ("管理效率", 54)]
    assert [c.points for c in fw.indicators[1].children] == [5, 8, 4, 10, 10, 10, 7]


def test_guangzhou_marks_what_is_inferred_and_assumed(guangzhou):
    fw = guangzhou.framework
    assert [str(n.provenance) for n in fw.indicators[:2]] == ["inferred", "inferred"]
    assert fw.bonus_node is not None and str(fw.bonus_node.bonus.provenance) == "assumed"
    assert sum(len(n.children) for n in fw.indicators) == 11
    assert all(c.points is None for n in fw.indicators for c in n.children)


def test_children_that_do_not_add_up():
    bad = GOOD.replace("{name: 甲二, points: 29.5}", "{name: 甲二, points: 20}")
    assert problems_of(bad) == [("indicators[0].children", "下级分值合计 50.5，应等于 60")]


def test_all_problems_at_once_with_dotted_paths():
    bad = (
        GOOD.replace("{name: 甲二, points: 29.5}", "{name: 甲一, points: 29.5}")  # duplicate
        .replace("{label: 良, minimum: 80, maximum: 90}", "{label: 良, minimum: 80, maximum: 88}")
        .replace("{label: 中, minimum: 60, maximum: 80}", "{label: 中, minimum: 60, maximum: 85}")
    )
    got = problems_of(bad)
    paths = [p for p, _ in got]
    assert "indicators[0].children[1].name" in paths
    assert any("空缺" in m for _, m in got)  # 88 → 90 has no grade
    assert any("重叠" in m for _, m in got)  # 中 reaches 85, 良 starts at 80


def test_structural_problems_are_all_listed():
    bad = GOOD.replace("points: 40", "points: abc").replace("title: 测试框架", "titel: 测试框架")
    got = dict(problems_of(bad))
    assert got["indicators[1].points"] == "不是有效的数字"
    assert got["titel"] == "不认识的键（拼写错误？）"
    assert got["title"] == "缺少必填项"


def test_negative_points_and_bad_precision():
    bad = GOOD.replace("points: 40", "points: -40")
    bad = bad.replace("total_points: 100", "total_points: 100\nprecision: 9")
    got = dict(problems_of(bad))
    assert "indicators[1].points" in got and "precision" in got


def test_top_level_must_add_up_to_total():
    bad = GOOD.replace("points: 40", "points: 30")
    assert ("indicators", "一级指标分值合计 90，应等于总分 100") in problems_of(bad)


def test_bonus_must_be_top_level_without_points():
    bad = GOOD.replace(
        "  - name: 乙\n    points: 40",
        "  - name: 乙\n    points: 40\n    children:\n"
        "      - {name: 加分, points: 40, bonus: {minimum: 1, maximum: 5}}",
    )
    messages = [m for _, m in problems_of(bad)]
    assert "加减分项只能是一级指标" in messages
    assert "加减分项不计入总分值，不应设置分值" in messages
    assert "加减分下限应 ≤ 0 ≤ 上限" in messages


def test_yaml_syntax_error_has_a_line():
    got = problems_of("id: [unclosed\n")
    assert got[0][0].startswith("第 ")


def test_unknown_framework_id_lists_the_known_ones():
    with pytest.raises(UsageError, match="shaoguan-2023"):
        load_framework("no-such-framework")


def test_type_errors_are_explained_in_chinese():
    bad = GOOD.replace('version: "1"', "version: 2023.1").replace("year: 2024", "year: 二〇二四")
    got = dict(problems_of(bad))
    assert got["version"].startswith("应为文本") and '"2023.1"' in got["version"]
    assert got["year"] == "应为整数"
