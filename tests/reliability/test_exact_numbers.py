"""Scores are read exactly and only when plainly a number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao import values
from jixiao.scoring.pipeline import score_file
from jixiao.values import NotANumber, parse_decimal
from tests.builders import shaoguan_sheet


def test_a_long_score_is_not_rounded_by_the_default_context(tmp_path):
    """89.99 + a 30-digit tail stays below 89.995: the total is 良 89.99, not 优 90.00."""
    # The 韶关 table totals 98.81; D3 (22.31) replaced so that the exact total is 89.99499…
    long = "13.4949999999999999999999999999"  # 30 significant digits
    ev = score_file(shaoguan_sheet(tmp_path / "a.xlsx", {"D3": long}), "shaoguan-2023")
    assert ev.total == Decimal("89.99")
    assert ev.grade == "良"


@pytest.mark.parametrize("text", ["22.3¹", "2³", "2 2.3 1", "22. 31", "½", "①"])
def test_what_only_looks_like_a_number_is_refused(text):
    with pytest.raises(NotANumber):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["２２．３１", "22.31分", " 22.31 ", "9.5 分", "1,000.5", "-5"])
def test_what_people_type_is_still_read(text):
    parse_decimal(text)


def test_the_decimal_bound_at_its_edge():
    parse_decimal("0." + "1" * values.MAX_DECIMALS)
    with pytest.raises(NotANumber):
        parse_decimal("0." + "1" * (values.MAX_DECIMALS + 1))


def test_a_superscript_score_is_a_finding_not_a_number(tmp_path):
    ev = score_file(shaoguan_sheet(tmp_path / "a.xlsx", {"D3": "22.3¹"}), "shaoguan-2023")
    assert ev.total is None
    bad = [f for f in ev.errors if f.position and f.position.cell == "D3"]
    assert bad, ev.errors
