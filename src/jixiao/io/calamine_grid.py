"""A fast sheet reader: python-calamine plus one pass over the sheet XML, the same Grid as openpyxl.

openpyxl builds a Python object per cell and per style and takes ~10 ms for a 50-row sheet;
python-calamine (Rust) reads the same sheet in well under a millisecond. Calamine alone does
not give everything :mod:`jixiao.io.workbook` gives, so this module adds it:

- calamine supplies the text of string cells (shared, inline and formula strings), the merged
  ranges and the list of worksheets;
- one regular-expression pass over the sheet's XML supplies, per cell, the raw number (so
  ``4`` stays an ``int`` and ``4.0`` a ``float``, as openpyxl reads them), booleans, error
  values, the style (number format; dates converted by openpyxl's rules, see ``_excel``) and which
  cells exist at all (the grid's extent, as openpyxl's ``max_row``/``max_column``);
- a formula without a cached value is a cell with no ``<v>``: it reads as None, and the
  grid's lazy formula look-up (openpyxl, on demand) reports it, exactly as before.

Anything this reader does not expect (cells without an ``r`` address, namespace prefixes,
a value calamine disagrees on) makes it hand the file to the openpyxl reader, so a strange
file is read slowly but never differently.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError
from jixiao.io._excel import (
    BUILTIN_FORMATS,
    MAC_EPOCH,
    WINDOWS_EPOCH,
    from_excel,
    is_date_format,
    is_timedelta_format,
)
from jixiao.io.workbook import SUPPORTED, Grid

# A workbook whose parts unpack to more than this is refused (calamine has no zip-bomb guard).
MAX_UNPACKED = 256 * 1024 * 1024

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_TYPE = re.compile(rb'\bt="([A-Za-z]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class _Unexpected(Exception):
    """The file is not laid out as this reader expects: use the openpyxl reader instead."""


def load_grids(path: Path) -> list[Grid]:
    """Every worksheet of a workbook as a :class:`Grid`, identical to ``workbook.load_grids``."""
    from python_calamine import CalamineError, CalamineWorkbook

    _check_path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED:
                raise SheetError(path, "工作簿解压后超过 256 MB，拒绝读取（可能是压缩炸弹）")
            book = CalamineWorkbook.from_path(str(path))
            try:
                return _read(path, zf, book)
            finally:
                book.close()
    except _Unexpected:
        from jixiao.io import workbook

        return workbook.load_grids(path, reader="openpyxl")
    except SheetError:
        raise
    except (zipfile.BadZipFile, CalamineError, KeyError, OSError, ValueError) as e:
        raise SheetError(path, "无法作为 Excel 工作簿打开（文件已损坏或不是 .xlsx 文件）") from e


def _check_path(path: Path) -> None:
    # The same checks and messages as workbook.open_workbook.
    if not path.exists():
        raise SheetError(path, "文件不存在")
    if path.is_dir():
        raise SheetError(path, "这是一个文件夹，不是工作簿")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise SheetError(path, f"不支持的文件类型“{suffix or '无扩展名'}”，请另存为 .xlsx")


def _read(path: Path, zf: zipfile.ZipFile, book: Any) -> list[Grid]:
    from python_calamine import SheetTypeEnum

    parts, epoch = _sheet_parts(zf)
    names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    styles = _Styles(zf)
    grids = []
    for name in names:
        if name not in parts:
            raise _Unexpected(name)
        sheet = book.get_sheet_by_name(name)
        values = sheet.to_python(skip_empty_area=False)
        xml = zf.read(parts[name])
        grids.append(_grid(path, name, names, xml, values, sheet.merged_cell_ranges, styles, epoch))
    return grids


def _grid(
    path: Path,
    name: str,
    names: list[str],
    xml: bytes,
    values: list[list[Any]],
    merges: list[tuple[tuple[int, int], tuple[int, int]]] | None,
    styles: _Styles,
    epoch: Any,
) -> Grid:
    cells: dict[tuple[int, int], Any] = {}
    formats: dict[tuple[int, int], str] = {}
    max_row = max_col = 0
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2)
        ref = _REF.search(attrs)
        if ref is None:
            raise _Unexpected("cell without an address")
        row, col = int(ref.group(2)), _column(ref.group(1))
        max_row, max_col = max(max_row, row), max(max_col, col)
        v = _VALUE.search(body) if body else None
        if v is None or not v.group(1):
            if body and b"<is>" in body:  # an inline string has no <v>
                cells[(row, col)] = _calamine_text(values, row, col)
            continue
        t = _TYPE.search(attrs)
        kind = t.group(1) if t else b"n"
        s = _STYLE.search(attrs)
        style = int(s.group(1)) if s else 0
        raw = v.group(1).decode()
        if kind == b"n":
            value: Any = _number(raw)
            if style in styles.dates:
                try:
                    value = from_excel(value, epoch, timedelta=style in styles.timedeltas)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
        elif kind in (b"s", b"str", b"inlineStr"):
            value = _calamine_text(values, row, col)
        elif kind == b"b":
            value = bool(int(raw))
        elif kind == b"e":
            value = _unescape(raw)
        else:  # t="d" (ISO dates) is rare: let openpyxl read such a file
            raise _Unexpected(f"cell type {kind!r}")
        cells[(row, col)] = value
        fmt = styles.format(style)
        if fmt != "General":
            formats[(row, col)] = fmt
    ranges = [((r1 + 1, c1 + 1), (r2 + 1, c2 + 1)) for (r1, c1), (r2, c2) in merges or ()]
    for (_, _), (r2, c2) in ranges:
        max_row, max_col = max(max_row, r2), max(max_col, c2)
    rows = [[cells.get((r, c)) for c in range(1, max_col + 1)] for r in range(1, max_row + 1)]
    while rows and all(x is None for x in rows[-1]):
        rows.pop()
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    # The same filling as workbook._to_grid, range by range in the file's order.
    for (top, left), (bottom, right) in ranges:
        if top > len(rows):
            continue
        origin = rows[top - 1][left - 1] if left <= len(rows[top - 1]) else None
        for r in range(top, min(bottom, len(rows)) + 1):
            line = rows[r - 1]
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    line[c - 1] = origin
                    merged[(r, c)] = (top, left)
    return Grid(path, name, list(names), rows, formats, merged)


def _calamine_text(values: list[list[Any]], row: int, col: int) -> str:
    try:
        value = values[row - 1][col - 1]
    except IndexError as e:
        raise _Unexpected("calamine has no value for a string cell") from e
    if not isinstance(value, str):
        raise _Unexpected("calamine read a string cell as something else")
    return value


def _number(raw: str) -> int | float:
    # openpyxl's rule (worksheet/_reader.py _cast_number): a dot or an exponent makes a float.
    if "." in raw or "E" in raw or "e" in raw:
        return float(raw)
    return int(raw)


def _unescape(raw: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(raw, {"&quot;": '"', "&apos;": "'"})


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_parts(zf: zipfile.ZipFile) -> tuple[dict[str, str], Any]:
    """Sheet name → XML part, and the workbook's date epoch."""
    from defusedxml.ElementTree import fromstring

    workbook_part = "xl/workbook.xml"
    root = fromstring(zf.read(workbook_part))
    rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in root.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join(posixpath.dirname(workbook_part), target))
        parts[sheet.get("name", "")] = part
    pr = root.find(f"{_MAIN}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    return parts, MAC_EPOCH if date1904 else WINDOWS_EPOCH


class _Styles:
    """Number format of every cell style (``s`` attribute), as openpyxl names it."""

    def __init__(self, zf: zipfile.ZipFile):
        self.formats: list[str] = []
        self.dates: set[int] = set()
        self.timedeltas: set[int] = set()
        try:
            data = zf.read("xl/styles.xml")
        except KeyError:
            return
        from defusedxml.ElementTree import fromstring

        root = fromstring(data)
        custom = {
            int(f.get("numFmtId", "0")): f.get("formatCode", "General") for f in root.iter(f"{_MAIN}numFmt")
        }
        xfs = root.find(f"{_MAIN}cellXfs")
        for i, xf in enumerate(xfs if xfs is not None else ()):
            fid = int(xf.get("numFmtId", "0"))
            fmt = custom.get(fid) or BUILTIN_FORMATS.get(fid, "General")
            self.formats.append(fmt)
            if is_date_format(fmt):
                self.dates.add(i)
                if is_timedelta_format(fmt):
                    self.timedeltas.add(i)

    def format(self, style: int) -> str:
        """The number format of cell style ``style``."""
        return self.formats[style] if style < len(self.formats) else "General"
