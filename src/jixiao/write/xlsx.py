"""Small helpers shared by every workbook jixiao writes: safe text, styles, print settings."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from decimal import Decimal
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "宋体"  # present on every Windows/WPS install; LibreOffice substitutes a CJK font
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
SCORE_FORMAT = "0.00"
POINTS_FORMAT = "0.##"


def text(ws: Worksheet, row: int, col: int, value: str | None, *, styled: bool = True, **style: Any) -> Any:
    """Write text as text: a value beginning with = + - @ never becomes a formula.

    ``styled=False`` skips the font/border/alignment objects, which openpyxl hashes per cell:
    for sheets of thousands of rows (audit records, batch summaries).
    """
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if styled:
        _style(cell, **style)
    return cell


def number(
    ws: Worksheet,
    row: int,
    col: int,
    value: Decimal | int | None,
    fmt: str = SCORE_FORMAT,
    **style: Any,
) -> Any:
    """Write an exact number (a Decimal is stored with all its digits)."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    style.setdefault("align", "right")
    _style(cell, fmt=fmt, **style)
    return cell


def formula(ws: Worksheet, row: int, col: int, expr: str, fmt: str = SCORE_FORMAT, **style: Any) -> Any:
    """Write one of jixiao's own formulas (never text from a sheet)."""
    cell = ws.cell(row=row, column=col)
    cell.value = expr
    style.setdefault("align", "right")
    _style(cell, fmt=fmt, **style)
    return cell


# Setting cell.font / .border / .alignment builds an object and hashes it into the workbook's
# style tables, for every cell: most of the time of writing a long result. The outcome is only
# the cell's style array (indices into those tables), so it is computed once per workbook for
# each (style before, format, options) and copied to every further cell asking for the same.
_STYLES: WeakKeyDictionary[Any, dict[tuple[Any, ...], tuple[Any, Any]]] = WeakKeyDictionary()


def _style(
    cell: Any,
    *,
    fmt: str | None = None,
    bold: bool = False,
    size: float = 11,
    fill: PatternFill | None = None,
    border: bool = True,
    align: str = "left",
    wrap: bool = True,
) -> None:
    cache = _STYLES.setdefault(cell.parent.parent, {})
    before = None if cell._style is None else tuple(cell._style)  # a new cell has no array yet
    key = (before, fmt, bold, size, id(fill), border, align, wrap)
    hit = cache.get(key)
    if hit is not None and hit[0] is fill:  # the same fill object, not one that reused its id
        cell._style = copy(hit[1])
        return
    _apply(cell, fmt=fmt, bold=bold, size=size, fill=fill, border=border, align=align, wrap=wrap)
    cache[key] = (fill, copy(cell._style))


def _apply(
    cell: Any,
    *,
    fmt: str | None,
    bold: bool,
    size: float,
    fill: PatternFill | None,
    border: bool,
    align: str,
    wrap: bool,
) -> None:
    if fmt is not None:
        cell.number_format = fmt
    cell.font = Font(name=FONT_NAME, bold=bold, size=size)
    if fill is not None:
        cell.fill = fill
    if border:
        cell.border = BOX
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)


def merge(ws: Worksheet, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
    """``ws.merge_cells`` with the same result, but each merged cell's border computed once per kind.

    openpyxl gives every cell on the edge of a merged range the top-left cell's border and
    every cell its protection, one ``+=`` and one style-table look-up (hashing) per cell: for a
    一级 spanning 100,000 rows that was most of writing the workbook.
    """
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    coord = CellRange(min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row).coord
    mcr = MergedCellRange(ws, coord)
    ws.merged_cells.add(mcr)
    cells = ws._cells
    every = mcr.cells
    next(every)  # the top-left cell keeps its value and style
    for r, c in every:
        cells[r, c] = MergedCell(ws, r, c)
    start = mcr.start_cell
    memo = _MERGED.setdefault(ws.parent, {})
    ids = start._style if start._style is not None else StyleArray()
    for name in ("top", "left", "right", "bottom"):
        side = getattr(start.border, name)
        if side and side.style is None:
            continue
        # The side depends only on the top-left cell's border: its index in the border table.
        edge: tuple[Any, ...] = ("border", name, ids.borderId)
        _memo_each(ws, getattr(mcr, name), memo, edge, "border", Border(**{name: side}), add=True)
    if start.protection is not None:
        every_cell: tuple[Any, ...] = ("protection", ids.protectionId)
        _memo_each(ws, mcr.cells, memo, every_cell, "protection", copy(start.protection), add=False)


_MERGED: WeakKeyDictionary[Any, dict[tuple[Any, ...], Any]] = WeakKeyDictionary()


def _memo_each(
    ws: Worksheet,
    coords: Any,
    memo: dict[tuple[Any, ...], Any],
    kind: tuple[Any, ...],
    attr: str,
    value: Any,
    *,
    add: bool,
) -> None:
    # The style array a cell ends with depends only on the one it had and on ``kind``.
    for coord in coords:
        cell = ws._cells[coord]
        key = (*kind, None if cell._style is None else tuple(cell._style))
        hit = memo.get(key)
        if hit is not None:
            cell._style = copy(hit)
            continue
        setattr(cell, attr, getattr(cell, attr) + value if add else value)
        memo[key] = copy(cell._style)


def header_row(ws: Worksheet, row: int, titles: list[str]) -> None:
    """A bold, shaded, centred header row."""
    for col, title in enumerate(titles, start=1):
        text(ws, row, col, title, bold=True, fill=HEADER_FILL, align="center")


def title_row(ws: Worksheet, row: int, value: str, width: int, size: float = 14) -> None:
    """A merged, centred title line across ``width`` columns."""
    text(ws, row, 1, value, bold=True, size=size, border=False, align="center")
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = 28


def display_width(value: object) -> int:
    """Columns a text needs in Excel: CJK and full-width characters count double."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value or ""))


def fit_width(texts: Sequence[object], minimum: float = 8, maximum: float = 40) -> float:
    """A column width that shows the longest of ``texts`` on one line, within limits."""
    widest = max((display_width(t) for t in texts), default=0)
    return float(min(max(widest + 2, minimum), maximum))


def widths(ws: Worksheet, values: list[float]) -> None:
    """Set column widths, in characters."""
    for i, w in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def print_setup(ws: Worksheet, header_rows: str, landscape: bool = False) -> None:
    """A4, fit to one page wide, header rows repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
