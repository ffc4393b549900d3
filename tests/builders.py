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


def _changed(rows: Sequence[Sequence[Any]], changes: dict[str, Any] | None) -> list[list[Any]]:
    """A copy of ``rows`` with cells replaced by A1 address (single-letter columns)."""
    out = [list(r) for r in rows]
    for ref, value in (changes or {}).items():
        col = ord(ref[0]) - ord("A")
        row = int(ref[1:]) - 1
        while len(out) <= row:
            out.append([])
        while len(out[row]) <= col:
            out[row].append(None)
        out[row][col] = value
    return out


def shaoguan_sheet(path: Path, changes: dict[str, Any] | None = None, **kw: Any) -> Path:
    """The 韶关 table, with cells changed by A1 address (``{"D3": "abc"}``)."""
    wb_rows = _changed(SHAOGUAN_ROWS, changes)
    kw.setdefault("merges", ["A3:A4", "A5:A11"])
    return write_sheet(path, wb_rows, **kw)


PROJECT_ROWS: list[list[Any]] = [
    ["项目支出绩效自评表"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 200, 180, 171.9, 10, None, 9.55],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["产出指标", "数量指标", "举办科普活动场次", "≥120场", "126场", 10, 10, None],
    ["产出指标", "数量指标", "科普活动受众人数", "≥1.5万人次", "1.28万人次", 10, 8.53, "场馆改造"],
    ["产出指标", "质量指标", "活动验收合格率", "100%", "100%", 10, 10, None],
    ["产出指标", "时效指标", "项目按期完成率", "≥95%", "96.5%", 10, 10, None],
    ["产出指标", "成本指标", "人均活动成本", "≤150元", "160元", 10, 9.38, "物价上涨"],
    ["效益指标", "社会效益指标", "公民具备科学素质比例", "≥14%", "14.6%", 10, 10, None],
    ["效益指标", "社会效益指标", "科普宣传覆盖面", "显著提升", "部分达成", 10, 7, "渠道不足"],
    ["效益指标", "可持续影响指标", "科普阵地长效运行机制", "建立", "建立", 10, 10, None],
    ["满意度指标", "服务对象满意度指标", "参与群众满意度", "≥90%", "93.2%", 10, 10, None],
]
"""A compact 项目支出绩效自评表: funds block rows 2–3 (全年预算数 D3, 全年执行数 E3, 得分 H3),
indicator header row 4, 三级 rows 5..13 (年度指标值 D, 实际完成值 E, 分值 F, 得分 G, 偏差原因 H).
Clean: total 94.46, 等级 优, no findings."""


def project_sheet(path: Path, changes: dict[str, Any] | None = None, **kw: Any) -> Path:
    """The compact 项目支出 sheet, with cells changed by A1 address (``{"E6": None}``)."""
    wb_rows = _changed(PROJECT_ROWS, changes)
    return write_sheet(path, wb_rows, **kw)
