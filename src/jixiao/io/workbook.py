"""Load a worksheet into a grid of cell values, with merged cells filled in.

Only the top-left cell of a merged range holds a value in the file; the grid copies it to every
cell of the range and remembers where it came from. Formulas are not evaluated: a formula's
cached value is used, and a formula with no cached value is reported by the caller (it is never
read as 0). The input file is only ever opened for reading.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError
from jixiao.io._excel import get_column_letter  # openpyxl's, without importing openpyxl

SUPPORTED = {".xlsx", ".xlsm", ".xls", ".csv"}


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
            self._formulas = _read_formulas(self.path, self.sheet)
        return self._formulas.get(self.merged_from.get((row, col), (row, col)))

    def iter_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row with its 1-based number."""
        yield from enumerate(self.rows, start=1)


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """Open an .xlsx with openpyxl for reading, after the container checks of :mod:`.safety`.

    The file is opened read-only and handed to openpyxl as a file object (so a real .xlsx saved
    with a wrong extension is still read). Macros and external links are not loaded; openpyxl
    never evaluates formulas. Any failure of the parser on a damaged or hostile file becomes a
    :class:`SheetError`.
    """
    from jixiao.io.sniff import Kind, identify

    if identify(path) is not Kind.XLSX:
        raise SheetError(path, "不是 .xlsx 工作簿；请在 Excel 或 WPS 中另存为 .xlsx")
    return _open_xlsx(path, data_only=data_only)


def _open_xlsx(path: Path, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    from jixiao.io.safety import check_zip

    try:
        fh = path.open("rb")
    except OSError as e:
        raise SheetError(path, f"无法读取文件（{e.strerror or e}）") from e
    try:
        with zipfile.ZipFile(fh) as zf:
            check_zip(path, zf)
        fh.seek(0)
        # openpyxl warns in English about parts it drops (data-validation extensions, odd
        # properties, as WPS files often have); they do not affect scoring, so users are not
        # shown them.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(fh, data_only=data_only, read_only=False, keep_links=False)
    except SheetError:
        fh.close()
        raise
    except Exception as e:
        fh.close()
        raise _parser_error(path, e) from e
    # openpyxl has read everything in non-read-only mode; the handle is no longer needed.
    fh.close()
    return wb


def _parser_error(path: Path, e: Exception) -> SheetError:
    """The error to show for an exception raised while parsing a workbook."""
    if isinstance(e, MemoryError):
        return SheetError(path, "读取工作簿时内存不足，文件过大或结构异常，拒绝读取")
    name = type(e).__name__
    if _refused_by_defusedxml(e):
        return SheetError(
            path, "工作簿中含有 XML 实体或文档类型声明（可能是实体炸弹或外部实体引用），为安全起见拒绝读取"
        )
    if isinstance(e, zipfile.BadZipFile):
        return SheetError(path, "文件已损坏（压缩包不完整或校验失败），请重新获取原文件")
    return SheetError(
        path,
        f"无法作为 Excel 工作簿读取（文件已损坏或结构异常：{name}）；"
        "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试",
    )


def _refused_by_defusedxml(e: BaseException) -> bool:
    """True when defusedxml refused the XML somewhere down the chain (openpyxl wraps it)."""
    from defusedxml import DefusedXmlException

    seen: set[int] = set()
    current: BaseException | None = e
    while current is not None and id(current) not in seen:
        if isinstance(current, DefusedXmlException):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def load_grids(path: Path, *, reader: str = "calamine") -> list[Grid]:
    """Every worksheet of a workbook (.xlsx, .xls or CSV) as a :class:`Grid`.

    ``reader="calamine"`` (the default) reads an .xlsx with :mod:`jixiao.io.calamine_grid`, which
    gives the same grid several times faster and falls back to openpyxl for what it does not expect.
    """
    from jixiao.io.sniff import Kind, identify

    kind = identify(path)
    if kind is Kind.XLS:
        from jixiao.io.legacy import load_xls_grids

        return load_xls_grids(path)
    if kind is Kind.CSV:
        from jixiao.io.legacy import load_csv_grid

        return load_csv_grid(path)
    if reader == "calamine":
        from jixiao.io import calamine_grid

        return calamine_grid.load_xlsx_grids(path)
    wb = _open_xlsx(path, data_only=True)
    try:
        names = list(wb.sheetnames)
        return [_to_grid(path, ws, names) for ws in wb.worksheets]
    except SheetError:
        raise
    except Exception as e:
        raise _parser_error(path, e) from e
    finally:
        wb.close()


MAX_ROWS = 200_000
"""Last row with content read from a worksheet: twice a 100,000-row sheet, far beyond any
score sheet. A value further down (often a stray keystroke) is reported with its cell."""


def _to_grid(path: Path, ws: Any, names: list[str]) -> Grid:
    # Only the cells present in the file are visited: iterating the bounding box
    # (ws.iter_rows) would create a cell object for every position up to a stray value at
    # XFD1048576, which is how a 10 KB file can take hours.
    cells = ws._cells  # {(row, col): cell}, only the cells the file holds
    height = max((r for (r, _), cell in cells.items() if cell.value is not None), default=0)
    if height > MAX_ROWS:
        far = max((rc for rc, cell in cells.items() if cell.value is not None), key=lambda rc: rc[0])
        raise SheetError(
            path,
            f"工作表“{ws.title}”在 {cell_ref(*far)} 仍有内容，超过 {MAX_ROWS} 行的上限；"
            "请删除表格下方多余的内容，或把评分表复制到一个新的工作簿后再评分",
        )
    rows: list[list[Any]] = [[] for _ in range(height)]
    formats: dict[tuple[int, int], str] = {}
    for (r, c), cell in cells.items():
        value = cell.value
        if value is None:
            continue
        line = rows[r - 1]
        if len(line) < c:
            line.extend([None] * (c - len(line)))
        line[c - 1] = value
        if cell.number_format != "General":
            formats[(r, c)] = cell.number_format
    ranges = [(rng.min_row, rng.min_col, rng.max_row, rng.max_col) for rng in ws.merged_cells.ranges]
    return Grid(path, ws.title, names, rows, formats, fill_merges(rows, ranges))


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


def _read_formulas(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    wb = _open_xlsx(path, data_only=False)
    try:
        ws = wb[sheet]
        found: dict[tuple[int, int], str] = {}
        for line in ws.iter_rows():
            for cell in line:
                if cell.data_type == "f":
                    value = cell.value
                    text = value if isinstance(value, str) else getattr(value, "text", "")
                    found[(cell.row, cell.column)] = str(text)
        return found
    except SheetError:
        raise
    except Exception as e:
        raise _parser_error(path, e) from e
    finally:
        wb.close()
