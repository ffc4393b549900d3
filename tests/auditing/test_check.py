"""The pure checks: precision of printed figures, grade bands, sums."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.auditing.check import DEFAULT_BANDS, agrees, grade_for


@pytest.mark.parametrize(
    ("printed", "exact", "ok"),
    [
        ("97", "96.9956", True),
        ("98.5", "98.50", True),
        ("98.5", "98.4999", True),
        ("98.50", "98.4949", False),
        ("100", "98.81", False),
        ("99.07", "99.0741", True),
        ("1.7", "1.7018", True),
        ("80.64", "80.6459", False),
    ],
)
def test_rates_are_compared_at_the_precision_printed(printed, exact, ok):
    assert agrees(Decimal(printed), Decimal(exact)) is ok


@pytest.mark.parametrize(
    ("total", "label"),
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
def test_default_bands(total, label):
    band = grade_for(Decimal(total), DEFAULT_BANDS)
    assert band is not None and band.label == label


@given(st.decimals(min_value=0, max_value=100, places=4))
def test_an_exact_figure_agrees_with_itself_rounded(value):
    from jixiao.values import quantize

    for places in (0, 1, 2):
        assert agrees(quantize(value, places), value)
