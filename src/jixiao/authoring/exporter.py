"""Write a framework as a readable, printable 指标体系表 (the reverse of the importer).

Sheet 指标体系表: one row per indicator, level cells merged over the rows of the indicator's
descendants, 分值 (subtotals included), 指标解释, 评分标准 and a 备注 column in words; A4
landscape, header repeated on every page. Sheet 框架信息: the metadata, the grade bands and the
attributes a printed table does not show (aliases, provenance, department-defined levels,
加减分 limits), laid out so that a person can read and edit them and the importer reads them
back: export → import gives the same framework.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.authoring.info_sheet import (
    ATTRIBUTE_HEADER,
    CHILDREN_LABELS,
    GRADE_HEADER,
    INFO_FIELDS,
    INFO_SHEET,
    NO,
    PATH_SEPARATOR,
    PROVENANCE_LABELS,
    YES,
)
from jixiao.framework.models import ChildrenFromSheet, Framework, Indicator
from jixiao.rules.recognize import recognize_rule
from jixiao.values import plain
from jixiao.write import xlsx
from jixiao.write.files import write_atomically

TABLE_SHEET = "指标体系表"
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
# Indicator fields shown in their own columns; any other field goes to 其他（JSON）.
_SHOWN = {
    "name",
    "points",
    "aliases",
    "explanation",
    "criteria",
    "provenance",
    "children_from_sheet",
    "bonus",
    "note",
    "children",
}


def write_table(fw: Framework, out: Path) -> None:
    """Write the 指标体系表 of ``fw`` to ``out`` (atomically)."""
    write_atomically(out, build_table(fw).save)


def _depth(nodes: list[Indicator]) -> int:
    return max((1 + _depth(n.children) if n.children else 1 for n in nodes), default=0)


def build_table(fw: Framework) -> Workbook:
    """The 指标体系表 workbook in memory."""
    wb = Workbook()
    ws = wb.active
    ws.title = TABLE_SHEET
    _table_sheet(ws, fw)
    _info_sheet(wb.create_sheet(INFO_SHEET), fw)
    return wb


def _remark(node: Indicator) -> str | None:
    parts = []
    if node.bonus is not None:
        cap = "总分可超过满分" if node.bonus.total_may_exceed_max else "总分不超过满分"
        parts.append(f"加减分项，不计入总分值；{cap}")
    if node.children_from_sheet is ChildrenFromSheet.ALLOWED:
        parts.append("评分表可增设下级指标")
    elif node.children_from_sheet is ChildrenFromSheet.REQUIRED:
        parts.append("评分表须列出下级指标")
    if node.points is None and node.bonus is None:
        parts.append("分值由评分表给出")
    if node.provenance is not None:
        parts.append(f"来源：{PROVENANCE_LABELS[node.provenance]}")
    if node.aliases:
        parts.append(f"又称：{'、'.join(node.aliases)}")
    return "；".join(parts) or None


def _table_sheet(ws: Worksheet, fw: Framework) -> None:
    depth = _depth(fw.indicators)
    nodes = [n for _, n in fw.walk()]
    has_expl = any(n.explanation for n in nodes)
    has_crit = any(n.criteria for n in nodes)
    titles = [*LEVEL_NAMES[:depth], "分值"]
    titles += ["指标解释"] if has_expl else []
    titles += ["评分标准"] if has_crit else []
    titles.append("备注")
    col = {t: i for i, t in enumerate(titles, start=1)}
    width = len(titles)
    xlsx.title_row(ws, 1, f"{fw.title} 指标体系表", width)
    xlsx.text(
        ws,
        2,
        1,
        f"框架 {fw.id}　版本 {fw.version}　总分 {plain(fw.total_points)} 分　来源：{fw.source.document}",
        border=False,
        size=10,
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    xlsx.header_row(ws, 3, titles)
    row = 4

    aligned: dict[tuple[int, ...] | None, Any] = {}

    def emit(node: Indicator, level: int) -> None:
        nonlocal row
        first = row
        for lc in range(1, depth + 1):
            xlsx.text(ws, row, lc, node.name if lc == level else None, bold=bool(node.children), align="left")
        if node.bonus is not None:
            limits = f"{plain(node.bonus.minimum)}～{plain(node.bonus.maximum)}"
            xlsx.text(ws, row, col["分值"], limits, align="center")
        else:
            xlsx.number(
                ws,
                row,
                col["分值"],
                node.points,
                xlsx.POINTS_FORMAT,
                bold=bool(node.children),
                align="center",
            )
        if has_expl:
            xlsx.text(ws, row, col["指标解释"], node.explanation)
        if has_crit:
            xlsx.text(ws, row, col["评分标准"], node.criteria)
        xlsx.text(ws, row, col["备注"], _remark(node), size=9)
        row += 1
        for child in node.children:
            emit(child, level + 1)
        if row - 1 > first:
            xlsx.merge(ws, first, level, row - 1, level)
            _align_top(ws.cell(row=first, column=level), aligned)
        if not node.children and level < depth:
            # A leaf above the deepest level: its name spans the deeper level columns.
            ws.merge_cells(start_row=first, start_column=level, end_row=first, end_column=depth)

    with _merges_collected(ws):
        for node in fw.indicators:
            emit(node, 1)
    xlsx.text(ws, row, 1, "合计", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    for lc in range(2, depth + 1):
        xlsx.text(ws, row, lc, None, fill=xlsx.TOTAL_FILL)
    if depth > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=depth)
    xlsx.number(
        ws,
        row,
        col["分值"],
        fw.total_points,
        xlsx.POINTS_FORMAT,
        bold=True,
        fill=xlsx.TOTAL_FILL,
        align="center",
    )
    for c in range(col["分值"] + 1, width + 1):
        xlsx.text(ws, row, c, None, fill=xlsx.TOTAL_FILL)
    bands = "；".join(
        f"{b.label} {plain(b.minimum)}–{plain(b.maximum)}"
        for b in sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
    )
    xlsx.text(ws, row + 1, 1, f"等级划分：{bands}（下限含、上限不含，最高等级含满分）", border=False, size=10)
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=width)
    widths = [14.0] * depth + [8.0]
    widths += [34.0] if has_expl else []
    widths += [44.0] if has_crit else []
    widths.append(30.0)
    xlsx.widths(ws, widths)
    xlsx.print_setup(ws, "3:3", landscape=True)
    ws.freeze_panes = ws.cell(row=4, column=depth + 1)
    _fit_heights(ws, widths, first=2, last=row + 1)


_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)


def _align_top(cell: Any, memo: dict[tuple[int, ...] | None, Any]) -> None:
    """A merged level cell aligned to the top left: the style array that gives is the same for
    every cell that had the same one before, so openpyxl hashes the alignment once, not 600 times."""
    before = None if cell._style is None else tuple(cell._style)
    hit = memo.get(before)
    if hit is not None:
        cell._style = copy(hit)
        return
    cell.alignment = _TOP_LEFT
    memo[before] = copy(cell._style)


@contextmanager
def _merges_collected(ws: Worksheet) -> Iterator[None]:
    """Merges added without openpyxl's scan of every earlier merge on each ``add`` (whether the
    new range lies inside one already there): the ranges of a tree never do, and the scan made
    merging quadratic — most of exporting 2,600 indicators."""
    kept = ws.merged_cells
    added: list[CellRange] = []

    class _Collect(MultiCellRange):
        def add(self, coord: Any) -> None:
            added.append(coord if isinstance(coord, CellRange) else CellRange(coord))

    ws.merged_cells = _Collect()
    try:
        yield
    finally:
        ws.merged_cells = MultiCellRange({*kept.ranges, *added})


def _text_lines(value: object, width: float) -> int:
    """How many lines a wrapped text needs in a column ``width`` characters wide (CJK = 2)."""
    if value is None:
        return 1
    per_line = max(width, 4.0)
    total = 0
    for line in str(value).split("\n"):
        # A CJK character is about 1.6 digit widths in the fonts Excel, WPS and LibreOffice use.
        units = sum(1.6 if ord(ch) > 0x2E80 else 1.0 for ch in line)
        total += max(1, math.ceil(units / per_line))
    return total


def _fit_heights(ws: Worksheet, widths: list[float], first: int, last: int) -> None:
    """Row heights that show wrapped text whole (LibreOffice and Excel do not grow rows of a
    file written by openpyxl by themselves); merged cells are measured over their width."""
    spans: dict[tuple[int, int], float] = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row:
            spans[(rng.min_row, rng.min_col)] = sum(widths[rng.min_col - 1 : rng.max_col])
    cells = ws._cells
    for r in range(first, last + 1):
        lines = 1
        for c in range(1, len(widths) + 1):
            cell = cells.get((r, c)) or ws.cell(row=r, column=c)
            if isinstance(cell.value, str):
                size = cell.font.sz or 11
                width = spans.get((r, c), widths[c - 1]) * 11 / size
                lines = max(lines, _text_lines(cell.value, width))
        if lines > 1 or ws.row_dimensions[r].height is None:
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, 15.0 * lines + 3)


def _info_sheet(ws: Worksheet, fw: Framework) -> None:
    values: dict[str, Any] = {
        "id": fw.id,
        "version": fw.version,
        "title": fw.title,
        "region": fw.region,
        "year": fw.year,
        "kind": fw.kind,
        "source.document": fw.source.document,
        "source.reference": fw.source.reference,
        "source.notes": fw.source.notes,
        "precision": fw.precision,
        "total_points": fw.total_points,
        "other": _json(_framework_extras(fw)),
    }
    xlsx.text(
        ws, 1, 1, "框架信息（导入时读取；修改后请运行 jixiao frameworks check 检查）", bold=True, border=False
    )
    xlsx.header_row(ws, 2, ["项目", "值"])
    row = 3
    for label, key in INFO_FIELDS.items():
        xlsx.text(ws, row, 1, label, bold=True)
        value = values[key]
        if value is None or isinstance(value, str):
            xlsx.text(ws, row, 2, value)
        else:
            xlsx.number(ws, row, 2, value, "0.##" if key == "total_points" else "0", align="left")
        row += 1
    row += 1
    xlsx.header_row(ws, row, list(GRADE_HEADER))
    row += 1
    for band in fw.grades:
        xlsx.text(ws, row, 1, band.label)
        xlsx.number(ws, row, 2, band.minimum, xlsx.POINTS_FORMAT)
        xlsx.number(ws, row, 3, band.maximum, xlsx.POINTS_FORMAT)
        xlsx.text(ws, row, 4, "、".join(band.aliases) or None)
        row += 1
    row += 1
    xlsx.header_row(ws, row, list(ATTRIBUTE_HEADER))
    row += 1
    for path, node in fw.walk():
        cells = _attribute_cells(node)
        if not any(v not in (None, "") for v in cells):
            continue
        xlsx.text(ws, row, 1, PATH_SEPARATOR.join(path))
        for c, value in enumerate(cells, start=2):
            if isinstance(value, str) or value is None:
                xlsx.text(ws, row, c, value)
            else:
                xlsx.number(ws, row, c, value, xlsx.POINTS_FORMAT)
        row += 1
    xlsx.widths(ws, [30, 30, 12, 16, 12, 12, 14, 12, 30, 30, 30, 12])
    xlsx.print_setup(ws, "2:2", landscape=True)


_FRAMEWORK_SHOWN = {
    "schema_version",
    "id",
    "version",
    "title",
    "region",
    "year",
    "kind",
    "source",
    "precision",
    "rounding",
    "total_points",
    "grades",
    "indicators",
}


def _framework_extras(fw: Framework) -> dict[str, Any]:
    """Framework fields the sheet has no row for (added by later versions of the model)."""
    data = fw.model_dump(mode="json", exclude_defaults=True)
    return {k: v for k, v in data.items() if k not in _FRAMEWORK_SHOWN}


def _json(data: dict[str, Any]) -> str | None:
    return json.dumps(data, ensure_ascii=False) if data else None


def _attribute_cells(node: Indicator) -> list[Any]:
    bonus = node.bonus
    data = node.model_dump(mode="json", exclude_defaults=True)
    other = {k: v for k, v in data.items() if k not in _SHOWN}
    # A 评分标准 the import would read a rule from, on a node that has none: say so. (Not on every
    # node with a 评分标准: 2,000 such rows were half the cells of a large export.)
    criteria, points = node.criteria, node.points
    if (
        criteria
        and points is not None
        and "rule" not in other
        and recognize_rule(criteria, points) is not None
    ):
        other["rule"] = None
    children = (
        CHILDREN_LABELS[node.children_from_sheet]
        if node.children_from_sheet is not ChildrenFromSheet.NO
        else None
    )
    return [
        "、".join(node.aliases) or None,
        PROVENANCE_LABELS[node.provenance] if node.provenance else None,
        children,
        bonus.minimum if bonus else None,
        bonus.maximum if bonus else None,
        (YES if bonus.total_may_exceed_max else NO) if bonus else None,
        PROVENANCE_LABELS[bonus.provenance] if bonus and bonus.provenance else None,
        bonus.note if bonus else None,
        node.note,
        _json(other),
        node.points if node.provenance else None,
    ]
