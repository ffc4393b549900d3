"""One pass over an .xlsx container: every safety check and every part read with one parser.

An .xlsx is a zip of XML parts. This module opens the zip once, inflates each part once and
parses it once with expat (the C parser in the standard library) with namespace processing,
so what it reads is what the XML says, as Excel and LibreOffice read it: comments, CDATA,
unknown elements, foreign-namespace attributes (``foo:t``), any quoting or spacing of
attributes and any namespace prefix mean nothing more than the XML specification says.

The same pass applies the container bounds of :mod:`jixiao.read.safety`: the declared sizes
and ratios (from the central directory, before anything is inflated), the size of every
worksheet part wherever the workbook's relationships put it, no document type declaration or
entity, the area of merged ranges and the number of cell styles (counted while parsing, so the
parse stops as soon as a bound is passed).

Only the parts that matter are interpreted: the package and workbook relationships, the
workbook (sheet names, date system), the styles (number formats), the shared strings, the core
properties (jixiao's own outputs carry a creator mark) and the worksheets. Every other XML part
is parsed too (a damaged part is refused, as openpyxl would refuse it) but nothing is kept.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from jixiao.errors import SheetError
from jixiao.read import safety
from jixiao.read._excel import column_index_from_string

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_OFFICE_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
DC = "http://purl.org/dc/elements/1.1/"
_SEP = "\x01"  # expat's separator between a namespace and a local name; never in either

WORKSHEET_TYPE = "/worksheet"  # relationship types end so in both transitional and strict
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

STRICT_MESSAGE = (
    "这是“Strict Open XML 电子表格”格式（严格 OOXML），jixiao 只读取常规的 .xlsx；"
    "请在 Excel 中打开，另存为“Excel 工作簿 (*.xlsx)”后再评分"
)


class Fallback(Exception):
    """A legal file this reader does not interpret itself (ISO dates): openpyxl reads it."""


def _q(ns: str, local: str) -> str:
    return f"{ns}{_SEP}{local}"


def _mib(n: int) -> str:
    return f"{n / safety.MiB:.1f} MB"


@dataclass
class Package:
    """An opened, checked .xlsx: its zip, the small parts already read, the worksheet parts."""

    path: Path
    data: bytes
    zf: zipfile.ZipFile
    names: dict[str, str]  # lower-case part name -> name as stored (OPC names ignore case)
    workbook_part: str = "xl/workbook.xml"
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (worksheet name, part)
    sheet_names: list[str] = field(default_factory=list)  # every sheet, charts included
    date1904: bool = False
    creator: str | None = None
    styles_part: str | None = None
    strings_part: str | None = None
    merged_cells: int = 0
    parsed: set[str] = field(default_factory=set)  # lower-case names of the parts already read

    def info(self, part: str) -> zipfile.ZipInfo | None:
        """The zip entry of a part name, ignoring case; None when it is absent."""
        stored = self.names.get(part.lower())
        return self.zf.getinfo(stored) if stored is not None else None

    def inflate(self, part: str) -> bytes:
        """The bytes of one part, refused when it declares a DTD or an entity."""
        info = self.info(part)
        if info is None:
            raise KeyError(part)
        try:
            data = self.zf.read(info)
        except Exception as e:  # BadZipFile, zlib.error, EOFError…: a damaged entry
            message = f"文件已损坏（部件 {info.filename} 无法解压），请重新获取原文件"
            raise SheetError(self.path, message) from e
        safety.refuse_dtd(self.path, info.filename, data)
        return data

    def parse(self, part: str, handler: _Handler, data: bytes | None = None) -> None:
        """Parse one part with ``handler`` (well-formedness and the counted bounds included)."""
        if data is None:
            data = self.inflate(part)
        self.parsed.add(part.lower())
        parser = expat.ParserCreate(namespace_separator=_SEP)
        parser.buffer_text = True
        parser.ordered_attributes = False
        handler.bind(self, part)
        if not isinstance(handler, _WellFormed):
            parser.StartElementHandler = handler.start
            parser.EndElementHandler = handler.end
            parser.CharacterDataHandler = handler.text
        parser.StartDoctypeDeclHandler = handler.doctype
        parser.EntityDeclHandler = handler.entity
        try:
            parser.Parse(data, True)
        except expat.ExpatError as e:
            raise SheetError(
                self.path,
                f"文件已损坏：部件 {part} 不是完整的 XML（{expat.errors.messages.get(e.code, e)}，"
                f"第 {e.lineno} 行）；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试",
            ) from None


class _Handler:
    """Counts what every part is bounded by (merged area, cell styles); subclasses read more."""

    package: Package
    part: str

    def bind(self, package: Package, part: str) -> None:
        self.package, self.part = package, part
        self.stack: list[str] = []

    def doctype(self, *args: Any) -> None:
        raise safety.dtd_error(self.package.path, self.part)

    def entity(self, *args: Any) -> None:
        raise safety.dtd_error(self.package.path, self.part)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.stack.append(name)
        local = name.rpartition(_SEP)[2]
        if local == "mergeCell":
            self.merge(attrs.get("ref", ""))
        self.element(name, attrs)

    def end(self, name: str) -> None:
        self.close(name)
        self.stack.pop()

    def element(self, name: str, attrs: dict[str, str]) -> None:
        """One start tag (the stack already includes it)."""

    def close(self, name: str) -> None:
        """One end tag (the stack still includes it)."""

    def text(self, data: str) -> None:
        """Character data (CDATA included)."""

    def merge(self, ref: str) -> None:
        """Add a merged range's area to the workbook's total, refused past the bound."""
        package = self.package
        package.merged_cells += merge_area(package.path, self.part, ref)
        if package.merged_cells > safety.MAX_MERGED_CELLS:
            raise SheetError(
                package.path,
                f"合并单元格的范围过大（共超过 {safety.MAX_MERGED_CELLS} 个单元格，"
                f"见部件 {self.part}），不像一张评分表；读取它会耗尽内存，拒绝读取",
            )


_RANGE = re.compile(r"\$?([A-Za-z]{1,3})?\$?([0-9]+)?")


def merge_bounds(path: Path, part: str, ref: str) -> tuple[int, int, int, int]:
    """A merged range as 1-based ``(top, left, bottom, right)``, read as generously as any reader.

    Accepts what openpyxl accepts (``$`` anchors, lower case, whole rows ``3:5`` or columns
    ``A:C``) and spaces around the reference; anything else is refused.
    """

    def bad() -> SheetError:
        return SheetError(path, f"部件 {part} 中的合并单元格引用“{ref[:40]}”无效，拒绝读取")

    ends = ref.strip(_XML_SPACE).split(":")
    if not 1 <= len(ends) <= 2:
        raise bad()
    cols: list[int | None] = []
    rows: list[int | None] = []
    for end in ends:
        m = _RANGE.fullmatch(end.strip(_XML_SPACE))
        if m is None or not (m.group(1) or m.group(2)):
            raise bad()
        try:
            cols.append(column_index_from_string(m.group(1)) if m.group(1) else None)
        except ValueError:
            raise bad() from None
        rows.append(int(m.group(2)) if m.group(2) else None)
    if len(ends) == 1:
        cols, rows = cols * 2, rows * 2
    c = [x if x is not None else (1, 16384)[i] for i, x in enumerate(cols)]
    r = [x if x is not None else (1, 1048576)[i] for i, x in enumerate(rows)]
    return min(r), min(c), max(r), max(c)


def merge_area(path: Path, part: str, ref: str) -> int:
    """The number of cells a merged range covers."""
    top, left, bottom, right = merge_bounds(path, part, ref)
    return (bottom - top + 1) * (right - left + 1)


class _WellFormed(_Handler):
    """A part nothing is read from: parsed for well-formedness (and DTDs) without callbacks."""

    def start(self, name: str, attrs: dict[str, str]) -> None:  # pragma: no cover - not bound
        pass


# --- the small parts ---------------------------------------------------------------------


class _Rels(_Handler):
    def __init__(self) -> None:
        self.targets: dict[str, tuple[str, str, str]] = {}  # Id -> (Type, Target, TargetMode)

    def element(self, name: str, attrs: dict[str, str]) -> None:
        if name == _q(PKG_REL, "Relationship"):
            self.targets[attrs.get("Id", "")] = (
                attrs.get("Type", ""),
                attrs.get("Target", ""),
                attrs.get("TargetMode", ""),
            )


class _ContentTypes(_Handler):
    def __init__(self) -> None:
        self.worksheets: list[str] = []

    def element(self, name: str, attrs: dict[str, str]) -> None:
        if name == _q(CONTENT_TYPES, "Override") and attrs.get("ContentType") == WORKSHEET_CONTENT:
            self.worksheets.append(attrs.get("PartName", "").lstrip("/"))


class _Workbook(_Handler):
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.date1904 = False
        self.strict = False

    def element(self, name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(_SEP)
        if len(self.stack) == 1 and ns == STRICT_MAIN:
            self.strict = True
        if ns != MAIN:
            return
        if local == "sheet" and self.stack[:-1] == [_q(MAIN, "workbook"), _q(MAIN, "sheets")]:
            self.sheets.append((attrs.get("name", ""), attrs.get(_q(OFFICE_REL, "id"), "")))
        elif local == "workbookPr" and len(self.stack) == 2:
            self.date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")


class _Core(_Handler):
    def __init__(self) -> None:
        self.creator: str | None = None
        self._buf: list[str] | None = None

    def element(self, name: str, attrs: dict[str, str]) -> None:
        if name == _q(DC, "creator") and len(self.stack) == 2:
            self._buf = []

    def text(self, data: str) -> None:
        if self._buf is not None:
            self._buf.append(data)

    def close(self, name: str) -> None:
        if self._buf is not None and name == _q(DC, "creator"):
            self.creator = "".join(self._buf)
            self._buf = None


class Styles(_Handler):
    """The number format of every cell style (``s`` attribute), as openpyxl names it."""

    def __init__(self) -> None:
        self.custom: dict[int, str] = {}
        self.xf_formats: list[int] = []

    def element(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(_SEP)[0] != MAIN:
            return
        parents = self.stack[:-1]
        if name == _q(MAIN, "numFmt") and parents == [_q(MAIN, "styleSheet"), _q(MAIN, "numFmts")]:
            if len(self.custom) >= safety.MAX_NUMBER_FORMATS:
                raise SheetError(
                    self.package.path,
                    f"样式表中的自定义数字格式超过 {safety.MAX_NUMBER_FORMATS} 个，"
                    "不像正常的工作簿，拒绝读取",
                )
            fid = attrs.get("numFmtId", "0").strip(_XML_SPACE)
            if fid.isdigit():
                self.custom[int(fid)] = attrs.get("formatCode", "General")
        elif name == _q(MAIN, "xf") and parents == [_q(MAIN, "styleSheet"), _q(MAIN, "cellXfs")]:
            if len(self.xf_formats) >= safety.MAX_CELL_STYLES:
                raise SheetError(
                    self.package.path,
                    f"样式表中的单元格样式超过 {safety.MAX_CELL_STYLES} 个（Excel 最多 64000 个），"
                    "不像正常的工作簿，拒绝读取",
                )
            try:
                self.xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                self.xf_formats.append(0)


class SharedStrings(_Handler):
    """The shared string table: the text of each ``si`` (runs joined, phonetic runs left out)."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self._buf: list[str] | None = None
        self._depth = 0

    def element(self, name: str, attrs: dict[str, str]) -> None:
        depth = len(self.stack)
        if depth == 2 and name == _q(MAIN, "si"):
            self._buf = []
        elif self._buf is not None and name == _q(MAIN, "t"):
            parents = self.stack[1:-1]
            if parents in ([_q(MAIN, "si")], [_q(MAIN, "si"), _q(MAIN, "r")]):
                self._depth = depth

    def text(self, data: str) -> None:
        if self._depth and len(self.stack) == self._depth and self._buf is not None:
            self._buf.append(data)

    def close(self, name: str) -> None:
        depth = len(self.stack)
        if self._depth == depth:
            self._depth = 0
        elif depth == 2 and self._buf is not None:
            self.strings.append(unescape_excel("".join(self._buf)))
            self._buf = None


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_excel(text: str) -> str:
    """Excel's ``_xHHHH_`` escapes (control characters in cell text) as the characters they are."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


# --- opening ------------------------------------------------------------------------------


def open_package(path: Path) -> Package:
    """Open an .xlsx once: container bounds, then the package, workbook, styles and core parts.

    Raises :class:`SheetError` for a hostile or damaged file and for strict OOXML.
    """
    try:
        size = path.stat().st_size
        if size > safety.MAX_FILE_BYTES:
            raise SheetError(
                path, f"文件有 {_mib(size)}，超过上限 {_mib(safety.MAX_FILE_BYTES)}，不像一张评分表，拒绝读取"
            )
        data = path.read_bytes()
    except OSError as e:
        raise SheetError(path, f"无法读取文件（{e.strerror or e}）") from e
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as e:
        raise SheetError(path, "文件已损坏：压缩包不完整或被截断，请重新获取原文件") from e
    safety.check_directory(path, zf)
    names = {i.filename.lower(): i.filename for i in zf.infolist()}
    package = Package(path, data, zf, names)

    root = _Rels()
    if package.info("_rels/.rels") is not None:
        package.parse("_rels/.rels", root)
    for kind, target, mode in root.targets.values():
        if kind.endswith("/officeDocument") and mode != "External":
            package.workbook_part = _resolve("", target)
        elif kind.endswith("/core-properties") and mode != "External":
            core_part = _resolve("", target)
            if package.info(core_part) is not None:
                core = _Core()
                package.parse(core_part, core)
                package.creator = core.creator
    if any(kind.startswith("http://purl.oclc.org/ooxml/") for kind, _, _ in root.targets.values()):
        raise SheetError(path, STRICT_MESSAGE)
    if package.info(package.workbook_part) is None:
        raise SheetError(path, "文件已损坏：找不到工作簿部件（xl/workbook.xml），请重新获取原文件")
    book = _Workbook()
    package.parse(package.workbook_part, book)
    if book.strict:
        raise SheetError(path, STRICT_MESSAGE)
    package.date1904 = book.date1904
    package.sheet_names = [name for name, _ in book.sheets]
    base = posixpath.dirname(package.workbook_part)
    rels_part = posixpath.join(base, "_rels", posixpath.basename(package.workbook_part) + ".rels")
    rels = _Rels()
    if package.info(rels_part) is not None:
        package.parse(rels_part, rels)
    for kind, target, mode in rels.targets.values():
        if mode == "External":
            continue
        if kind.endswith("/styles"):
            package.styles_part = _resolve(base, target)
        elif kind.endswith("/sharedStrings"):
            package.strings_part = _resolve(base, target)
    for name, rid in book.sheets:
        kind, target, mode = rels.targets.get(rid, ("", "", ""))
        if kind.endswith(WORKSHEET_TYPE) and mode != "External":
            package.sheets.append((name, _resolve(base, target)))
    types = _ContentTypes()
    if package.info("[Content_Types].xml") is not None:
        package.parse("[Content_Types].xml", types)
    _check_sheet_sizes(package, types.worksheets)
    return package


_CACHE: list[tuple[tuple[Any, ...], Package]] = []


def _key(path: Path) -> tuple[Any, ...]:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)


def open_cached(path: Path) -> Package:
    """:func:`open_package`, kept for the reader that comes next (one file at a time).

    Recognising jixiao's own outputs needs the creator and the sheet names; the reader needs
    the same opened container, so the second look does not open or inflate anything again.
    """
    package = open_package(path)
    _CACHE[:] = [(_key(path), package)]
    return package


def peek_cached(path: Path) -> Package | None:
    """The package kept for ``path`` (left in place for the reader), if the file is unchanged."""
    try:
        key, package = _CACHE[0]
        return package if key == _key(path) else None
    except (IndexError, OSError):
        return None


def take_cached(path: Path) -> Package | None:
    """The package :func:`open_cached` opened for ``path``, if the file has not changed since."""
    try:
        key, package = _CACHE.pop()
    except IndexError:  # nothing kept (or another thread took it): open again
        return None
    try:
        return package if key == _key(path) else None
    except OSError:
        return None


def check_package(path: Path) -> None:
    """Every container and part check, for a reader that parses the file itself (openpyxl)."""
    package = take_cached(path) or open_package(path)
    try:
        _, _, parts = read_all(package)
        by_lower = {p.lower(): p for _, p in package.sheets}
        for lower, data in parts.items():
            package.parse(by_lower.get(lower, lower), _Handler(), data=data)
    finally:
        package.zf.close()


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def _check_sheet_sizes(package: Package, declared: list[str]) -> None:
    """The worksheet and shared-string parts, wherever stored, bounded before any is inflated."""
    parts = {p.lower() for _, p in package.sheets} | {p.lower() for p in declared}
    parts |= {n for n in package.names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    if package.strings_part:
        parts.add(package.strings_part.lower())
    parts.add("xl/sharedstrings.xml")
    total = sum(info.file_size for p in parts if (info := package.info(p)) is not None)
    safety.check_sheet_total(package.path, total)


def read_all(package: Package) -> tuple[Styles, list[str], dict[str, bytes]]:
    """Parse every remaining XML part once: styles, shared strings, worksheets (kept), the rest.

    Returns the styles, the shared strings and the bytes of each worksheet part by lower-case
    name (a worksheet is parsed later, by the grid builder, in its own single pass).
    """
    styles = Styles()
    strings = SharedStrings()
    sheet_parts = {p.lower() for _, p in package.sheets}
    done = set(package.parsed)
    kept: dict[str, bytes] = {}
    for info in package.zf.infolist():
        lower = info.filename.lower()
        if lower in done or info.is_dir():
            continue
        if lower in sheet_parts:
            kept[lower] = package.inflate(info.filename)
        elif package.styles_part and lower == package.styles_part.lower():
            package.parse(info.filename, styles)
        elif package.strings_part and lower == package.strings_part.lower():
            package.parse(info.filename, strings)
        elif lower.endswith((".xml", ".rels")):
            data = package.inflate(info.filename)
            if b"mergeCell" in data:  # counted wherever it is (openpyxl reads only worksheets)
                package.parse(info.filename, _Handler(), data=data)
            else:  # well-formedness only, in C
                package.parse(info.filename, _WellFormed(), data=data)
        elif lower.endswith(".vml"):
            safety.refuse_dtd(package.path, info.filename, package.inflate(info.filename))
        elif lower.endswith(".bin") and lower.startswith("xl/worksheets/"):
            raise SheetError(package.path, safety.XLSB_MESSAGE)
    return styles, strings.strings, kept


# --- worksheets ---------------------------------------------------------------------------

_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_XML_SPACE = " \t\r\n"

_WS = _q(MAIN, "worksheet")
_SHEET_DATA = _q(MAIN, "sheetData")
_ROW = _q(MAIN, "row")
_C = _q(MAIN, "c")
_V = _q(MAIN, "v")
_F = _q(MAIN, "f")
_IS = _q(MAIN, "is")
_T = _q(MAIN, "t")
_R = _q(MAIN, "r")
_MERGE = _q(MAIN, "mergeCell")
_MERGES = _q(MAIN, "mergeCells")


@dataclass(slots=True)
class RawCell:
    """One cell as the XML states it: address, type, style, cached value text, formula."""

    row: int
    col: int
    kind: str
    style: int
    value: str | None
    formula: str | None
    shared_child: bool = False


class Worksheet(_Handler):
    """The cells, formulas and merged ranges of one worksheet part, in one pass.

    The hot path of the reader: it tracks the depth instead of comparing element stacks, and
    only ``worksheet/sheetData/row/c`` (with its ``v``, ``f`` and ``is``) and
    ``worksheet/mergeCells/mergeCell`` are read, as Excel and LibreOffice read them.
    """

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.cells: list[RawCell] = []
        self.merges: list[str] = []
        self._row = 0
        self._col = 0
        self._cell: RawCell | None = None
        self._buf: list[str] | None = None
        self._target = ""  # which child of the cell is being read: v, f or is
        self._depth = 0
        self._root = False  # the root is spreadsheetml's worksheet
        self._section = ""  # the child of the root being read: "data", "merges" or ""
        self._in_row = False
        self._is_path: list[str] = []  # elements open inside <is>

    def bind(self, package: Package, part: str) -> None:
        self.package, self.part = package, part
        self.stack = []

    def _bad(self, message: str) -> SheetError:
        return SheetError(self.package.path, f"工作表“{self.sheet}”{message}，文件结构异常，拒绝读取")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        depth = self._depth = self._depth + 1
        if depth == 4:
            if name == _C and self._in_row:
                self._start_cell(attrs)
        elif depth == 5:
            cell = self._cell
            if cell is not None:
                if name == _V:
                    self._target, self._buf = "v", []
                elif name == _F:
                    self._target, self._buf = "f", []
                    if attrs.get("t") == "shared" and "ref" not in attrs:
                        cell.shared_child = True
                elif name == _IS:
                    self._target, self._buf = "is", []
        elif depth > 5:
            if self._target == "is":
                self._is_path.append(name)
        elif depth == 3:
            if self._section == "data" and name == _ROW:
                self._in_row = True
                r = attrs.get("r")
                if r is None:
                    self._row += 1
                else:
                    try:
                        self._row = int(r.strip(_XML_SPACE))
                    except ValueError:
                        raise self._bad(f"的行号“{r[:20]}”无效") from None
                if not 1 <= self._row <= 1048576:
                    raise self._bad(f"的行号 {self._row} 超出 Excel 的范围")
                self._col = 0
            elif self._section == "merges" and name == _MERGE:
                ref = attrs.get("ref", "")
                self.merge(ref)
                self.merges.append(ref)
        elif depth == 2:
            self._section = (
                ("data" if name == _SHEET_DATA else "merges" if name == _MERGES else "") if self._root else ""
            )
        elif depth == 1:
            self._root = name == _WS

    def _start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is None:
            row, col = self._row, self._col + 1
        else:
            found = _address(ref)
            if found is None:
                raise self._bad(f"的单元格地址“{ref[:20]}”无效")
            row, col = found
        if not (1 <= row <= 1048576 and 1 <= col <= 16384):
            raise self._bad(f"的单元格地址“{(ref or '')[:20]}”超出 Excel 的范围")
        self._col = col
        style = attrs.get("s")
        if style is None:
            number = 0
        elif style.isdigit():
            number = int(style)
        else:
            style = style.strip(_XML_SPACE) or "0"
            if not style.isdigit():
                raise self._bad(f"的单元格 {ref} 的样式编号“{style[:20]}”无效")
            number = int(style)
        kind = attrs.get("t", "n")
        if kind not in _KINDS:
            kind = kind.strip(_XML_SPACE)
        self._cell = RawCell(row, col, kind, number, None, None)

    def end(self, name: str) -> None:
        depth = self._depth
        self._depth = depth - 1
        if depth > 5:
            if self._target == "is" and self._is_path:
                self._is_path.pop()
            return
        cell = self._cell
        if depth == 5:
            if cell is not None and self._buf is not None:
                text = "".join(self._buf)
                if self._target == "f":
                    cell.formula = text
                elif self._target == "is":
                    cell.value = unescape_excel(text)
                else:
                    cell.value = text
                self._buf, self._target = None, ""
        elif depth == 4:
            if cell is not None:
                self.cells.append(cell)
                self._cell = None
        elif depth == 3:
            self._in_row = False
        elif depth == 2:
            self._section = ""

    def text(self, data: str) -> None:
        buf = self._buf
        if buf is None:
            return
        if self._target == "is":
            # <is><t>…</t></is> or <is><r><t>…</t></r>…</is>; phonetic runs (rPh) are not text
            if self._is_path == [_T] or self._is_path == [_R, _T]:
                buf.append(data)
        elif self._depth == 5:
            buf.append(data)


_KINDS = frozenset({"n", "s", "str", "inlineStr", "b", "e", "d"})
_COLUMNS: dict[str, int] = {}
_DIGITS = "0123456789"


def _address(ref: str) -> tuple[int, int] | None:
    """A cell address as (row, column); column letters are cached (they recur on every row)."""
    letters = ref.rstrip(_DIGITS)
    digits = ref[len(letters) :]
    col = _COLUMNS.get(letters)
    if col is None:
        if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            m = _CELL_REF.fullmatch(ref.strip(_XML_SPACE))  # spaces around the address
            if m is None:
                return None
            letters, digits = m.group(1), m.group(2)
        col = column_index_from_string(letters)
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = col
    if not digits or len(digits) > 7 or not digits.isdigit() or not digits.isascii():
        return None
    return int(digits), col


def number(path: Path, sheet: str, ref: str, raw: str) -> int | float:
    """A cell's cached number as openpyxl types it (a dot or an exponent makes a float).

    Only the plain decimal notation Excel writes is accepted: ``inf``, ``nan``, ``1_0`` or a
    value beyond the range of a double would be read differently by different programs.
    """
    text = raw.strip(_XML_SPACE)
    if _NUMBER.fullmatch(text) is None:
        raise SheetError(
            path,
            f"工作表“{sheet}”单元格 {ref} 的数值“{text[:40]}”不是 Excel 写出的数字，文件结构异常，拒绝读取",
        )
    if "." in text or "e" in text or "E" in text:
        value = float(text)
        if not math.isfinite(value):
            message = f"工作表“{sheet}”单元格 {ref} 的数值“{text[:40]}”超出 Excel 的数值范围，拒绝读取"
            raise SheetError(path, message)
        return value
    return int(text)
