"""Turning what people type into cells into exact numbers and comparable names.

Sheets carry scores as numbers, as text, with full-width digits ("２２．３１"), with a unit
("9.5分") or a percent sign; indicator names carry numbering ("1.", "（一）"), spaces and
weights ("履职效能（46分）"). Everything here is pure and exact: numbers become
:class:`decimal.Decimal`, never float. :func:`quantize` is the one rounding rule of jixiao.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# "履职效能（46分）", "投入(15分)", "资金管理（权重10）", "预算执行 8分" — NFKC has already
# turned full-width brackets into ASCII ones.
_LABEL_POINTS = re.compile(
    r"^(?P<name>.*?)\s*(?:\(\s*(?:分值|权重)?[:：]?\s*(?P<a>\d+(?:\.\d+)?)\s*分?\s*\)"
    r"|[:：]?\s*(?P<b>\d+(?:\.\d+)?)\s*分)\s*$"
)
# Leading ordinals: "1.", "1、", "(1)", "（一）", "一、", "①".
_ORDINAL = re.compile(
    r"^(?:\(\s*[0-9一二三四五六七八九十]+\s*\)|[0-9]+(?:\.[0-9]+)*[.、)]|[一二三四五六七八九十]+[、.)]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"
)
EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"}
)


class NotANumber(ValueError):
    """A cell value that cannot be read as a number; ``str()`` says why in Chinese."""


def nfkc(text: str) -> str:
    """Fold full-width forms to half-width and compose characters (``２２．３１`` → ``22.31``)."""
    return unicodedata.normalize("NFKC", text)


def clean_text(value: object) -> str:
    """A cell's text with surrounding and inner line breaks folded to single spaces."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


def is_blank(value: object) -> bool:
    """True for an empty cell or one holding only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_decimal(value: object, *, allow_percent: bool = False) -> Decimal:
    """Read a cell value as an exact decimal.

    Accepts int, float (via its shortest repr, so 22.31 stays 22.31), Decimal and text with
    full-width digits, thousands separators, a trailing 分 (or % when ``allow_percent``).
    Raises :class:`NotANumber` for anything else, including booleans and dates.
    """
    if isinstance(value, bool):
        raise NotANumber("是逻辑值（TRUE/FALSE），不是数字")
    if isinstance(value, datetime | date | time | timedelta):
        raise NotANumber("是日期或时间，不是数字（请检查单元格格式）")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber("不是有限数值")
        return _bounded(value)
    if isinstance(value, int):
        return _bounded(Decimal(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotANumber("不是有限数值")
        return _bounded(Decimal(repr(value)))
    if not isinstance(value, str):
        raise NotANumber(f"类型 {type(value).__name__} 不是数字")
    text = nfkc(value).strip()
    if text.upper() in EXCEL_ERRORS:
        raise NotANumber(f"是错误值 {text}")
    text = _SPACES.sub("", text)
    if "," in text:
        # "1,000.5" is a thousands separator; "22,31" is a decimal comma or a typo: never guess.
        if not _THOUSANDS.fullmatch(text.removesuffix("分").removesuffix("%")):
            raise NotANumber("含有逗号，无法确定是千分位还是小数点（小数请用“.”）")
        text = text.replace(",", "")
    if text.endswith("分"):
        text = text[:-1]
    if allow_percent and text.endswith("%"):
        text = text[:-1]
    if not _NUMBER.fullmatch(text):
        raise NotANumber("不是数字")
    try:
        return _bounded(Decimal(text))
    except InvalidOperation as e:  # pragma: no cover - the regex already guards this
        raise NotANumber("不是数字") from e


MAX_MAGNITUDE = Decimal(10) ** 15
"""Larger numbers are no score or weight; refusing them keeps every sum within Decimal's
28 significant digits (a cell holding 1e26 would otherwise fail to round)."""


def _bounded(value: Decimal) -> Decimal:
    if abs(value) >= MAX_MAGNITUDE:
        raise NotANumber("数值过大，不是合理的分值或得分")
    return value


def why_not_a_number(value: object) -> tuple[str, str]:
    """A cell value as a user would recognise it, and why it is not a number (both Chinese)."""
    try:
        parse_decimal(value)
    except NotANumber as e:
        why = str(e)
    else:  # pragma: no cover - only called for values that failed to parse
        why = "不是数字"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), why
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date().isoformat(), why
    return clean_text(value), why


@dataclass(frozen=True)
class Label:
    """An indicator label split into its name and the weight written inside it, if any."""

    text: str
    name: str
    key: str
    points: Decimal | None


def split_label(value: object) -> Label:
    """Split "履职效能（46分）" into name 履职效能, key for matching and points 46."""
    # Level labels repeat down merged columns, so the same text is split many times per sheet.
    return _split_label_text(clean_text(value))


@lru_cache(maxsize=8192)
def _split_label_text(text: str) -> Label:
    folded = nfkc(text)
    points: Decimal | None = None
    m = _LABEL_POINTS.match(folded)
    if m and m.group("name").strip():
        points = Decimal(m.group("a") or m.group("b"))
        folded = m.group("name")
    name = _ORDINAL.sub("", folded.strip(), count=1).strip() or folded.strip()
    return Label(text=text, name=name, key=name_key(name), points=points)


@lru_cache(maxsize=16384)  # the same indicator names recur across a bureau's files
def name_key(name: str) -> str:
    """The form names are compared in: NFKC, no spaces, no ordinal, lower-case latin."""
    folded = _SPACES.sub("", nfkc(name))
    folded = _ORDINAL.sub("", folded, count=1) or folded
    return folded.lower()


def header_key(value: object) -> str:
    """The form header cells are compared in: NFKC, no spaces or line breaks."""
    if isinstance(value, str):
        return _header_key_text(value)
    return _SPACES.sub("", nfkc(clean_text(value)))


@lru_cache(maxsize=4096)
def _header_key_text(value: str) -> str:
    return _SPACES.sub("", nfkc(clean_text(value)))


def plain(value: Decimal) -> str:
    """A decimal as the reports write it: no exponent, no trailing zeros (98.50 → 98.5, 0.00 → 0)."""
    if value == 0:
        return "0"  # also for -0 and 0E-2
    return format(value.normalize(), "f")


def decimals_of(value: Decimal) -> int:
    """How many decimal places a decimal was written with (``97`` → 0, ``98.50`` → 2)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


HUNDRED = Decimal(100)


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half up (四舍五入) to ``places`` decimals; the only rounding rule in jixiao."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate_of(score: Decimal, points: Decimal | None) -> Decimal | None:
    """The exact 得分率 (得分 ÷ 分值 × 100), or None when there is no positive 分值."""
    if points is None or points <= 0:
        return None
    return score / points * HUNDRED
