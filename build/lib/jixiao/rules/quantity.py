"""Read target and actual values as people write them: "96.5%", "≥95%", "100万元", "1.28万人".

A :class:`Quantity` is an exact decimal in its base unit (万 and 亿 applied, so "1.28万人" is
12800 人), the unit, and the direction a comparison sign states ("≥95%" at least, "≤150元" at
most). Percentages stay in percent points ("96.5%" is 96.5 with unit "%"); a number cell shown
with a percent format (0.965 as "96.5%") is read the same way. Pure; never float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from jixiao.values import EXCEL_ERRORS, clean_text, nfkc, plain

HUNDRED = Decimal(100)


class Direction(StrEnum):
    """What a comparison sign in a target says: reach at least, stay at most, or equal."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EQUAL = "equal"


# Longest words first so that "不低于" is not read as "低于".
_PREFIXES: tuple[tuple[str, Direction], ...] = tuple(
    sorted(
        [
            *(
                (w, Direction.AT_LEAST)
                for w in (
                    ">=",
                    "≥",
                    "≧",
                    "=>",
                    "不低于",
                    "不少于",
                    "不小于",
                    "大于等于",
                    "大于或等于",
                    "至少",
                    "达到",
                    "高于",
                    "大于",
                    "超过",
                    "多于",
                    ">",
                )
            ),
            *(
                (w, Direction.AT_MOST)
                for w in (
                    "<=",
                    "≤",
                    "≦",
                    "=<",
                    "不高于",
                    "不超过",
                    "不多于",
                    "不大于",
                    "小于等于",
                    "小于或等于",
                    "至多",
                    "控制在",
                    "低于",
                    "小于",
                    "少于",
                    "<",
                )
            ),
            *((w, Direction.EQUAL) for w in ("=", "等于", "为")),
        ],
        key=lambda p: -len(p[0]),
    )
)
_SUFFIXES: tuple[tuple[str, Direction | None], ...] = (
    ("及以上", Direction.AT_LEAST),
    ("以上", Direction.AT_LEAST),
    ("及以下", Direction.AT_MOST),
    ("以下", Direction.AT_MOST),
    ("以内", Direction.AT_MOST),
    ("之内", Direction.AT_MOST),
    ("左右", None),
    ("(含)", None),
)
_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
_BODY = re.compile(r"^(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?P<mult>[万亿千]?)(?P<unit>.*)$")
# A unit is short and has no digits: "%", "元", "人次", "个", "km", "天".
_UNIT = re.compile(r"^(?:%|‰|[A-Za-z]{1,4}|[\u4e00-\u9fff]{1,4}(?:/[\u4e00-\u9fff]{1,2})?)?$")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and the direction a comparison sign gives it."""

    value: Decimal
    unit: str = ""
    direction: Direction | None = None
    text: str = ""
    bare: str = ""

    @property
    def shown(self) -> str:
        """The value as the person wrote it (for explanations)."""
        return self.text or plain(self.value) + self.unit

    @property
    def figure(self) -> str:
        """The value as written without its comparison sign ("≥1.5万人次" → "1.5万人次")."""
        return self.bare or self.shown


def parse_quantity(value: object, number_format: str = "General") -> Quantity | None:
    """A cell value as a :class:`Quantity`, or None when it is not a number with a unit.

    Numbers: int, float (via its shortest repr), Decimal; with a percent number format the
    value is multiplied by 100 and gets the unit "%". Text: an optional comparison word or sign
    (≥ ≤ > < = 不低于 不超过 …), the number (full-width digits, thousands separators), an
    optional 万/亿/千, a short unit, an optional 以上/以下/以内. Anything else (dates, a sentence,
    "有效提升") is None: such a value is qualitative.
    """
    if value is None or isinstance(value, bool | datetime | date | time | timedelta):
        return None
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                return None
            number = Decimal(repr(value))
        else:
            number = Decimal(value)
            if not number.is_finite():
                return None
        if "%" in number_format:
            return Quantity(number * HUNDRED, "%", None, plain(number * HUNDRED) + "%")
        return Quantity(number, "", None, plain(number))
    if not isinstance(value, str):
        return None
    shown = clean_text(value)
    text = re.sub(r"\s+", "", nfkc(value)).replace(",", "")
    if not text or text.upper() in EXCEL_ERRORS:
        return None
    direction: Direction | None = None
    for word, d in _PREFIXES:
        if text.startswith(word):
            direction, text = d, text[len(word) :]
            break
    for word, suffix_direction in _SUFFIXES:
        if text.endswith(word):
            direction = direction or suffix_direction
            text = text[: -len(word)]
            break
    m = _BODY.match(text)
    if not m:
        return None
    unit = m.group("unit")
    if not _UNIT.match(unit):
        return None
    number = Decimal(m.group("num"))
    if m.group("mult"):
        number *= _MULTIPLIERS[m.group("mult")]
    return Quantity(number, unit, direction, shown, text)


def same_unit(a: Quantity, b: Quantity) -> bool:
    """True when two quantities can be compared: equal units, or one of them has none."""
    return not a.unit or not b.unit or a.unit == b.unit
