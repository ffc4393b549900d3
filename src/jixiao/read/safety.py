"""Bounds and checks on a workbook's zip container, applied by the one pass of :mod:`.ooxml`.

An .xlsx is a zip of XML parts. A hostile file can be a zip bomb (a few KB that expand to
gigabytes), carry XML with a document type declaration (entity expansion, "billion laughs",
external entities), or simply be far larger than any score sheet. The central-directory
checks here run before anything is inflated; the part checks (DTD, merged area, cell styles)
run inside the single parse of each part in :mod:`jixiao.read.ooxml`, so they cost little on
a real workbook and refuse a hostile one before openpyxl or a grid allocates anything.

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

import zipfile
from pathlib import Path

from jixiao.errors import SheetError

MiB = 1 << 20

MAX_ENTRIES = 10_000
"""Parts in one workbook (a real one has tens; hundreds with many sheets and images)."""

MAX_TOTAL_UNCOMPRESSED = 256 * MiB
"""Sum of the declared uncompressed sizes of all parts."""

MAX_WORKSHEET_XML = 40 * MiB
"""Sum of the uncompressed worksheet and shared-string XML, wherever the workbook's
relationships store the worksheets (``xl/worksheets/`` or elsewhere). A 100,000-row sheet of
six columns is 35 MiB and is read. The README's hostile-input table gives the measured peak
memory at this bound."""

MAX_FILE_BYTES = 64 * MiB
"""Largest .xlsx file read (it is read into memory once; a 100,000-row workbook is about 5 MB)."""

MAX_CELL_STYLES = 65_536
"""Cell styles (``cellXfs/xf``) in ``styles.xml``. Excel allows 64,000; a real sheet has tens."""

MAX_NUMBER_FORMATS = 4_096
"""Custom number formats in ``styles.xml`` (Excel allows about 250)."""

XLSB_MESSAGE = (
    "这是 Excel 二进制工作簿（.xlsb），jixiao 不能直接读取；请在 Excel 中打开，另存为 .xlsx 后再评分"
)

MAX_RATIO = 200
"""Largest compression ratio accepted for a part larger than :data:`RATIO_MIN_SIZE`. Sheet XML
compresses about 10–20×; deflate bombs reach about 1000×."""

RATIO_MIN_SIZE = 1 * MiB

MAX_MERGED_CELLS = 200_000
"""Cells covered by merged ranges in the whole workbook. A score sheet merges a few hundred;
openpyxl makes an object for each (about 20 µs apiece), so this bounds that work to seconds."""

ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

_FORBIDDEN_MARKUP = (b"<!DOCTYPE", b"<!ENTITY")


def _mib(n: int) -> str:
    return f"{n / MiB:.1f} MB"


def check_directory(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a zip that is a bomb or too large to be a score sheet, from its central directory."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise SheetError(
            path,
            f"压缩包中有 {len(infos)} 个部件，超过上限 {MAX_ENTRIES}，不像正常的工作簿，拒绝读取",
        )
    total = 0
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


def check_sheet_total(path: Path, total: int) -> None:
    """Refuse worksheet and shared-string XML larger than :data:`MAX_WORKSHEET_XML`."""
    if total > MAX_WORKSHEET_XML:
        raise SheetError(
            path,
            f"工作表数据过大（解压后 {_mib(total)}，上限 {_mib(MAX_WORKSHEET_XML)}，约 10 万行）；"
            "请把评分表复制到一个新的工作簿后再评分",
        )


def refuse_dtd(path: Path, part: str, data: bytes) -> None:
    """Refuse a part with a document type declaration or an entity definition.

    Excel and WPS never write a DTD; one is the way to an entity bomb or an external entity.
    The bytes are searched before the parser runs, and the parser refuses any it reports.
    """
    if any(m in data for m in _FORBIDDEN_MARKUP):
        raise dtd_error(path, part)


def dtd_error(path: Path, part: str) -> SheetError:
    """The refusal of a part that declares a document type or an entity."""
    return SheetError(
        path,
        f"部件 {part} 含有 XML 文档类型声明或实体定义"
        "（<!DOCTYPE/<!ENTITY），Excel 和 WPS 不会写出这样的文件；"
        "为安全起见拒绝读取（可能是实体炸弹或外部实体引用）",
    )
