"""Recognise jixiao's own outputs (result, review and summary workbooks) without parsing them.

Readers use this so that a result handed back as input is named for what it is, and a batch
over a folder that holds earlier outputs skips them instead of reporting them as broken sheets.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from html import unescape
from pathlib import Path

# Workbooks jixiao wrote itself (result, review, summary) are marked with this creator; a batch
# over a folder that holds them skips them instead of reporting them as broken sheets.
OUTPUT_CREATOR = "jixiao"
OUTPUT_SKIP_REASON = "jixiao 生成的结果文件"
# Outputs written before the mark existed are recognised by their sheets.
OUTPUT_SHEET_SETS = (
    frozenset({"总表", "明细", "问题", "信息"}),
    frozenset({"复核对比", "问题", "信息"}),
    frozenset({"汇总", "等级分布", "指标得分率", "错误"}),
)


def is_jixiao_output(path: Path) -> bool:
    """True when ``path`` is a workbook jixiao wrote (result, review or summary).

    Cheap: only ``docProps/core.xml`` (the creator mark) and ``xl/workbook.xml`` (the sheet
    names, for outputs written before the mark) are read from the zip; the workbook is not
    parsed. Anything that is not a readable .xlsx is simply not an output.
    """
    limit = 1 << 20  # both parts are a few KB in a real file; never inflate more than this

    def part(z: zipfile.ZipFile, name: str) -> str | None:
        info = z.getinfo(name)
        if info.file_size > limit:
            return None
        return z.read(info).decode("utf-8", "replace")

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "docProps/core.xml" in names:
                core = part(z, "docProps/core.xml") or ""
                m = re.search(r"<dc:creator\b[^>]*>([^<]*)</dc:creator>", core)
                if m and unescape(m.group(1)).strip() == OUTPUT_CREATOR:
                    return True
            if "xl/workbook.xml" not in names:
                return False
            book = part(z, "xl/workbook.xml")
            if book is None:
                return False
    # A damaged file is simply not one of ours; reading it properly reports what is wrong.
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, RuntimeError):
        return False
    sheets = {unescape(n) for n in re.findall(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"", book)}
    extras: tuple[frozenset[str], ...] = (
        frozenset(),
        frozenset({"图表"}),
        frozenset({"核验记录"}),
        frozenset({"图表", "核验记录"}),
    )
    return any(sheets == known | extra for known in OUTPUT_SHEET_SETS for extra in extras)
