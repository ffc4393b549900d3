"""Tell what a file really is from its first bytes, and say plainly when it is not a workbook.

Sheets arrive by e-mail with the wrong extension (a PDF or a web page saved as .xls, an .xlsx
renamed .xls), empty, truncated, encrypted, or in formats jixiao does not read (WPS .et,
.xlsb, .ods). :func:`identify` decides by content first and by the extension only where the
content leaves a choice, and raises a :class:`SheetError` with the file and a Chinese
explanation of what to do for everything it cannot read.
"""

from __future__ import annotations

import zipfile
from enum import StrEnum
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
SAVE_AS = "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再评分"


class Kind(StrEnum):
    """A format jixiao reads."""

    XLSX = "xlsx"  # Office Open XML workbook (.xlsx/.xlsm, whatever the extension says)
    XLS = "xls"  # Excel 97–2003 binary workbook (BIFF in an OLE compound file)
    CSV = "csv"  # comma- or tab-separated text


def identify(path: Path) -> Kind:
    """The format of ``path``; a :class:`SheetError` saying what it is when it cannot be read."""
    if not path.exists():
        raise SheetError(path, "文件不存在")
    if path.is_dir():
        raise SheetError(path, "这是一个文件夹，不是工作簿")
    if not path.is_file():  # a device or a pipe: reading could block, and it cannot be re-read
        raise SheetError(path, "这不是普通文件（可能是设备或管道），请提供工作簿文件")
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except PermissionError as e:
        raise SheetError(path, "没有读取该文件的权限") from e
    except OSError as e:
        raise SheetError(path, f"无法读取文件（{e.strerror or e}）") from e
    if size == 0 or not head:
        raise SheetError(path, "文件是空的（0 字节），不是工作簿；请重新获取原文件")
    if head.startswith(ZIP_MAGICS):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path, suffix)
    if suffix == ".et":
        raise SheetError(path, f"这是 WPS 表格专用格式（.et），jixiao 不能直接读取；{SAVE_AS}")
    if head.startswith(b"%PDF"):
        raise SheetError(path, "这是 PDF 文件，不是 Excel 工作簿；请提供 Excel/WPS 表格文件（.xlsx）")
    text = _as_text(head)
    if text is not None:
        start = text.lstrip("\ufeff \t\r\n").lower()
        if start.startswith(("<html", "<!doctype html", "<table", "<meta", "<head")):
            raise SheetError(
                path,
                f"这是网页文件（HTML），只是扩展名为 {suffix or '空'}，不是真正的工作簿"
                f"（常见于从业务系统导出的表格）；{SAVE_AS}",
            )
        if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
            raise SheetError(path, f"这是 Excel 2003 XML 表格，不是 .xlsx 工作簿；{SAVE_AS}")
        if suffix in (".csv", ".tsv"):
            return Kind.CSV
        if start.startswith("<"):
            raise SheetError(path, "这是 XML/文本文件，不是 Excel 工作簿；请提供 .xlsx 文件")
        raise SheetError(
            path,
            "这是文本文件，不是 Excel 工作簿；如果它是逗号分隔的表格，请把扩展名改为 .csv，"
            "或在 Excel/WPS 中另存为 .xlsx",
        )
    raise SheetError(path, "无法识别的文件格式，不是 Excel 工作簿；请提供 .xlsx 文件")


def _as_text(head: bytes) -> str | None:
    """The start of the file as text, or None when it looks binary."""
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            # The 4 KB cut may split a character: drop up to 3 trailing bytes before deciding.
            for cut in range(4):
                try:
                    return head[: len(head) - cut].decode(encoding)
                except UnicodeDecodeError:
                    if cut == 3:
                        raise
        except UnicodeDecodeError:
            continue
    return None


