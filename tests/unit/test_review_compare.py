"""The pure comparison: invariants that hold for any review of a fixed tree."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from jixiao.matching.tree import NodeInput
from jixiao.reviewing.compare import ReviewEntry, Settings, State, compare

LEAVES = [
    ("履职效能", "整体效能", 23),
    ("履职效能", "专项效能", 23),
    ("管理效率", "预算编制", 5),
    ("管理效率", "预算执行", 8),
    ("管理效率", "信息公开", 4),
    ("管理效率", "绩效管理", 10),
    ("管理效率", "采购管理", 10),
    ("管理效率", "资产管理", 10),
    ("管理效率", "运行成本", 7),
]


def tree(scores):
    groups: dict[str, list[NodeInput]] = {}
    for (first, second, points), score in zip(LEAVES, scores, strict=True):
        groups.setdefault(first, []).append(NodeInput(second, D(points), score, cell="D1"))
    return [
        NodeInput(name, sum((c.points for c in kids), D(0)), children=tuple(kids))
        for name, kids in groups.items()
    ]


def hundredths(points):
    return st.integers(min_value=0, max_value=points * 100).map(lambda n: D(n) / 100)


scores = st.tuples(*(hundredths(p) for _, _, p in LEAVES))


@given(mine=scores, theirs=scores)
def test_final_total_is_self_total_plus_every_leaf_delta(shaoguan, mine, theirs):
    entries = {
        (first, second): ReviewEntry(State.GIVEN, score, D(points), "F1", "意见")
        for (first, second, points), score in zip(LEAVES, theirs, strict=True)
    }
    c = compare(shaoguan.framework, tree(mine), entries, Settings())
    deltas = sum((ln.delta for ln in c.lines if ln.is_leaf), D(0))
    assert c.final_result.total == c.self_result.total + deltas
    assert c.review_result.total == c.final_result.total
    assert c.grade_changed == (c.final_result.grade != c.self_result.grade)
    for ln in c.lines:
        assert ln.final_rate is None or D(0) <= ln.final_rate <= D(100)
    changed = {ln.path for ln in c.differences}
    assert changed == {(f, s) for (f, s, _), a, b in zip(LEAVES, mine, theirs, strict=True) if a != b}


@given(mine=scores)
def test_blank_review_filled_from_self_gives_the_self_figures(shaoguan, mine):
    entries = {(f, s): ReviewEntry(State.BLANK, cell="F1") for f, s, _ in LEAVES}
    c = compare(shaoguan.framework, tree(mine), entries, Settings(fill_from_self=True))
    assert c.final_result.total == c.self_result.total and c.review_result is None
    assert [s.finding.code for s in c.findings] == ["review-filled-from-self"] * len(LEAVES)
