"""Checks on a workbook's zip container before any XML parser sees it.

An .xlsx is a zip of XML parts. A hostile file can be a zip bomb (a few KB that expand to
gigabytes), carry XML with a document type declaration (entity expansion, "billion laughs",
external entities), or simply be far larger than any score sheet. These checks read only the
zip's central directory and scan each part's bytes once, in bounded chunks, so they cost
little on a real workbook and refuse a hostile one before openpyxl allocates anything.

Why the declared sizes can be trusted: :mod:`zipfile` stops every entry at the size its
central directory declares (and then fails on the CRC), so an entry that lies about its size
cannot expand further than declared. Only the two compression methods .xlsx uses (stored,
deflate) are accepted; deflate's output is produced in small steps, while bzip2 and lzma
could expand one read into a large block before that cut applies.

The limits are far above any real score sheet (those are well below 1 MiB of XML) and above
a 100,000-row worksheet (about 35 MiB of XML for six columns), and they keep openpyxl's
memory within a few hundred MB. They are module constants so a caller can adjust them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from jixiao.errors import SheetError
from jixiao.read._excel import column_index_from_string  # openpyxl's, without importing it

MiB = 1 << 20

MAX_ENTRIES = 10_000
"""Parts in one workbook (a real one has tens; hundreds with many sheets and images)."""

MAX_TOTAL_UNCOMPRESSED = 256 * MiB
"""Sum of the declared uncompressed sizes of all parts."""

MAX_WORKSHEET_XML = 40 * MiB
"""Sum of the uncompressed worksheet and shared-string XML. openpyxl keeps every cell in
memory: reading takes about 9 MB and scoring about 13 MB of RAM per MB of sheet XML, so this
bounds a run at roughly 550 MB. A 100,000-row sheet of six columns is 35 MiB and is read."""

MAX_RATIO = 200
"""Largest compression ratio accepted for a part larger than :data:`RATIO_MIN_SIZE`. Sheet XML
compresses about 10–20×; deflate bombs reach about 1000×."""

RATIO_MIN_SIZE = 1 * MiB

MAX_MERGED_CELLS = 200_000
"""Cells covered by merged ranges in the whole workbook. A score sheet merges a few hundred;
openpyxl makes an object for each (about 20 µs apiece), so this bounds that work to seconds."""

ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

_FORBIDDEN_MARKUP = (b"<!DOCTYPE", b"<!ENTITY")
_SCAN_CHUNK = 1 * MiB


def _mib(n: int) -> str:
    return f"{n / MiB:.1f} MB"


def check_zip(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a zip that is a bomb, too large to be a score sheet, or carries XML with a DTD."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise SheetError(
            path,
            f"压缩包中有 {len(infos)} 个部件，超过上限 {MAX_ENTRIES}，不像正常的工作簿，拒绝读取",
        )
    total = 0
    sheets = 0
    for info in infos:
        if info.compress_type not in ALLOWED_METHODS:
            raise SheetError(
                path,
                f"部件 {info.filename} 使用了 Excel 不会使用的压缩方式（{info.compress_type}），拒绝读取",
            )
        if info.flag_bits & 0x1:
            raise SheetError(path, "压缩包内的部件被加密，无法读取；请取消密码后另存为 .xlsx")
        size = info.file_size
        total += size
        name = info.filename.lower()
        if name.startswith("xl/worksheets/") or name == "xl/sharedstrings.xml":
            sheets += size
        if size > RATIO_MIN_SIZE and size > MAX_RATIO * max(info.compress_size, 1):
            raise SheetError(
                path,
                f"部件 {info.filename} 压缩比异常（{info.compress_size} 字节解压后为 {_mib(size)}，"
                f"超过 {MAX_RATIO} 倍），疑似“压缩炸弹”，拒绝读取",
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise SheetError(
            path,
            f"工作簿解压后共 {_mib(total)}，超过上限 {_mib(MAX_TOTAL_UNCOMPRESSED)}，"
            "不像一张评分表，拒绝读取",
        )
    if sheets > MAX_WORKSHEET_XML:
        raise SheetError(
            path,
            f"工作表数据过大（解压后 {_mib(sheets)}，上限 {_mib(MAX_WORKSHEET_XML)}，约 10 万行）；"
            "请把评分表复制到一个新的工作簿后再评分",
        )
    merged = 0
    for info in infos:
        name = info.filename.lower()
        if name.endswith((".xml", ".rels", ".vml")):
            merged += _scan_part(path, zf, info, worksheet=name.startswith("xl/worksheets/"))
            if merged > MAX_MERGED_CELLS:
                raise SheetError(
                    path,
                    f"合并单元格的范围过大（共超过 {MAX_MERGED_CELLS} 个单元格，"
                    f"见部件 {info.filename}），不像一张评分表；读取它会耗尽内存，拒绝读取",
                )


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")
_KEEP = 128  # longer than any marker or mergeCell element, so none is missed at a chunk edge


def _merge_area(m: re.Match[bytes]) -> int:
    left, top = column_index_from_string(m.group(1).decode()), int(m.group(2))
    right, bottom = column_index_from_string(m.group(3).decode()), int(m.group(4))
    return (abs(bottom - top) + 1) * (abs(right - left) + 1)


def _scan_part(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, worksheet: bool) -> int:
    """Refuse a part with a document type declaration; return the area of its merged ranges.

    Excel and WPS never write a DTD. openpyxl creates an object for every cell of a merged
    range while loading, so one ``<mergeCell ref="A1:XFD1048576"/>`` in a 10 KB file would
    take hours; the areas are added up here, before openpyxl sees the file.
    """
    tail = b""
    area = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                window = tail + chunk
                if any(m in window for m in _FORBIDDEN_MARKUP):
                    raise SheetError(
                        path,
                        f"部件 {info.filename} 含有 XML 文档类型声明或实体定义"
                        "（<!DOCTYPE/<!ENTITY），Excel 和 WPS 不会写出这样的文件；"
                        "为安全起见拒绝读取（可能是实体炸弹或外部实体引用）",
                    )
                if worksheet:
                    # A match ending inside the old tail was counted with the previous chunk.
                    area += sum(_merge_area(m) for m in _MERGE.finditer(window) if m.end() > len(tail))
                tail = window[-_KEEP:]
    except SheetError:
        raise
    except ValueError:  # a column beyond XFD: not a reference Excel writes
        raise SheetError(path, f"部件 {info.filename} 中的合并单元格引用无效，拒绝读取") from None
    except Exception as e:  # zipfile: BadZipFile, zlib.error, EOFError, NotImplementedError…
        raise SheetError(path, f"文件已损坏（部件 {info.filename} 无法解压），请重新获取原文件") from e
    return area
