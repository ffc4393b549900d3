"""Reported figures are read as the sheet shows them (number format), formula or typed."""

from decimal import Decimal as D

import pytest

from jixiao.scoring.pipeline import score_file
from jixiao.values import as_displayed, displayed_places
from tests.builders import write_sheet


@pytest.mark.parametrize(
    ("fmt", "places"),
    [
        ("General", None),
        ("0", 0),
        ("0.00", 2),
        ("0.00%", 2),
        ("#,##0.0", 1),
        ('0.00"分"', 2),
        ("0.0%;[Red]-0.0%", 1),
        ("@", None),
    ],
)
def test_displayed_places(fmt, places):
    assert displayed_places(fmt) == places


def test_as_displayed_percent_and_plain():
    assert as_displayed(D(107) / D(108), "0.00%", percent=True) == D("99.07")
    assert as_displayed(D(10700) / D(108), "0.00") == D("99.07")
    assert as_displayed(D("0.990740"), "0.00%") == D("0.9907")
    assert as_displayed(D("99.074074"), "General") == D("99.074074")


def _rate_sheet(tmp_path, fmt, formula):
    rows = [
        ["一级指标", "分值", "自评得分", "得分率"],
        ["投入", 108, 107, formula],
        ["合计", 108, 107, None],
    ]
    path = write_sheet(tmp_path / "rate.xlsx", rows)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    ws["D2"].number_format = fmt
    wb.save(path)
    return path


@pytest.mark.parametrize(("fmt", "value"), [("0.00%", 107 / 108), ("0.00", 107 / 108 * 100)])
def test_rate_shown_at_two_decimals_is_no_false_alarm(tmp_path, fmt, value):
    path = _rate_sheet(tmp_path, fmt, value)
    ev = score_file(path, "sheet")
    assert [f.code for f in ev.findings if f.code == "reported-rate-mismatch"] == []


def test_rate_that_differs_as_shown_is_still_caught(tmp_path):
    path = _rate_sheet(tmp_path, "0.00%", 0.98)  # shows 98.00% against 99.07
    ev = score_file(path, "sheet")
    assert [(f.code, f.position.cell) for f in ev.findings] == [("reported-rate-mismatch", "D2")]
