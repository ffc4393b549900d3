"""Load a worksheet into a grid of cell values, with merged cells filled in.

Only the top-left cell of a merged range holds a value in the file; the grid copies it to every
cell of the range and remembers where it came from. Formulas are not evaluated: a formula's
cached value is used, and a formula with no cached value is reported by the caller (it is never
read as 0). The input file is only ever opened for reading.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from jixiao.errors import SheetError

SUPPORTED = {".xlsx", ".xlsm"}


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

    @property
    def max_row(self) -> int:
        """Number of rows in the grid."""
        return len(self.rows)

    @property
    def max_col(self) -> int:
        """Number of columns in the grid."""
        return max((len(r) for r in self.rows), default=0)

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
        """The formula stored in a cell, if any (the file is read a second time, once, on demand)."""
        if self._formulas is None:
            self._formulas = _read_formulas(self.path, self.sheet)
        return self._formulas.get(self.merged_from.get((row, col), (row, col)))

    def iter_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row with its 1-based number."""
        yield from enumerate(self.rows, start=1)


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """Open a workbook with openpyxl for reading, turning library errors into a SheetError."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise SheetError(path, "文件不存在")
    if path.is_dir():
        raise SheetError(path, "这是一个文件夹，不是工作簿")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise SheetError(path, f"不支持的文件类型“{suffix or '无扩展名'}”，请另存为 .xlsx")
    try:
        return load_workbook(path, data_only=data_only, read_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise SheetError(path, "无法作为 Excel 工作簿打开（文件已损坏或不是 .xlsx 文件）") from e


def load_grids(path: Path) -> list[Grid]:
    """Every worksheet of a workbook as a :class:`Grid`."""
    wb = open_workbook(path)
    try:
        names = list(wb.sheetnames)
        return [_to_grid(path, ws, names) for ws in wb.worksheets]
    finally:
        wb.close()


def _to_grid(path: Path, ws: Any, names: list[str]) -> Grid:
    rows: list[list[Any]] = []
    formats: dict[tuple[int, int], str] = {}
    for r, line in enumerate(ws.iter_rows(), start=1):
        values = []
        for c, cell in enumerate(line, start=1):
            value = cell.value
            values.append(value)
            if value is not None and cell.number_format != "General":
                formats[(r, c)] = cell.number_format
        rows.append(values)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        top, left = rng.min_row, rng.min_col
        if top > len(rows):
            continue
        origin = rows[top - 1][left - 1] if left <= len(rows[top - 1]) else None
        for r in range(top, min(rng.max_row, len(rows)) + 1):
            line = rows[r - 1]
            if len(line) < rng.max_col:
                line.extend([None] * (rng.max_col - len(line)))
            for c in range(left, rng.max_col + 1):
                if (r, c) != (top, left):
                    line[c - 1] = origin
                    merged[(r, c)] = (top, left)
    return Grid(path, ws.title, names, rows, formats, merged)


def _read_formulas(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    wb = open_workbook(path, data_only=False)
    try:
        ws = wb[sheet]
        found: dict[tuple[int, int], str] = {}
        for line in ws.iter_rows():
            for cell in line:
                if cell.data_type == "f":
                    text = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "")
                    found[(cell.row, cell.column)] = str(text)
        return found
    finally:
        wb.close()
