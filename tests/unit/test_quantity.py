"""Reading target and actual values: percent, units, 万, comparison signs."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.rules.quantity import Direction, parse_quantity, same_unit


@pytest.mark.parametrize(
    ("text", "value", "unit", "direction"),
    [
        ("96.5%", D("96.5"), "%", None),
        ("≥95%", D("95"), "%", Direction.AT_LEAST),
        (">=95%", D("95"), "%", Direction.AT_LEAST),
        ("不低于90%", D("90"), "%", Direction.AT_LEAST),
        ("90%以上", D("90"), "%", Direction.AT_LEAST),
        ("≤150元", D("150"), "元", Direction.AT_MOST),
        ("不超过 150 元", D("150"), "元", Direction.AT_MOST),
        ("5天以内", D("5"), "天", Direction.AT_MOST),
        ("=100%", D("100"), "%", Direction.EQUAL),
        ("100万元", D("1000000"), "元", None),
        ("1.28万人", D("12800"), "人", None),
        ("≥1.5万人次", D("15000"), "人次", Direction.AT_LEAST),
        ("3亿元", D("300000000"), "元", None),
        ("１．２８万人", D("12800"), "人", None),
        ("1,200元", D("1200"), "元", None),
        ("126场", D("126"), "场", None),
        ("0", D("0"), "", None),
        ("45元/人", D("45"), "元/人", None),
    ],
)
def test_text_values(text, value, unit, direction):
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.unit, q.direction) == (value, unit, direction)
    assert q.text == text.strip()


def test_the_figure_drops_the_sign_only():
    assert parse_quantity("≥1.5万人次").figure == "1.5万人次"
    assert parse_quantity("不超过 150 元").figure == "150元"


@pytest.mark.parametrize(
    "text", ["有效提升", "2023年12月底前", "按时完成", "", "#DIV/0!", "≥", "95%完成率高"]
)
def test_qualitative_or_unreadable_values_are_none(text):
    assert parse_quantity(text) is None


def test_numbers_and_percent_formatted_cells():
    assert (parse_quantity(126).value, parse_quantity(126).unit) == (D(126), "")
    q = parse_quantity(0.965, "0.0%")
    assert (q.value, q.unit) == (D("96.500"), "%")
    assert q.value == D("96.5")
    assert parse_quantity(22.31).value == D("22.31")  # shortest repr, never binary noise
    assert parse_quantity(D("1.10")).value == D("1.10")
    assert parse_quantity(True) is None
    assert parse_quantity(float("nan")) is None


def test_units_compare_when_equal_or_one_is_missing():
    assert same_unit(parse_quantity("95%"), parse_quantity("96"))
    assert same_unit(parse_quantity("1万元"), parse_quantity("9000元"))
    assert not same_unit(parse_quantity("150元"), parse_quantity("160人"))
