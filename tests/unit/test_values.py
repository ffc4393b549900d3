"""Reading what people type: numbers as text, full-width digits, units, weights in labels."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest

from jixiao.values import NotANumber, name_key, parse_decimal, split_label


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (22.31, D("22.31")),
        (23, D("23")),
        ("22.31", D("22.31")),
        ("２２．３１", D("22.31")),
        ("9.5分", D("9.5")),
        (" 9.5 分 ", D("9.5")),
        ("１０", D("10")),
        ("-2", D("-2")),
        ("1,000.5", D("1000.5")),
        (0.1 + 0.2, D("0.30000000000000004")),  # a float's shortest repr, never rounded here
    ],
)
def test_parse_decimal_accepts(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["abc", "", "9.5.1", True, False, date(2023, 1, 1), datetime(2023, 1, 1), "#DIV/0!", float("nan"), "95%"],
)
def test_parse_decimal_rejects(raw):
    with pytest.raises(NotANumber):
        parse_decimal(raw)


def test_percent_only_where_allowed():
    assert parse_decimal("96.5%", allow_percent=True) == D("96.5")


@pytest.mark.parametrize(
    ("label", "name", "points"),
    [
        ("履职效能（46分）", "履职效能", D("46")),
        ("投入(15分)", "投入", D("15")),
        ("预算执行 8分", "预算执行", D("8")),
        ("资金管理（权重10）", "资金管理", D("10")),
        ("1.整体效能", "整体效能", None),
        ("（一）预算编制", "预算编制", None),
        ("三公经费控制率", "三公经费控制率", None),
        ("运行成本", "运行成本", None),
    ],
)
def test_split_label(label, name, points):
    got = split_label(label)
    assert (got.name, got.points) == (name, points)


def test_name_key_folds_width_spaces_and_ordinals():
    assert name_key("整体 效能") == name_key("整体效能") == name_key("2、整体效能")
    assert name_key("科普Ｅ站") == name_key("科普e站")


@pytest.mark.parametrize("raw", ["22,31", "9,5分", "1,00", "12,3456"])
def test_ambiguous_commas_are_refused(raw):
    with pytest.raises(NotANumber, match="逗号"):
        parse_decimal(raw)


def test_thousands_separators_still_read():
    assert parse_decimal("1,234,567.5") == D("1234567.5")
    assert parse_decimal("１，０００") == D("1000")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("98.50", "98.5"),
        ("100.00", "100"),
        ("46", "46"),
        ("0.00", "0"),
        ("-0", "0"),
        ("1E+2", "100"),
        ("-2.50", "-2.5"),
    ],
)
def test_plain_is_how_reports_write_figures(value, shown):
    from jixiao.values import plain

    assert plain(D(value)) == shown


def test_a_long_label_keeps_its_whole_name_and_its_weight():
    from jixiao.values import LABEL_WEIGHT_WINDOW, split_label

    name = "部门整体支出绩效目标完成情况" * (LABEL_WEIGHT_WINDOW // 7)
    label = split_label(f"{name}（20分）")
    assert (label.name, label.points) == (name, D(20))
    # a run of digits is text, not a weight, however long (and read in linear time: bench, not here)
    assert split_label("1" * 6000 + "x分").points is None
