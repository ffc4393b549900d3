"""Legal XML variants of one worksheet, each written as Excel or LibreOffice could read it.

Every variant starts from the 韶关 table as LibreOffice saves it (shared strings, styles) and
changes only how the XML says the same thing, or adds something a reader must ignore. Each
returns the workbook bytes and the figures a correct reader gives (from the XML's meaning).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
REAL_D3 = re.compile(r'<c r="D3"[^>]*><v>22\.31</v></c>')
FULL = ("98.81", "优")  # the table as built
LOWER = ("88.50", "良")  # D3 really 12 instead of 22.31


def rewrite(base: bytes, change: Callable[[str, str], str | None]) -> bytes:
    """The workbook with ``change(part, text)`` applied to each XML part (None keeps it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith(".xml"):
                new = change(info.filename, data.decode("utf-8"))
                if new is not None:
                    data = new.encode("utf-8")
            zout.writestr(info.filename, data)
    return out.getvalue()


def _sheet(edit: Callable[[str], str]) -> Callable[[str, str], str | None]:
    return lambda part, text: edit(text) if part == SHEET else None


def _d3(replacement: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert REAL_D3.search(text), "the base sheet changed"
        return REAL_D3.sub(lambda m: replacement, text, count=1)

    return edit


def _add_string(text: str, value: str) -> tuple[str, int]:
    count = text.count("<si>")
    return text.replace("</sst>", f"<si><t>{value}</t></si></sst>"), count


def _text_score(cell: Callable[[int], str]) -> Callable[[str, str], str | None]:
    """D3 holds the text "22.31" as a shared string, its cell written by ``cell(index)``."""
    index: list[int] = []

    def change(part: str, text: str) -> str | None:
        if part == STRINGS:
            text, i = _add_string(text, "22.31")
            index.append(i)
            return text
        return None

    def second(part: str, text: str) -> str | None:
        if part == SHEET:
            return _d3(cell(index[0]))(text)
        return None

    change.second = second  # type: ignore[attr-defined]
    return change


def _prefix_all(text: str, prefix: str = "x") -> str:
    """Every unprefixed element given the prefix ``x`` bound to the main namespace."""
    text = text.replace(f'xmlns="{MAIN}"', f'xmlns:{prefix}="{MAIN}"', 1)
    return re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s>/])", rf"<\1{prefix}:\2", text)


VARIANTS: dict[str, tuple[list[Callable[[str, str], str | None]], tuple[str, str]]] = {}


def variant(name: str, expected: tuple[str, str], *changes: Callable[[str, str], str | None]) -> None:
    VARIANTS[name] = (list(changes), expected)


variant(
    "comment-holds-old-cell",
    LOWER,
    _sheet(_d3('<c r="D3" s="0" t="n"><v>12</v></c><!--<c r="D3" t="n"><v>22.31</v></c>-->')),
)
variant(
    "unknown-element-holds-old-cell",
    LOWER,
    _sheet(
        _d3(
            '<c r="D3" s="0" t="n"><v>12</v></c>'
            '<old:cells xmlns:old="urn:example:old"><c r="D3" t="n"><v>22.31</v></c></old:cells>'
        )
    ),
)
variant(
    "foreign-r-on-another-cell",
    FULL,
    _sheet(
        _d3(
            '<c r="D3" s="0" t="n"><v>22.31</v></c>'
            '<c xmlns:foo="urn:example:foo" foo:r="D3" r="Z3" t="n"><v>1</v></c>'
        )
    ),
)
variant("v-xml-space", FULL, _sheet(_d3('<c r="D3" s="0" t="n"><v xml:space="preserve">22.31</v></c>')))
variant("v-cdata", FULL, _sheet(_d3('<c r="D3" s="0" t="n"><v><![CDATA[22.31]]></v></c>')))
variant("v-exponent", FULL, _sheet(_d3('<c r="D3" s="0" t="n"><v>2.231E1</v></c>')))
variant("prefixed-sheet", FULL, _sheet(_prefix_all))
variant("prefixed-strings", FULL, lambda part, text: _prefix_all(text) if part == STRINGS else None)
variant(
    "single-quoted-attributes",
    FULL,
    _sheet(lambda text: re.sub(r'="([^"]*)"', r"='\1'", text)),
)
variant(
    "rows-without-r",
    FULL,
    _sheet(lambda text: re.sub(r'<row r="\d+"', "<row", text)),
)
variant(
    "comments-everywhere",
    FULL,
    _sheet(lambda text: text.replace("<row ", "<!-- a row --><row ").replace("</c>", "</c><!-- x -->")),
)

_single = _text_score(lambda i: f'<c r="D3" s="0" t=\'s\'><v>{i}</v></c>')
variant("text-score-t-single-quoted", FULL, _single, _single.second)  # type: ignore[attr-defined]
_spaced = _text_score(lambda i: f'<c r="D3" s="0" t = "s"><v>{i}</v></c>')
variant("text-score-t-spaced", FULL, _spaced, _spaced.second)  # type: ignore[attr-defined]
_foreign = _text_score(lambda i: f'<c xmlns:foo="urn:example:foo" r="D3" foo:t="n" t="s"><v>{i}</v></c>')
variant("text-score-foreign-t-first", FULL, _foreign, _foreign.second)  # type: ignore[attr-defined]


def write_variant(base: bytes, name: str, out: Path) -> Path:
    """Write variant ``name`` of ``base`` to ``out``."""
    changes, _ = VARIANTS[name]
    data = base
    for change in changes:
        data = rewrite(data, change)
    out.write_bytes(data)
    return out


# -- generated combinations ------------------------------------------------------------------

CONTENT = [
    "comment-holds-old-cell",
    "unknown-element-holds-old-cell",
    "foreign-r-on-another-cell",
    "v-xml-space",
    "v-cdata",
    "v-exponent",
    "text-score-t-single-quoted",
    "text-score-t-spaced",
    "text-score-foreign-t-first",
]
"""Variants that change what D3 holds: at most one per combination, applied first."""

FORM = [
    "rows-without-r",
    "comments-everywhere",
    "prefixed-strings",
    "prefixed-sheet",
    "single-quoted-attributes",
]
"""Variants that only change how the XML is written, in the order they can follow each other
(rows and the namespace declaration are matched with double quotes, so single quotes come last)."""

_CLASHES = {("comment-holds-old-cell", "comments-everywhere")}  # "--" inside a comment is not XML


def generate(seed: int, count: int) -> dict[str, tuple[list[str], tuple[str, str]]]:
    """``count`` random legal combinations: {name: (variant names in order, expected figures)}."""
    import random

    rng = random.Random(seed)
    out: dict[str, tuple[list[str], tuple[str, str]]] = {}
    for _ in range(count * 20):
        if len(out) == count:
            break
        content = rng.choice([None, *CONTENT])
        forms = [f for f in FORM if rng.random() < 0.5 and (content, f) not in _CLASHES]
        names = ([content] if content else []) + forms
        if len(names) < 2:
            continue  # the single variants are tested on their own
        out["+".join(names)] = (names, VARIANTS[content][1] if content else FULL)
    return out


def write_combination(base: bytes, names: list[str], out: Path) -> Path:
    """Write the variants ``names`` of ``base``, one after another, to ``out``."""
    data = base
    for name in names:
        for change in VARIANTS[name][0]:
            data = rewrite(data, change)
    out.write_bytes(data)
    return out
