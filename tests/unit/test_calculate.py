"""The calculator: exact sums, one rounding rule, grades on the rounded total."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.matching.tree import NodeInput
from jixiao.scoring.calculate import calculate
from jixiao.values import quantize


def leaf(name, points, score):
    return NodeInput(name, D(points), D(score))


def tree_for_total(total: str) -> list[NodeInput]:
    """Two 一级 of 46/54 whose scores add up to ``total``."""
    t = D(total)
    first = min(t, D(46))
    return [
        NodeInput(
            "履职效能",
            D(46),
            children=(leaf("整体效能", 23, min(first, 23)), leaf("专项效能", 23, first - min(first, 23))),
        ),
        NodeInput("管理效率", D(54), children=(leaf("预算编制", 54, t - first),)),
    ]


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_boundaries(shaoguan, total, grade):
    result = calculate(shaoguan.framework, tree_for_total(total))
    assert result.total == D(total)
    assert result.grade == grade


def test_grade_decided_on_rounded_total(shaoguan):
    # 89.995 rounds half up to 90.00: 优, not 良.
    result = calculate(shaoguan.framework, tree_for_total("89.995"))
    assert (result.total, result.grade) == (D("90.00"), "优")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.345", 2, "2.35"),
        ("0.125", 2, "0.13"),
        ("98.5", 2, "98.50"),
        ("96.9956", 0, "97"),
        ("2.344999", 2, "2.34"),
        ("-0.125", 2, "-0.13"),
    ],
)
def test_quantize_rounds_half_up(value, places, expected):
    assert quantize(D(value), places) == D(expected)
    assert str(quantize(D(value), places)) == expected


def test_shaoguan_rates(shaoguan):
    tree = [
        NodeInput("履职效能", D(46), children=(leaf("整体效能", 23, "22.31"), leaf("专项效能", 23, 23))),
        NodeInput(
            "管理效率",
            D(54),
            children=(
                leaf("预算编制", 5, 5),
                leaf("预算执行", 8, 8),
                leaf("信息公开", 4, 4),
                leaf("绩效管理", 10, 10),
                leaf("采购管理", 10, 10),
                leaf("资产管理", 10, "9.5"),
                leaf("运行成本", 7, 7),
            ),
        ),
    ]
    r = calculate(shaoguan.framework, tree)
    assert (r.total, r.rate, r.grade) == (D("98.81"), D("98.81"), "优")
    assert r.find("履职效能").rate == D("98.50")
    assert r.find("管理效率").rate == D("99.07")


def test_bonus_added_after_weighted_sum_and_capped(guangzhou):
    def tree(bonus):
        return [
            NodeInput("管理效能", D(50), children=(leaf("资金管理", 50, "48"),)),
            NodeInput("履职效能", D(50), children=(leaf("服务科技工作者", 50, "50"),)),
            NodeInput("加减分项", None, D(bonus), is_bonus=True),
        ]

    r = calculate(guangzhou.framework, tree("-3"))
    assert (r.weighted, r.bonus, r.total, r.capped) == (D("98.00"), D("-3.00"), D("95.00"), False)
    r = calculate(guangzhou.framework, tree("5"))
    assert (r.total, r.capped, r.grade) == (D("100.00"), True, "优")
    assert r.find("加减分项").rate is None


# -- property tests ------------------------------------------------------------------------

scores = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)
points = st.integers(min_value=1, max_value=30).map(D)


@st.composite
def trees(draw):
    """Random two-level trees whose 一级 分值 add up to 100; leaf scores within 0..分值."""
    n_first = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n_first - 1, max_size=n_first - 1, unique=True)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    firsts = []
    for i, w in enumerate(weights):
        k = draw(st.integers(1, min(w, 5)))
        inner = (
            sorted(draw(st.lists(st.integers(1, w - 1), min_size=k - 1, max_size=k - 1, unique=True)))
            if w > 1
            else []
        )
        parts = [D(b - a) for a, b in zip([0, *inner], [*inner, w], strict=True)]
        leaves = tuple(NodeInput(f"叶{i}-{j}", p, quantize(p * draw(scores), 2)) for j, p in enumerate(parts))
        firsts.append(NodeInput(f"一级{i}", D(w), children=leaves))
    return firsts


@settings(max_examples=200, deadline=None)
@given(trees())
def test_leaves_add_up_to_total_and_rates_stay_in_range(shaoguan, tree):
    r = calculate(shaoguan.framework, tree)
    exact = sum((leaf.score for first in tree for leaf in first.children), D(0))
    assert r.total == quantize(exact, 2)
    for node in r.walk():
        assert node.rate is None or D(0) <= node.rate <= D(100)
        if node.children:
            child_sum = sum((c.score for c in node.children), D(0))
            # Children are rounded one by one; the parent from the exact sum: they may differ
            # by at most half a unit of the last place per child.
            assert abs(node.score - child_sum) <= D("0.005") * len(node.children)
    assert D(0) <= r.rate <= D(100)
    assert r.grade in {"优", "良", "中", "差"}