def _zip_kind(path: Path) -> Kind:
    from jixiao.read import ooxml

    kept = ooxml.peek_cached(path)  # already opened to recognise jixiao's outputs: not again
    if kept is not None:
        return Kind.XLSX
    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.lower() for n in zf.namelist()}
    except Exception as e:  # zipfile raises many types on a damaged directory
        raise SheetError(
            path,
            "文件已损坏：压缩包不完整或被截断（常见于下载或邮件附件未完整保存），请重新获取原文件",
        ) from e
    # An .xlsb also has xl/worksheets/ (sheet1.bin): decide on the binary parts first.
    if "xl/workbook.bin" in names or (
        "xl/workbook.xml" not in names
        and any(n.startswith("xl/worksheets/") and n.endswith(".bin") for n in names)
    ):
        raise SheetError(path, f"这是 Excel 二进制工作簿（.xlsb），jixiao 不能直接读取；{SAVE_AS}")
    if "xl/workbook.xml" in names or any(n.startswith("xl/worksheets/") for n in names):
        return Kind.XLSX
    if "mimetype" in names or "content.xml" in names:
        raise SheetError(path, f"这是 OpenDocument 文件（如 .ods），不是 .xlsx 工作簿；{SAVE_AS}")
    if "word/document.xml" in names:
        raise SheetError(path, "这是 Word 文档，不是 Excel 工作簿；请提供 .xlsx 文件")
    if any(n.startswith("ppt/") for n in names):
        raise SheetError(path, "这是 PowerPoint 演示文稿，不是 Excel 工作簿；请提供 .xlsx 文件")
    if not names:
        raise SheetError(path, "这是一个空的压缩包，不是 Excel 工作簿")
    raise SheetError(path, "这是一个普通压缩包（zip），不是 Excel 工作簿；请解压后提供其中的 .xlsx 文件")


def _ole_kind(path: Path, suffix: str) -> Kind:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(parts).lower() for parts in ole.listdir(streams=True)}
            broken = broken_chain(ole)
    except Exception as e:  # olefile raises several types on a damaged container
        raise SheetError(path, "文件已损坏：Office 复合文档结构不完整，请重新获取原文件") from e
    if broken:
        # calamine follows a chain until its end marker: a loop makes it allocate until the
        # process dies, so the structure is checked here, before any reader sees it.
        raise SheetError(
            path, f"文件已损坏：Office 复合文档的扇区链异常（{broken}），读取它会耗尽内存；请重新获取原文件"
        )
    if {"encryptioninfo", "encryptedpackage"} & streams:
        raise SheetError(
            path,
            "工作簿设置了打开密码（已加密），jixiao 不读取加密文件，也不会尝试破解密码；"
            "请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）"
            "后另存为 .xlsx",
        )
    if suffix == ".et":
        raise SheetError(path, f"这是 WPS 表格专用格式（.et），jixiao 不能直接读取；{SAVE_AS}")
    if "workbook" in streams or "book" in streams:
        return Kind.XLS
    if "worddocument" in streams:
        raise SheetError(path, "这是 Word 文档（.doc），不是 Excel 工作簿；请提供 .xlsx 文件")
    if "powerpoint document" in streams:
        raise SheetError(path, "这是 PowerPoint 演示文稿，不是 Excel 工作簿；请提供 .xlsx 文件")
    raise SheetError(path, "这是 Office 复合文档，但不是 Excel 工作簿；请提供 .xlsx 文件")


def broken_chain(ole: Any) -> str | None:
    """What is wrong with the sector chains of an OLE file (a loop, a sector out of range), or None.

    Every chain a reader follows is walked once: the directory, the MiniFAT, and each stream in
    the FAT or MiniFAT (the root entry's chain holds the mini stream). A chain may visit each
    sector once; its end marker must come within the table.
    """
    import olefile

    ends = (olefile.ENDOFCHAIN, olefile.FREESECT)

    def walk(table: Any, start: int, what: str) -> str | None:
        seen: set[int] = set()
        sect = start
        while sect not in ends:
            if not 0 <= sect < len(table):
                return f"{what} 指向不存在的扇区 {sect}"
            if sect in seen:
                return f"{what} 的扇区链形成循环"
            seen.add(sect)
            sect = table[sect]
        return None

    fat = ole.fat
    problem = walk(fat, ole.first_dir_sector, "目录")
    if problem:
        return problem
    if ole.first_mini_fat_sector not in ends:
        problem = walk(fat, ole.first_mini_fat_sector, "MiniFAT")
        if problem:
            return problem
    minifat = None
    for entry in ole.direntries:
        if entry is None or entry.entry_type not in (olefile.STGTY_STREAM, olefile.STGTY_ROOT):
            continue
        if entry.entry_type == olefile.STGTY_STREAM and entry.size < ole.minisectorcutoff:
            if minifat is None:
                ole.loadminifat()
                minifat = ole.minifat
            problem = walk(minifat, entry.isectStart, f"流 {entry.name}")
        else:
            problem = walk(fat, entry.isectStart, f"流 {entry.name}")
        if problem:
            return problem
    return None
