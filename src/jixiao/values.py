"""Turning what people type into cells into exact numbers and comparable names.

Sheets carry scores as numbers, as text, with full-width digits ("２２．３１"), with a unit
("9.5分") or a percent sign; indicator names carry numbering ("1.", "（一）"), spaces and
weights ("履职效能（46分）"). Everything here is pure and exact: numbers become
:class:`decimal.Decimal`, never float. :func:`quantize` is the one rounding rule of jixiao.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from functools import lru_cache, wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# "履职效能（46分）", "投入(15分)", "资金管理（权重10）", "预算执行 8分" — NFKC has already
# turned full-width brackets into ASCII ones.
_LABEL_POINTS = re.compile(
    r"^(?P<name>.*?)\s*(?:\(\s*(?:分值|权重)?[:：]?\s*(?P<a>\d+(?:\.\d+)?)\s*分?\s*\)"
    r"|[:：]?\s*(?P<b>\d+(?:\.\d+)?)\s*分)\s*$"
)
LABEL_WEIGHT_WINDOW = 64
"""Characters at the end of a label searched for its weight ("投入（15分）")."""
# Leading ordinals: "1.", "1、", "(1)", "（一）", "一、", "①".
_ORDINAL = re.compile(
    r"^(?:\(\s*[0-9一二三四五六七八九十]+\s*\)|[0-9]+(?:\.[0-9]+)*[.、)]|[一二三四五六七八九十]+[、.)]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"
)
EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"}
)


MAX_DECIMALS = 40
"""Decimal places accepted in a typed number. With :data:`MAX_MAGNITUDE` this keeps every
input within 55 significant digits, so sums are exact under :data:`ARITHMETIC`."""

ARITHMETIC = Context(prec=120, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)
"""The decimal context of every computation: Python's default keeps 28 significant digits, so
a score typed with more (89.99499999999999999999999999999) was rounded to 89.995 by the first
sum and then half up to 90.00. Wide enough for exact sums of any inputs jixiao accepts."""


def exact_arithmetic() -> AbstractContextManager[Context]:
    """A context manager running a computation under :data:`ARITHMETIC`."""
    return localcontext(ARITHMETIC)


def exact(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` under :data:`ARITHMETIC` (a decorator for every computation of scores)."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(ARITHMETIC):
            return fn(*args, **kwargs)

    return run


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
    odd = _odd_character(value)
    if odd:
        raise NotANumber(f"含有上标、下标或其他特殊字符“{odd}”，不是普通数字")
    text = nfkc(value).strip()
    if text.upper() in EXCEL_ERRORS:
        raise NotANumber(f"是错误值 {text}")
    if _INNER_SPACE.search(text):
        raise NotANumber("数字中间有空格，无法确定是一个数还是几个数")
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
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise NotANumber(f"小数位数超过 {MAX_DECIMALS} 位，不是合理的分值或得分")
    return value


# Full-width and no-break forms are what people type; superscripts (²), subscripts, circled
# or fraction characters only look like digits and NFKC would turn "22.3¹" into 22.31.
_TYPED_FORMS = ("<wide>", "<narrow>", "<noBreak>")
_INNER_SPACE = re.compile(r"[0-9.]\s+[0-9.]")


def _odd_character(text: str) -> str | None:
    for ch in text:
        if ch.isascii():
            continue
        decomposition = unicodedata.decomposition(ch)
        if decomposition.startswith("<") and not decomposition.startswith(_TYPED_FORMS):
            return ch
    return None


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
    # A weight is written at the end ("(15分)", "15分"): the pattern is tried on the last
    # LABEL_WEIGHT_WINDOW characters only, and only when they end in 分 or ")". On the whole text
    # its backtracking grows with the square of a run of digits (6,000 digits took 2.7 s).
    head, tail = folded[:-LABEL_WEIGHT_WINDOW], folded[-LABEL_WEIGHT_WINDOW:]
    m = _LABEL_POINTS.match(tail) if tail.rstrip().endswith(("分", ")")) else None
    if m:
        points = Decimal(m.group("a") or m.group("b"))
        if (head + m.group("name")).strip():
            folded = head + m.group("name")
        # else a label that is only its weight ("(30分)", the name lost): the text stays the name
    name = _ORDINAL.sub("", folded.strip(), count=1).strip() or folded.strip()
    return Label(text=text, name=name, key=name_key(name), points=points)


# Characters nobody sees but that make two names differ: zero-width space/joiners, word joiner,
# BOM, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = str.maketrans("", "", INVISIBLE)
# Traditional forms of the characters of indicator names (a sheet typed or converted in a
# traditional-Chinese setting); compared in their simplified form.
_TRADITIONAL = (
    "績绩預预執执資资產产項项標标設设計计劃划實实際际質质時时經经濟济會会態态續续響响滿满務务職职"
    "費费運运營营額额購购採采買买開开發发術术協协號号財财規规範范專专數数據据報报評评價价審审稅税"
    "廣广東东關关縣县區区鄉乡鎮镇學学醫医療疗衛卫環环護护農农業业機机構构幹干傳传達达選选擇择調调"
    "節节約约歸归屬属檔档檢检驗验證证險险點点線线網网絡络維维權权條条變变動动總总對对應应與与為为"
    "個个這这們们從从來来後后於于無无備备訊讯覈核員员練练廳厅辦办導导領领勵励獎奖懲惩決决議议"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL[0::2], _TRADITIONAL[1::2])


def fold_name(text: str) -> tuple[str, list[str]]:
    """``text`` without invisible characters and in simplified form, and what was folded."""
    what = []
    plain_text = text.translate(_INVISIBLE)
    if plain_text != text:
        what.append("不可见字符（如零宽空格、BOM）")
    simplified = plain_text.translate(_TO_SIMPLIFIED)
    if simplified != plain_text:
        what.append("繁体字")
    return simplified, what


@lru_cache(maxsize=16384)  # the same indicator names recur across a bureau's files
def name_key(name: str) -> str:
    """The form names are compared in: NFKC, no spaces or invisible characters, simplified
    characters, no ordinal, lower-case latin."""
    folded = _SPACES.sub("", nfkc(name).translate(_INVISIBLE).translate(_TO_SIMPLIFIED))
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
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=ARITHMETIC)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0.00"


def rate_of(score: Decimal, points: Decimal | None) -> Decimal | None:
    """The exact 得分率 (得分 ÷ 分值 × 100), or None when there is no positive 分值."""
    if points is None or points <= 0:
        return None
    return score / points * HUNDRED


_FORMAT_SECTION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def displayed_places(number_format: str) -> int | None:
    """How many decimals an Excel number format shows ("0.00%" → 2, "0" → 0), None for General.

    Only the first section (positive numbers) counts; quoted text, escapes and [colour] or
    [condition] parts are ignored. A format with no digit placeholder says nothing.
    """
    fmt = (number_format or "").split(";")[0]
    fmt = _FORMAT_SECTION.sub("", fmt)
    if not fmt or fmt.lower() == "general" or not any(ch in fmt for ch in "0#?"):
        return None
    if "E" in fmt.upper() and "0E" in fmt.upper():
        return None  # scientific notation: not a fixed number of decimals
    if "." not in fmt:
        return 0
    after = fmt.split(".", 1)[1]
    return sum(1 for ch in after if ch in "0#?") if after else 0


def as_displayed(value: Decimal, number_format: str, *, percent: bool = False) -> Decimal:
    """A cell's number as its format shows it: 0.9907407… in "0.00%" is 99.07 (percent=True
    gives the percent figure); in "0.00" 99.074074… is 99.07. General leaves it unchanged."""
    places = displayed_places(number_format)
    in_percent = "%" in (number_format or "")
    shown = value * 100 if percent and in_percent else value
    if places is None:
        return shown
    if in_percent and not percent:
        places += 2  # the fraction behind a percent display: 99.07% shows 0.9907
    return quantize(shown, places)
