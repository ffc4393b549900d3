"""The .xlsx reader: one pass over the container (:mod:`.ooxml`), the same Grid as openpyxl.

openpyxl builds a Python object per cell and per style; this reader parses each part once
with expat (C) and keeps, per cell, what openpyxl's ``data_only`` read gives: the raw number
(so ``4`` stays an ``int`` and ``4.0`` a ``float``), text (shared, inline and formula
strings), booleans, error values, the number format (dates converted by openpyxl's rules, see
``_excel``) and which cells exist at all (the grid's extent, as openpyxl's
``max_row``/``max_column``). A formula without a cached value is a cell with no ``<v>``: it
reads as None, and its formula is kept for the finding that reports it.

The XML is read by a real, namespace-aware parser, so a legal file is read as Excel and
LibreOffice read it: a comment, an unknown element or a foreign attribute (``foo:t``,
``foo:r``) changes nothing, ``xml:space``, CDATA and namespace prefixes are plain XML.
What is not plainly a number in a ``<v>`` is refused, never guessed. Only ISO-date cells
(``t="d"``) and an unknown cell type or style are handed to the openpyxl reader (one way).
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError
from jixiao.read import grid, ooxml, openpyxl_reader
from jixiao.read._excel import (
    BUILTIN_FORMATS,
    MAC_EPOCH,
    WINDOWS_EPOCH,
    from_excel,
    is_date_format,
    is_timedelta_format,
)
from jixiao.read.grid import Grid, cell_ref, fill_merges, visible


def load_xlsx_grids(path: Path) -> list[Grid]:
    """The worksheets of a file already identified as .xlsx, after the container checks."""
    package = ooxml.take_cached(path) or ooxml.open_package(path)
    try:
        styles, strings, parts = ooxml.read_all(package)
        formats = _Formats(styles)
        epoch = MAC_EPOCH if package.date1904 else WINDOWS_EPOCH
        names = [visible(name) for name, _ in package.sheets]
        grids = []
        for name, part in package.sheets:
            xml = parts.get(part.lower())
            if xml is None:
                raise SheetError(path, f"文件已损坏：找不到工作表“{name}”的部件 {part}，请重新获取原文件")
            grids.append(_grid(package, visible(name), names, part, xml, strings, formats, epoch))
        return grids
    except ooxml.Fallback:
        return openpyxl_reader.load_xlsx_grids(path)
    finally:
        package.zf.close()


class _Formats:
    """Number format of every cell style (``s`` attribute), as openpyxl names it."""

    def __init__(self, styles: ooxml.Styles):
        self.formats: list[str] = []
        self.dates: set[int] = set()
        self.timedeltas: set[int] = set()
        for i, fid in enumerate(styles.xf_formats):
            fmt = styles.custom.get(fid) or BUILTIN_FORMATS.get(fid, "General")
            self.formats.append(fmt)
            if is_date_format(fmt):
                self.dates.add(i)
                if is_timedelta_format(fmt):
                    self.timedeltas.add(i)

    def format(self, style: int) -> str:
        """The number format of cell style ``style``."""
        if style < len(self.formats):
            return self.formats[style]
        if style == 0 and not self.formats:
            return "General"
        raise ooxml.Fallback(f"cell style {style} not in styles.xml")  # openpyxl refuses such a file


def _grid(
    package: ooxml.Package,
    name: str,
    names: list[str],
    part: str,
    xml: bytes,
    strings: list[str],
    formats: _Formats,
    epoch: Any,
) -> Grid:
    path = package.path
    sheet = ooxml.Worksheet(name)
    # Hundreds of thousands of small objects: the cyclic GC would rescan them all again and
    # again while they are made (10× slower at 100,000 rows); none of them forms a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        package.parse(part, sheet, data=xml)
    finally:
        if enabled:
            gc.enable()
    values: list[tuple[int, int, Any, int]] = []
    formulas: dict[tuple[int, int], str] = {}
    shared_children = False
    for cell in sheet.cells:
        if cell.formula is not None:
            formulas[(cell.row, cell.col)] = "=" + cell.formula
            shared_children = shared_children or (cell.shared_child and cell.value is None)
        value = _value(path, name, cell, strings, formats, epoch)
        if value is not None:
            values.append((cell.row, cell.col, value, cell.style))
    height = max((r for r, *_ in values), default=0)
    if height > grid.MAX_ROWS:
        far = next((r, c) for r, c, *_ in values if r == height)
        raise SheetError(
            path,
            f"工作表“{name}”在 {cell_ref(*far)} 仍有内容，超过 {grid.MAX_ROWS} 行的上限；"
            "请删除表格下方多余的内容，或把评分表复制到一个新的工作簿后再评分",
        )
    widths: dict[int, int] = {}
    for r, c, *_ in values:
        if c > widths.get(r, 0):
            widths[r] = c
    area = sum(widths.values())
    if area > grid.MAX_GRID_CELLS:
        far = max(((r, c) for r, c, *_ in values), key=lambda rc: rc[1])
        raise SheetError(
            path,
            f"工作表“{name}”的内容范围过大（各行合计 {area} 个单元格，上限 {grid.MAX_GRID_CELLS}，"
            f"最远的内容在 {cell_ref(*far)}）；请删除多余的内容，或把评分表复制到一个新的工作簿后再评分",
        )
    rows: list[list[Any]] = [[] for _ in range(height)]
    for r, width in widths.items():
        rows[r - 1] = [None] * width
    number_formats: dict[tuple[int, int], str] = {}
    for r, c, value, style in values:
        rows[r - 1][c - 1] = value
        fmt = formats.format(style)
        if fmt != "General":
            number_formats[(r, c)] = fmt
    ranges = [ooxml.merge_bounds(path, part, ref) for ref in sheet.merges]
    result = Grid(path, name, list(names), rows, number_formats, fill_merges(rows, ranges))
    if shared_children:
        # A shared formula's other cells hold no text of their own; openpyxl translates it.
        result.formula_reader = openpyxl_reader.read_formulas
    else:
        result._formulas = formulas
    return result


def _value(
    path: Path, sheet: str, cell: ooxml.RawCell, strings: list[str], formats: _Formats, epoch: Any
) -> Any:
    """A cell's value as openpyxl's ``data_only`` read gives it; None for an empty cell."""
    kind, raw = cell.kind, cell.value
    if kind == "inlineStr":
        return visible(raw) if raw is not None else None  # the text of <is>
    if raw is None:
        return None  # empty, or a formula without a cached value: reported from its formula
    ref = cell_ref(cell.row, cell.col)
    if kind == "n":
        if not raw.strip(" \t\r\n"):
            return None
        value: Any = ooxml.number(path, sheet, ref, raw)
        if cell.style in formats.dates:
            try:
                return from_excel(value, epoch, timedelta=cell.style in formats.timedeltas)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value
    if kind == "s":
        index = raw.strip(" \t\r\n")
        if not index.isdigit() or int(index) >= len(strings):
            raise SheetError(
                path,
                f"工作表“{sheet}”单元格 {ref} 引用的共享字符串“{index[:20]}”不存在，文件结构异常，拒绝读取",
            )
        return visible(strings[int(index)])
    if kind == "str":
        return visible(ooxml.unescape_excel(raw)) if raw else None
    if kind == "b":
        flag = raw.strip(" \t\r\n").lower()
        if flag in ("1", "true"):
            return True
        if flag in ("0", "false"):
            return False
        message = f"工作表“{sheet}”单元格 {ref} 的逻辑值“{flag[:20]}”无效，文件结构异常，拒绝读取"
        raise SheetError(path, message)
    if kind == "e":
        return visible(raw)
    raise ooxml.Fallback(f"cell type {kind!r}")  # t="d" (ISO dates) is rare: openpyxl reads it
