"""Build small score sheets for tests, the way people lay them out by hand.

A test describes the sheet (rows, merged ranges, sheet name) and gets an .xlsx path back; no
binary fixtures are committed for defects, each test makes the one it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

SHAOGUAN_ROWS: list[list[Any]] = [
    ["韶关市科协 2023 年部门整体支出绩效自评情况总表"],
    ["一级指标", "二级指标", "分值", "自评得分", "得分率（%）"],
    ["履职效能", "整体效能", 23, 22.31, 97],
    [None, "专项效能", 23, 23, 100],
    ["管理效率", "预算编制", 5, 5, 100],
    [None, "预算执行", 8, 8, 100],
    [None, "信息公开", 4, 4, 100],
    [None, "绩效管理", 10, 10, 100],
    [None, "采购管理", 10, 10, 100],
    [None, "资产管理", 10, 9.5, 95],
    [None, "运行成本", 7, 7, 100],
]
"""The 韶关 summary table without its 合计 row: header on row 2, data rows 3..11."""


def write_sheet(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    merges: Iterable[str] = (),
    title: str = "评分表",
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
    number_formats: dict[str, str] | None = None,
) -> Path:
    """Write ``rows`` (row 1 first) to ``path`` as one worksheet, with merged ranges."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for rng in merges:
        ws.merge_cells(rng)
    for ref, fmt in (number_formats or {}).items():
        ws[ref].number_format = fmt
    for name, other in (extra_sheets or {}).items():
        extra = wb.create_sheet(name)
        for row in other:
            extra.append(list(row))
    wb.save(path)
    return path


def shaoguan_sheet(path: Path, changes: dict[str, Any] | None = None, **kw: Any) -> Path:
    """The 韶关 table, with cells changed by A1 address (``{"D3": "abc"}``)."""
    wb_rows = [list(r) for r in SHAOGUAN_ROWS]
    for ref, value in (changes or {}).items():
        col = ord(ref[0]) - ord("A")
        row = int(ref[1:]) - 1
        while len(wb_rows) <= row:
            wb_rows.append([])
        while len(wb_rows[row]) <= col:
            wb_rows[row].append(None)
        wb_rows[row][col] = value
    kw.setdefault("merges", ["A3:A4", "A5:A11"])
    return write_sheet(path, wb_rows, **kw)
