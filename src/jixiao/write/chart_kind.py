"""Which chart the workbook and the report draw (no openpyxl: the report needs only this)."""

from __future__ import annotations

from typing import Literal

RADAR_FROM = 5  # this many 二级指标 or more: radar instead of bars

ChartKind = Literal["bar", "radar"]


def chart_kind(count: int) -> ChartKind:
    """Radar for five or more indicators, bars otherwise (the workbook and the report agree)."""
    return "radar" if count >= RADAR_FROM else "bar"
