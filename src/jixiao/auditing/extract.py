"""Text and positions from a published report: PDF (text layer), Word .docx, plain text.

What a reader gets is a :class:`ReportText`: the report's lines in reading order, each with a
place a person can find ("第4页第12行", "第35段", "第12行"), and for Word the tables as rows
of cells ("表1第3行"). Files are sniffed by their first bytes and bounded before any parser
sees them; everything that cannot be read ends in a :class:`~jixiao.errors.SheetError` that
names the file and says why in Chinese.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from jixiao.auditing._project import SheetError

MiB = 1 << 20

MAX_REPORT_BYTES = 64 * MiB
"""Largest report file read (a 100-page PDF with images is a few MiB)."""

MAX_PDF_PAGES = 400
"""Pages read from a PDF; a self-evaluation report has tens."""

MAX_TEXT_CHARS = 2_000_000
"""Characters of text kept from any report (about 1,000 pages of Chinese)."""

MAX_DOCX_UNCOMPRESSED = 256 * MiB
"""Sum of the declared uncompressed sizes of a .docx's parts (zip bombs)."""

MIN_TEXT_PER_PAGE = 5
"""Fewer extracted characters per page than this on average: a scan without a text layer."""

_PDF_MAGIC = b"%PDF"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SourceKind(StrEnum):
    """A report format jixiao reads."""

    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    """One line (PDF, text) or paragraph (Word) of the report, with where to find it."""

    text: str
    place: str


@dataclass(frozen=True)
class Row:
    """One row of a Word table: a text per grid column (a merged cell in its first), and its place."""

    cells: tuple[str, ...]
    place: str


@dataclass(frozen=True)
class Table:
    """A Word table as rows of cell texts."""

    rows: tuple[Row, ...]
    place: str


@dataclass(frozen=True)
class ReportText:
    """What was read from a report: lines in reading order and, for Word, its tables."""

    source: Path
    kind: SourceKind
    lines: tuple[Line, ...]
    tables: tuple[Table, ...] = ()
    pages: int | None = None


def read_report(path: Path) -> ReportText:
    """Read ``path`` as a PDF, .docx or text report; a :class:`SheetError` when it cannot be."""
    kind = sniff(path)
    if kind is SourceKind.PDF:
        return _read_pdf(path)
    if kind is SourceKind.DOCX:
        return _read_docx(path)
    return _read_text(path)


def sniff(path: Path) -> SourceKind:
    """The format of ``path`` from its first bytes; a Chinese :class:`SheetError` otherwise."""
    if not path.exists():
        raise SheetError(path, "文件不存在")
    if path.is_dir():
        raise SheetError(path, "这是一个文件夹，不是自评报告")
    if not path.is_file():
        raise SheetError(path, "这不是普通文件（可能是设备或管道），请提供报告文件")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as e:
        raise SheetError(path, f"无法读取文件（{e.strerror or e}）") from e
    if size == 0 or not head:
        raise SheetError(path, "文件是空的（0 字节），不是自评报告；请重新获取原文件")
    if size > MAX_REPORT_BYTES:
        raise SheetError(
            path, f"文件过大（{size // MiB} MiB，上限 {MAX_REPORT_BYTES // MiB} MiB），不像一份自评报告"
        )
    if head.lstrip(b"\r\n\t ").startswith(_PDF_MAGIC):
        return SourceKind.PDF
    if head.startswith(_ZIP_MAGICS):
        return _zip_kind(path)
    if head.startswith(_OLE_MAGIC):
        raise SheetError(
            path,
            "这是旧版 Office 文件（.doc/.xls）或加密的 Office 文件，jixiao 不能读取；"
            "请在 Word/WPS 中另存为 .docx 或导出 PDF 后再核对",
        )
    if _decode(head, partial=True) is None:
        raise SheetError(path, "无法识别的文件格式：不是 PDF、Word（.docx）或文本文件")
    return SourceKind.TEXT


def _zip_kind(path: Path) -> SourceKind:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise SheetError(path, "文件已损坏或不完整（zip 结构无法读取），请重新获取原文件") from e
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise SheetError(path, "这是 Excel 工作簿，不是自评报告；评分表请用 jixiao score 评分")
        raise SheetError(path, "这是压缩文件，不是 Word（.docx）报告")
    if total > MAX_DOCX_UNCOMPRESSED:
        raise SheetError(path, f"Word 文件解压后过大（超过 {MAX_DOCX_UNCOMPRESSED // MiB} MiB），拒绝读取")
    return SourceKind.DOCX


