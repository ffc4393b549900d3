"""Recognise jixiao's own outputs (result, review and summary workbooks) from the reader's open.

Readers use this so that a result handed back as input is named for what it is, and a batch
over a folder that holds earlier outputs skips them instead of reporting them as broken sheets.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import SheetError
from jixiao.read import ooxml
from jixiao.read.sniff import ZIP_MAGICS

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

    The container is opened once, with every bound of :mod:`.ooxml` (only the package
    relationships, core properties and workbook part are parsed), and kept for the reader that
    comes next. Anything that is not a readable .xlsx is simply not an output.
    """
    try:
        with path.open("rb") as fh:
            if not fh.read(4).startswith(ZIP_MAGICS):
                return False
        package = ooxml.open_cached(path)
    # A damaged file is simply not one of ours; reading it properly reports what is wrong.
    except (OSError, SheetError):
        return False
    if (package.creator or "").strip() == OUTPUT_CREATOR:
        return True
    sheets = set(package.sheet_names)
    # Results may also carry the chart sheet and the hidden 核验记录 sheet.
    extras: tuple[frozenset[str], ...] = (
        frozenset(),
        frozenset({"图表"}),
        frozenset({"核验记录"}),
        frozenset({"图表", "核验记录"}),
    )
    return any(sheets == known | extra for known in OUTPUT_SHEET_SETS for extra in extras)
