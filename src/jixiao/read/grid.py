"""The grid every reader produces: one worksheet as a rectangle of values, merges filled.

Only the top-left cell of a merged range holds a value in the file; the grid copies it to every
cell of the range and remembers where it came from. Formulas are not evaluated: a formula's
cached value is used, and a formula with no cached value is reported by the caller (it is never
read as 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.read._excel import get_column_letter  # openpyxl's, without importing openpyxl

SUPPORTED = {".xlsx", ".xlsm", ".xls", ".csv"}


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛, BEL as ␇
    if code == 0x7F:
        return "\u2421"  # ␡
    # C1 controls (U+0080–U+009F; U+009B is CSI, U+009D OSC for terminals that take 8-bit
    # controls) have no pictures: their code point, so that 0x85 and 0x9B stay apart.
    return f"⟨U+{code:04X}⟩"


def visible(text: str) -> str:
    """Sheet text with control characters shown visibly (ESC → ␛, U+009B → ⟨U+009B⟩), tab and
    line breaks kept.

    Every reader applies it to the text it takes from a file, so nothing jixiao prints or
    writes carries a terminal escape sequence (ESC [2J, OSC-8 links), and no writer meets a
    character its format forbids (Excel's ``_x001B_`` decodes to ESC).
    """
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


def cell_ref(row: int, col: int) -> str:
    """The A1 address of a 1-based row and column (``cell_ref(7, 4)`` → ``D7``)."""
    return f"{get_column_letter(col)}{row}"


@dataclass
class Grid:
    """One worksheet as a rectangle of values (1-based access), merges filled."""

    path: Path
    sheet: str
    sheet_names: list[str]
    rows: list[list[Any]]
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    merged_from: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    _formulas: dict[tuple[int, int], str] | None = None
    # How the reader that made this grid finds its formulas when one is asked for (a second,
    # slower read of the file); None for files that hold no formulas (.xls values, CSV).
    formula_reader: Callable[[Path, str], dict[tuple[int, int], str]] | None = field(
        default=None, repr=False, compare=False
    )
    _max_col: int | None = field(default=None, repr=False, compare=False)

    @property
    def max_row(self) -> int:
        """Number of rows in the grid."""
        return len(self.rows)

    @property
    def max_col(self) -> int:
        """Number of columns in the grid (computed once: the table reader asks for every row)."""
        if self._max_col is None:
            self._max_col = max((len(r) for r in self.rows), default=0)
        return self._max_col

    def value(self, row: int, col: int) -> Any:
        """The value at a 1-based row and column, None outside the used range."""
        if 1 <= row <= len(self.rows):
            line = self.rows[row - 1]
            if 1 <= col <= len(line):
                return line[col - 1]
        return None

    def number_format(self, row: int, col: int) -> str:
        """The number format of a cell (``General`` when unknown)."""
        return self.number_formats.get(self.merged_from.get((row, col), (row, col)), "General")

    def formula(self, row: int, col: int) -> str | None:
        """The formula stored in a cell, if any (the file is read again, once, on demand)."""
        if self._formulas is None:
            reader = self.formula_reader
            self._formulas = reader(self.path, self.sheet) if reader is not None else {}
        return self._formulas.get(self.merged_from.get((row, col), (row, col)))

    def iter_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row with its 1-based number."""
        yield from enumerate(self.rows, start=1)


MAX_ROWS = 200_000
"""Last row with content read from a worksheet: twice a 100,000-row sheet, far beyond any
score sheet. A value further down (often a stray keystroke) is reported with its cell."""


MAX_GRID_CELLS = 5_000_000
"""Cells of one grid (each row as long as its last value, summed over the rows): about 40 MB of
pointers. Beyond it a sheet is refused with its farthest cell, whatever the reader."""


def fill_merges(
    rows: list[list[Any]], ranges: Iterable[tuple[int, int, int, int]]
) -> dict[tuple[int, int], tuple[int, int]]:
    """Copy each merged range's top-left value to its other cells, in place; every reader uses this.

    ``ranges`` are 1-based ``(top, left, bottom, right)``. Returns, for each filled cell, the
    cell its value came from. Nothing is filled beyond the last row or column with content.
    """
    width = max((len(line) for line in rows), default=0)
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for top, left, bottom, right in ranges:
        if top > len(rows) or left > width:
            continue
        right = min(right, width)
        origin = rows[top - 1][left - 1] if left <= len(rows[top - 1]) else None
        for r in range(top, min(bottom, len(rows)) + 1):
            line = rows[r - 1]
            if len(line) < right:
                line.extend([None] * (right - len(line)))
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    line[c - 1] = origin
                    merged[(r, c)] = (top, left)
    return merged
