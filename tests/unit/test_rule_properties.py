"""Properties of the rules: scores stay within 0..分值, move the right way, tiers never overlap."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from jixiao.framework.rule_models import DeductionRule, ProportionalRule
from jixiao.rules.evaluate import RuleInputs, evaluate
from jixiao.rules.quantity import Direction, Quantity
from jixiao.rules.recognize import recognize_rule

amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
points = st.decimals(min_value=1, max_value=100, places=1, allow_nan=False)
RULE = ProportionalRule(kind="proportional")


def run(target: D, actual: D, pts: D, direction: Direction | None = None) -> D:
    values = {
        "target": Quantity(target, "", direction, str(target)),
        "actual": Quantity(actual, "", None, str(actual)),
    }
    out = evaluate(RULE, pts, RuleInputs(values, {k: str(v.value) for k, v in values.items()}))
    assert out.score is not None
    return out.score


@given(amounts, amounts, amounts, points, st.sampled_from([None, Direction.AT_MOST]))
def test_proportional_scores_stay_in_range_and_are_monotone(target, a1, a2, pts, direction):
    low, high = sorted((a1, a2))
    s_low, s_high = run(target, low, pts, direction), run(target, high, pts, direction)
    assert D(0) <= s_low <= pts and D(0) <= s_high <= pts
    if direction is Direction.AT_MOST:
        assert s_low >= s_high  # lower is better
    else:
        assert s_low <= s_high


@given(
    st.decimals(min_value=-50, max_value=200, places=2, allow_nan=False),
    points,
    st.decimals(min_value="0.1", max_value=5, places=1, allow_nan=False),
)
def test_deductions_never_go_below_zero(value, pts, deduct):
    rule = DeductionRule(kind="deduction", threshold=D(10), deduct=deduct)
    out = evaluate(rule, pts, RuleInputs({"actual": Quantity(value)}, {"actual": str(value)}))
    assert out.score is not None and D(0) <= out.score <= pts


TIERS = recognize_rule(
    "≥90%得5分，80%（含）-90%得4分，70%（含）-80%得3分，60%（含）-70%得2分，低于60%不得分", D(5)
)


@given(st.decimals(min_value=-100, max_value=200, places=3, allow_nan=False))
def test_every_value_falls_in_exactly_one_tier(value):
    assert TIERS is not None
    assert sum(1 for t in TIERS.tiers if t.contains(value)) == 1
