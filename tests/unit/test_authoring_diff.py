"""jixiao frameworks diff: added, removed, renamed, re-weighted, text, grades, metadata."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.authoring.diff import diff_frameworks, match_siblings
from jixiao.framework.models import GradeBand, Indicator


def changed(fw, i, j, **update):
    """A copy of ``fw`` with indicators[i].children[j] updated."""
    top = fw.indicators[i]
    kids = list(top.children)
    kids[j] = kids[j].model_copy(update=update)
    tops = list(fw.indicators)
    tops[i] = top.model_copy(update={"children": kids})
    return fw.model_copy(update={"indicators": tops})


def kinds(changes):
    return [(c.kind, "/".join(c.path), c.field, c.old, c.new) for c in changes]


def test_same_framework_has_no_changes(shaoguan):
    assert diff_frameworks(shaoguan.framework, shaoguan.framework) == []


def test_reweighted_indicators(shaoguan):
    fw = changed(shaoguan.framework, 1, 0, points=D(6))
    fw = changed(fw, 1, 6, points=D(6))
    assert kinds(diff_frameworks(shaoguan.framework, fw)) == [
        ("reweighted", "管理效率/预算编制", None, "5", "6"),
        ("reweighted", "管理效率/运行成本", None, "7", "6"),
    ]


def test_renamed_by_similar_name_and_by_position(shaoguan):
    fw = changed(shaoguan.framework, 1, 2, name="信息公开管理")  # similar name, same 分值
    fw = changed(fw, 0, 1, name="重点任务")  # nothing alike, but same position and 分值
    assert kinds(diff_frameworks(shaoguan.framework, fw)) == [
        ("renamed", "履职效能/重点任务", None, "专项效能", "重点任务"),
        ("renamed", "管理效率/信息公开管理", None, "信息公开", "信息公开管理"),
    ]


def test_renamed_and_reweighted_is_removed_plus_added(shaoguan):
    fw = changed(shaoguan.framework, 1, 2, name="政务公开", points=D(5))
    out = kinds(diff_frameworks(shaoguan.framework, fw))
    assert ("removed", "管理效率/信息公开", None, "4", None) in out
    assert ("added", "管理效率/政务公开", None, None, "5") in out


def test_added_removed_text_and_grades(shaoguan):
    base = shaoguan.framework
    last = base.indicators[1].children[6]
    kids = [
        *base.indicators[1].children[:6],
        last.model_copy(update={"name": "运行成本控制", "criteria": "每超1%扣0.5分"}),
    ]
    kids[1] = kids[1].model_copy(update={"criteria": "按执行率计分"})
    tops = [base.indicators[0], base.indicators[1].model_copy(update={"children": kids})]
    grades = [*base.grades[:3], GradeBand(label="低", minimum=D(0), maximum=D(60))]
    new = base.model_copy(update={"indicators": tops, "grades": grades, "version": "2024.1"})
    out = kinds(diff_frameworks(base, new))
    assert out == [
        ("metadata", "", "version", "2023.1", "2024.1"),
        ("grade", "差", None, "[0, 60)", None),
        ("grade", "低", None, None, "[0, 60)"),
        ("text", "管理效率/预算执行", "criteria", None, "按执行率计分"),
        ("renamed", "管理效率/运行成本控制", None, "运行成本", "运行成本控制"),
        ("text", "管理效率/运行成本控制", "criteria", None, "每超1%扣0.5分"),
    ]
    # A new indicator without the old one's attributes: those differences are listed too.
    kids[6] = Indicator(name="运行成本控制", points=D(7))
    tops[1] = tops[1].model_copy(update={"children": kids})
    out = kinds(diff_frameworks(base, base.model_copy(update={"indicators": tops})))
    assert out[-2:] == [
        ("attribute", "管理效率/运行成本控制", "provenance", "公开数据", None),
        ("attribute", "管理效率/运行成本控制", "children_from_sheet", "可由评分表增设", "固定"),
    ]


def test_unrelated_indicators_are_not_called_renamed():
    old = [Indicator(name="预算编制", points=D(5)), Indicator(name="资产管理", points=D(5))]
    new = [Indicator(name="资产管理", points=D(5)), Indicator(name="科普活动", points=D(3))]
    pairs = [(a.name if a else None, b.name if b else None) for a, b in match_siblings(old, new)]
    assert pairs == [("预算编制", None), ("资产管理", "资产管理"), (None, "科普活动")]


def test_between_the_two_shipped_frameworks(shaoguan, guangzhou):
    out = diff_frameworks(shaoguan.framework, guangzhou.framework)
    assert ("added", "加减分项", None, None, "加减分 -5～5") in kinds(out)
    assert ("removed", "履职效能/整体效能", None, "23", None) in kinds(out)
    assert any(c.kind == "metadata" and c.field == "id" for c in out)
