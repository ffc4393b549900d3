"""A fast sheet reader: python-calamine plus one pass over the sheet XML, the same Grid as openpyxl.

openpyxl builds a Python object per cell and per style and takes ~10 ms for a 50-row sheet;
python-calamine (Rust) reads the same sheet in well under a millisecond. Calamine alone does
not give everything :mod:`jixiao.read.openpyxl_reader` gives, so this module adds it:

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

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError
from jixiao.read import grid, openpyxl_reader
from jixiao.read._excel import (
    BUILTIN_FORMATS,
    MAC_EPOCH,
    WINDOWS_EPOCH,
    from_excel,
    is_date_format,
    is_timedelta_format,
)
from jixiao.read.grid import Grid, fill_merges
from jixiao.read.safety import check_zip

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


def load_xlsx_grids(path: Path) -> list[Grid]:
    """The worksheets of a file already identified as .xlsx, after the same container checks.

    Whatever calamine cannot read goes to the openpyxl reader, which gives the user the same
    message as before (a damaged file, an entity declaration...).
    """
    from python_calamine import CalamineWorkbook

    try:
        data = path.read_bytes()
    except OSError as e:
        raise SheetError(path, f"无法读取文件（{e.strerror or e}）") from e
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(path, zf)  # zip bombs, odd compression, DTDs: calamine has no such guard
            # By content, not by extension: an .xlsx saved as "x.xls" is still an .xlsx.
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            try:
                return _read(path, zf, book)
            finally:
                book.close()
    except SheetError:
        raise
    except Exception:  # _Unexpected, or calamine refused the file: openpyxl decides and explains
        return openpyxl_reader.load_xlsx_grids(path)


# calamine holds a sheet as a dense rectangle: past this many cells (a stray value far to the
# right or below) the sparse openpyxl reader is used instead.
MAX_DENSE_CELLS = 2_000_000


def _well_formed(zf: zipfile.ZipFile) -> None:
    """Every XML part must parse; a damaged part goes to openpyxl, which refuses it with a message.

    calamine and the regular expressions below are lenient: without this check a damaged file
    that openpyxl refuses could be read and scored. expat checks a part in C, without building
    anything (DTDs were already refused by the container checks).
    """
    from xml.parsers import expat

    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            parser = expat.ParserCreate()
            try:
                parser.Parse(zf.read(info), True)
            except expat.ExpatError as e:
                raise _Unexpected(f"{info.filename}: {e}") from e


def _read(path: Path, zf: zipfile.ZipFile, book: Any) -> list[Grid]:
    from python_calamine import SheetTypeEnum

    _well_formed(zf)
    parts, epoch = _sheet_parts(zf)
    names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    styles = _Styles(zf)
    grids = []
    for name in names:
        if name not in parts:
            raise _Unexpected(name)
        grids.append(_grid(path, name, names, zf.read(parts[name]), book, styles, epoch))
    return grids


def _grid(
    path: Path,
    name: str,
    names: list[str],
    xml: bytes,
    book: Any,
    styles: _Styles,
    epoch: Any,
) -> Grid:
    # First pass, XML only: which cells hold what, before calamine builds its dense rectangle.
    scanned: list[tuple[int, int, bytes, str | None, int]] = []
    extent_row = extent_col = 0
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2)
        ref = _REF.search(attrs)
        if ref is None:
            raise _Unexpected("cell without an address")
        row, col = int(ref.group(2)), _column(ref.group(1))
        if row < 1 or col > 16384:
            raise _Unexpected(f"cell address {ref.group(0)!r}")
        extent_row, extent_col = max(extent_row, row), max(extent_col, col)
        v = _VALUE.search(body) if body else None
        t = _TYPE.search(attrs)
        kind = t.group(1) if t else b"n"
        if kind == b"inlineStr":  # its text is in <is>, not in <v>
            if body and b"<is" in body:
                scanned.append((row, col, kind, None, 0))
            continue
        if v is None or not v.group(1):
            continue  # empty, or a formula without a cached value: None, as openpyxl reads it
        st = _STYLE.search(attrs)
        scanned.append((row, col, kind, v.group(1).decode(), int(st.group(1)) if st else 0))
    height = max((r for r, *_ in scanned), default=0)
    if height > grid.MAX_ROWS:
        far = next((r, c) for r, c, *_ in scanned if r == height)
        raise SheetError(
            path,
            f"工作表“{name}”在 {grid.cell_ref(*far)} 仍有内容，超过 {grid.MAX_ROWS} 行的上限；"
            "请删除表格下方多余的内容，或把评分表复制到一个新的工作簿后再评分",
        )
    if extent_row * extent_col > MAX_DENSE_CELLS:
        raise _Unexpected("too sparse for a dense reader")
    sheet = book.get_sheet_by_name(name)
    texts: list[list[Any]] | None = None
    rows: list[list[Any]] = [[] for _ in range(height)]
    formats: dict[tuple[int, int], str] = {}
    for row, col, kind, raw, style in scanned:
        value: Any
        if kind == b"n":
            value = _number(raw or "")
            if style in styles.dates:
                try:
                    value = from_excel(value, epoch, timedelta=style in styles.timedeltas)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
        elif kind in (b"s", b"str", b"inlineStr"):
            if texts is None:
                texts = sheet.to_python(skip_empty_area=False)
            value = _calamine_text(texts, row, col)
        elif kind == b"b":
            value = bool(int(raw or "0"))
        elif kind == b"e":
            value = _unescape(raw or "")
        else:  # t="d" (ISO dates) is rare: let openpyxl read such a file
            raise _Unexpected(f"cell type {kind!r}")
        # The same layout as openpyxl_reader._to_grid: a row is as long as its last value.
        line = rows[row - 1]
        if len(line) < col:
            line.extend([None] * (col - len(line)))
        line[col - 1] = value
        fmt = styles.format(style)
        if fmt != "General":
            formats[(row, col)] = fmt
    ranges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
    return Grid(
        path,
        name,
        list(names),
        rows,
        formats,
        fill_merges(rows, ranges),
        formula_reader=openpyxl_reader.read_formulas,
    )


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
        if style < len(self.formats):
            return self.formats[style]
        if style == 0 and not self.formats:
            return "General"
        raise _Unexpected(f"cell style {style} not in styles.xml")  # openpyxl refuses such a file