def _decode(data: bytes, *, partial: bool = False) -> str | None:
    """UTF-8 (with or without BOM) or GBK text, or None for binary data."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as e:
            # A multi-byte character cut at the end of the sniffed head is still text.
            if partial and e.start >= len(data) - 4:
                return data[: e.start].decode(encoding, errors="strict")
    return None


def _read_text(path: Path) -> ReportText:
    data = path.read_bytes()
    text = _decode(data)
    if text is None:
        raise SheetError(path, "文本文件的编码无法识别（支持 UTF-8 和 GBK）")
    text = text[:MAX_TEXT_CHARS]
    lines = tuple(Line(t, f"第{i}行") for i, t in enumerate(text.splitlines(), start=1) if t.strip())
    return ReportText(path, SourceKind.TEXT, lines)


def _read_pdf(path: Path) -> ReportText:
    # pdfplumber orders characters by their position on the page; a text-stream reader (pypdf)
    # puts runs in another font (the quotes in 等级为“优”, Latin digits in Word's PDFs) where
    # the stream has them, which breaks the sentences this module exists to read.
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings are not the user's concern
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as e:
        raise SheetError(path, "PDF 有打开密码，无法读取；请提供未加密的版本") from e
    except Exception as e:  # pdfminer raises many kinds on broken files; pdfplumber wraps them
        cause = e.args[0] if e.args else None
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(e).lower():
            raise SheetError(path, "PDF 有打开密码，无法读取；请提供未加密的版本") from e
        raise SheetError(path, "PDF 文件已损坏或不完整，无法读取；请重新获取原文件") from e
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as e:
            raise SheetError(path, "PDF 文件已损坏或不完整，无法读取；请重新获取原文件") from e
        if count == 0:
            raise SheetError(path, "PDF 没有页面")
        if count > MAX_PDF_PAGES:
            raise SheetError(path, f"PDF 有 {count} 页，超过上限 {MAX_PDF_PAGES} 页，不像一份自评报告")
        lines: list[Line] = []
        chars = 0
        for number in range(1, count + 1):
            try:
                page_text = pdf.pages[number - 1].extract_text() or ""
            except Exception as e:
                raise SheetError(path, f"PDF 第 {number} 页无法读取（文件可能已损坏）") from e
            for i, t in enumerate(page_text.splitlines(), start=1):
                if t.strip():
                    lines.append(Line(t, f"第{number}页第{i}行"))
                    chars += len(t.strip())
            if chars > MAX_TEXT_CHARS:
                break
    if chars < MIN_TEXT_PER_PAGE * count:
        raise SheetError(
            path,
            "PDF 没有文字层（可能是扫描件或图片），jixiao 不做文字识别（OCR）；"
            "请提供由 Word/WPS 导出的 PDF 或 Word 原文件",
        )
    return ReportText(path, SourceKind.PDF, tuple(lines), pages=count)


def _read_docx(path: Path) -> ReportText:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors on broken files
        raise SheetError(path, "Word 文件已损坏或不完整，无法读取；请重新获取原文件") from e
    lines: list[Line] = []
    tables: list[Table] = []
    paragraph = 0
    chars = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph += 1
            text = Paragraph(child, document).text
            if text.strip():
                lines.append(Line(text, f"第{paragraph}段"))
                chars += len(text)
        elif tag == "tbl":
            number = len(tables) + 1
            table = DocxTable(child, document)
            rows: list[Row] = []
            for r, row in enumerate(table.rows, start=1):
                cells: list[str] = []
                previous: object = None
                for cell in row.cells:
                    # A horizontally merged cell appears once per grid column it spans: keep it
                    # in its first column only, so columns stay aligned with the header.
                    cells.append("" if cell._tc is previous else " ".join(cell.text.split()))
                    previous = cell._tc
                rows.append(Row(tuple(cells), f"表{number}第{r}行"))
                chars += sum(len(c) for c in cells)
            tables.append(Table(tuple(rows), f"表{number}"))
        if chars > MAX_TEXT_CHARS:
            break
    return ReportText(path, SourceKind.DOCX, tuple(lines), tuple(tables))
