"""Small helpers shared by every workbook jixiao writes: safe text, styles, print settings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from decimal import Decimal
from pathlib import Path
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
    streamed = _streamed(ws)
    if streamed is not None:
        if isinstance(value, str):
            streamed.put(row, col, streamed.checked(value), "s", style if styled else None)
        else:
            streamed.put_value(row, col, value, style if styled else None)
        return None
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
    style.setdefault("align", "right")
    streamed = _streamed(ws)
    if streamed is not None:
        streamed.put_value(row, col, value, {"fmt": fmt, **style})
        return None
    cell = ws.cell(row=row, column=col)
    cell.value = value
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


def _style(cell: Any, **options: Any) -> None:
    """Style one cell (the options of :func:`_styled`), through the per-workbook cache."""
    cell._style = copy(_styled(cell, cell._style, **options))


def _styled(
    cell: Any,
    before_array: Any,
    *,
    cache: dict[tuple[Any, ...], tuple[Any, Any]] | None = None,
    fmt: str | None = None,
    bold: bool = False,
    size: float = 11,
    fill: PatternFill | None = None,
    border: bool = True,
    align: str = "left",
    wrap: bool = True,
) -> Any:
    """The style array a cell whose array is ``before_array`` ends with; ``cell`` (of the same
    workbook) is where it is computed on a cache miss. Callers never change what it returns."""
    if cache is None:
        cache = _STYLES.setdefault(cell.parent.parent, {})
    before = None if before_array is None else tuple(before_array)  # a new cell has no array yet
    key = (before, fmt, bold, size, id(fill), border, align, wrap)
    hit = cache.get(key)
    if hit is not None and hit[0] is fill:  # the same fill object, not one that reused its id
        return hit[1]
    cell._style = None if before_array is None else copy(before_array)
    _apply(cell, fmt=fmt, bold=bold, size=size, fill=fill, border=border, align=align, wrap=wrap)
    array = copy(cell._style)
    cache[key] = (fill, array)
    return array


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
    streamed = _streamed(ws)
    if streamed is not None:
        ws._cells.pop((start_row, start_column), None)  # made by MergedCellRange: the tuples hold it
        streamed.merge(mcr)
        return
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


def plain_rows(ws: Worksheet, first_row: int, rows: Iterable[Sequence[str]]) -> None:
    """Rows of unstyled text from ``first_row`` down: :func:`text` with ``styled=False`` per cell."""
    streamed = _streamed(ws)
    if streamed is None:
        for r, values in enumerate(rows, start=first_row):
            for c, value in enumerate(values, start=1):
                text(ws, r, c, value, styled=False)
        return
    checked = streamed.checked
    held = streamed.rows
    for r, values in enumerate(rows, start=first_row):
        cells = held.setdefault(r, {})
        for c, value in enumerate(values, start=1):
            before = cells.get(c)
            array = None if before is None else before[2]
            if isinstance(value, str):
                cells[c] = (checked(value), "s", array)
            else:
                streamed.put_value(r, c, value, None)


def merge_cells(ws: Worksheet, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
    """``ws.merge_cells``, also on a streamed sheet (the same outcome: see :func:`merge`)."""
    if _streamed(ws) is not None:
        merge(ws, start_row, start_column, end_row, end_column)
    else:
        ws.merge_cells(start_row=start_row, start_column=start_column, end_row=end_row, end_column=end_column)


def set_alignment(ws: Worksheet, row: int, col: int, alignment: Alignment) -> None:
    """``ws.cell(row, col).alignment = alignment``, also on a streamed sheet."""
    streamed = _streamed(ws)
    if streamed is None:
        ws.cell(row=row, column=col).alignment = alignment
        return
    streamed.restyle(row, col, "alignment", alignment)


def header_row(ws: Worksheet, row: int, titles: list[str]) -> None:
    """A bold, shaded, centred header row."""
    for col, title in enumerate(titles, start=1):
        text(ws, row, col, title, bold=True, fill=HEADER_FILL, align="center")


def title_row(ws: Worksheet, row: int, value: str, width: int, size: float = 14) -> None:
    """A merged, centred title line across ``width`` columns."""
    text(ws, row, 1, value, bold=True, size=size, border=False, align="center")
    if width > 1:
        merge_cells(ws, row, 1, row, width)
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


# -- streamed sheets -------------------------------------------------------------------------
# openpyxl builds a Cell object per cell, binds and hashes it, keeps it in a dict and serialises
# it through lxml one element at a time: about 25 µs a cell, a minute for the 明细 and 核验记录
# of a 100,000-row result. A streamed sheet keeps each cell as a (value, type, style) tuple,
# computed by the same helpers and the same style cache as a normal sheet, and its <sheetData>
# is written as text into the file openpyxl saved for everything else (styles, merged ranges,
# print settings, the other sheets). The cells read back are those of the normal path; a test
# compares the two workbooks cell for cell, styles included.

_STREAMING: WeakKeyDictionary[Any, bool] = WeakKeyDictionary()
_ATTR = "_jixiao_streamed"  # on the worksheet: a look-up per cell, cheaper than a weak mapping


def _streamed(ws: Any) -> Streamed | None:
    return getattr(ws, _ATTR, None)


def stream_sheets(wb: Any) -> None:
    """Sheets made with :func:`new_sheet` on ``wb`` from now on are streamed (save with :func:`save`)."""
    _STREAMING[wb] = True


def new_sheet(wb: Any, title: str) -> Any:
    """``wb.create_sheet(title)``, streamed when :func:`stream_sheets` was called on ``wb``.

    A streamed sheet is written only through this module's helpers (text, number, merge,
    merge_cells, set_alignment, title_row, header_row); its cells cannot be read back.
    """
    ws = wb.create_sheet(title)
    if _STREAMING.get(wb):
        setattr(ws, _ATTR, Streamed(ws))
    return ws


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_XML_SPECIAL = re.compile("[&<>\r]")


class Streamed:
    """The cells of one streamed worksheet: row → column → (value, data type, style array)."""

    def __init__(self, ws: Any) -> None:
        from openpyxl.cell.cell import Cell

        self.ws = ws
        self.rows: dict[int, dict[int, tuple[Any, str, Any]]] = {}
        self.scratch = Cell(ws)  # styles and values are computed on it, never written
        self.cache = _STYLES.setdefault(ws.parent, {})  # the workbook's, shared with normal sheets

    @staticmethod
    def checked(value: str) -> str:
        """A text as openpyxl stores it (at most 32,767 characters; illegal characters refused
        with openpyxl's own error): ``Cell.check_string`` for a str."""
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.utils.exceptions import IllegalCharacterError

        value = value[:32767]
        if ILLEGAL_CHARACTERS_RE.search(value) is not None:
            raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
        return value

    def put(self, row: int, col: int, value: Any, data_type: str, style: dict[str, Any] | None) -> None:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        before = cells.get(col)
        array = None if before is None else before[2]
        if style is not None:
            array = _styled(self.scratch, array, cache=self.cache, **style)
        cells[col] = (value, data_type, array)

    def put_value(self, row: int, col: int, value: Any, style: dict[str, Any] | None) -> None:
        if value is None or type(value) in (Decimal, int):
            self.put(row, col, value, "n", style)
            return
        cell = self.scratch
        cell.value = value  # the data type openpyxl gives it (a bool, a float, ...)
        self.put(row, col, cell._value, cell.data_type, style)

    def _array(self, row: int, col: int) -> Any:
        entry = self.rows.get(row, {}).get(col)
        return None if entry is None else entry[2]

    def _set_array(self, row: int, col: int, array: Any) -> None:
        cells = self.rows.setdefault(row, {})
        value, data_type, _ = cells.get(col, (None, "n", None))
        cells[col] = (value, data_type, array)

    def restyle(self, row: int, col: int, attr: str, value: Any) -> None:
        memo = _MERGED.setdefault(self.ws.parent, {})
        before = self._array(row, col)
        key = ("restyle", attr, id(value), None if before is None else tuple(before))
        hit = memo.get(key)
        if hit is None or hit[0] is not value:
            cell = self.scratch
            cell._style = None if before is None else copy(before)
            setattr(cell, attr, value)
            hit = memo[key] = (value, copy(cell._style))
        self._set_array(row, col, hit[1])

    def merge(self, mcr: Any) -> None:
        """What :func:`merge` does to the cells of a normal sheet, done to the held tuples."""
        from openpyxl.styles.cell_style import StyleArray

        every = mcr.cells
        start_coord = next(every)
        for r, c in every:  # merged cells: no value, no style, then the edges and protection
            self.rows.setdefault(r, {})[c] = (None, "n", None)
        cell = self.scratch
        start = self._array(*start_coord)
        cell._style = None if start is None else copy(start)
        start_border, start_protection = cell.border, cell.protection
        ids = start if start is not None else StyleArray()
        memo = _MERGED.setdefault(self.ws.parent, {})
        for name in ("top", "left", "right", "bottom"):
            side = getattr(start_border, name)
            if side and side.style is None:
                continue
            edge: tuple[Any, ...] = ("border", name, ids.borderId)
            self._memo_each(getattr(mcr, name), memo, edge, "border", Border(**{name: side}), add=True)
        if start_protection is not None:
            every_cell: tuple[Any, ...] = ("protection", ids.protectionId)
            self._memo_each(mcr.cells, memo, every_cell, "protection", copy(start_protection), add=False)

    def _memo_each(
        self,
        coords: Any,
        memo: dict[tuple[Any, ...], Any],
        kind: tuple[Any, ...],
        attr: str,
        value: Any,
        *,
        add: bool,
    ) -> None:
        cell = self.scratch
        for r, c in coords:
            before = self._array(r, c)
            key = (*kind, None if before is None else tuple(before))
            hit = memo.get(key)
            if hit is None:
                cell._style = None if before is None else copy(before)
                setattr(cell, attr, getattr(cell, attr) + value if add else value)
                hit = memo[key] = copy(cell._style)
            self._set_array(r, c, hit)

    def register(self) -> dict[int, str]:
        """Every style array used, added to the workbook's cell styles: id(array) → the cell's
        ``s`` attribute. Before openpyxl saves: it writes the style table (cellXfs) from that list.
        An array of zeros is no style at all (openpyxl's ``has_style``): not in the mapping."""
        ids = self.ws.parent._cell_styles
        found: dict[int, str] = {}
        for cells in self.rows.values():
            for _, _, array in cells.values():
                if array is not None and id(array) not in found and any(array):
                    found[id(array)] = f' s="{ids.add(array)}"'
        return found

    def dimension(self) -> str:
        if not self.rows:
            return "A1:A1"
        cols = [c for cells in self.rows.values() for c in cells]
        return (
            f"{get_column_letter(min(cols))}{min(self.rows)}:{get_column_letter(max(cols))}{max(self.rows)}"
        )

    def xml(self, row_dimensions: dict[int, Any], ids: dict[int, str]) -> Iterator[str]:
        """The <sheetData> element as openpyxl writes it (inline strings, the same attributes)."""
        from openpyxl.compat import safe_string

        letters: dict[int, str] = {}
        yield "<sheetData>"
        for r in sorted(self.rows.keys() | row_dimensions.keys()):
            dims = row_dimensions.get(r)
            if dims is None:
                head = f'<row r="{r}"'
            else:
                attrs = {"r": str(r), **dict(dims)}
                head = "<row" + "".join(f' {k}="{v}"' for k, v in attrs.items())
            cells = self.rows.get(r)
            if not cells:
                yield head + "/>"
                continue
            parts = [head, ">"]
            for c in sorted(cells):
                value, data_type, array = cells[c]
                s = "" if array is None else ids.get(id(array), "")
                if value is None and not s:
                    continue
                letter = letters.get(c)
                if letter is None:
                    letter = letters[c] = get_column_letter(c)
                if value is None or value == "":
                    t = "inlineStr" if data_type == "s" else data_type
                    parts.append(f'<c r="{letter}{r}"{s} t="{t}"/>')
                elif data_type == "s":
                    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                    body = value.translate(_XML_TEXT) if _XML_SPECIAL.search(value) else value
                    parts.append(f'<c r="{letter}{r}"{s} t="inlineStr"><is><t{space}>{body}</t></is></c>')
                else:
                    parts.append(f'<c r="{letter}{r}"{s} t="{data_type}"><v>{safe_string(value)}</v></c>')
            parts.append("</row>")
            yield "".join(parts)
        yield "</sheetData>"


def save(wb: Any, path: Path) -> None:
    """``wb.save(path)``, with the <sheetData> of every streamed sheet written from its tuples."""
    streamed = [(ws, stream) for ws in wb.worksheets if (stream := _streamed(ws)) is not None]
    dims: dict[Any, dict[int, Any]] = {}
    for ws, _ in streamed:  # openpyxl would write these rows itself: they go with the cells
        dims[ws] = dict(ws.row_dimensions)
        ws.row_dimensions.clear()
    ids = {ws: stream.register() for ws, stream in streamed}
    # openpyxl saves everything but the streamed cells to a file beside ``path`` (``path`` is
    # itself write_atomically's temporary file), which is then copied into ``path`` part by part.
    shell = path.with_name(path.name + ".shell.tmp")
    try:
        wb.save(shell)
        _splice(shell, path, streamed, dims, ids)
    finally:
        shell.unlink(missing_ok=True)
        for ws, _ in streamed:
            ws.row_dimensions.update(dims[ws])


def _splice(
    shell: Path,
    path: Path,
    streamed: list[tuple[Any, Streamed]],
    dims: dict[Any, dict[int, Any]],
    ids: dict[Any, dict[int, str]],
) -> None:
    import zipfile

    parts = {ws.path.lstrip("/"): (stream, dims[ws], ids[ws]) for ws, stream in streamed}
    with zipfile.ZipFile(shell) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename not in parts:
                out.writestr(info, data)
                continue
            stream, row_dims, style_ids = parts[info.filename]
            text = data.decode("utf-8")
            empty = "<sheetData></sheetData>" if "<sheetData></sheetData>" in text else "<sheetData/>"
            head, found, tail = text.partition(empty)
            if not found or "<sheetData" in tail:
                raise RuntimeError(f"{info.filename}: openpyxl wrote cells into a streamed sheet")
            head = head.replace('<dimension ref="A1:A1"/>', f'<dimension ref="{stream.dimension()}"/>', 1)
            with out.open(info.filename, "w", force_zip64=True) as fh:
                buffer = [head]
                size = 0
                for piece in stream.xml(row_dims, style_ids):
                    buffer.append(piece)
                    size += len(piece)
                    if size > 1 << 18:
                        fh.write("".join(buffer).encode("utf-8"))
                        buffer, size = [], 0
                buffer.append(tail)
                fh.write("".join(buffer).encode("utf-8"))
