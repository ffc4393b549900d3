"""Reading an 指标体系表's grid into a tree of nodes: header, level columns, labels, 分值, texts.

The table is read the way ``jixiao score`` reads sheets (merged cells filled by the readers,
the header names of :mod:`jixiao.read.table`), but it carries no scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao import findings as F
from jixiao.authoring.info_sheet import cell_text
from jixiao.findings import Finding, Position
from jixiao.read.grid import Grid, cell_ref
from jixiao.read.table import SheetCell, _is_note_row, _is_total_row, _row_labels, role_of
from jixiao.values import (
    NotANumber,
    clean_text,
    is_blank,
    name_key,
    nfkc,
    parse_decimal,
    plain,
    split_label,
)

HEADER_SCAN_ROWS = 30

_LEVEL_ROLES = ("level1", "level2", "level3", "level4")

_CONTENT_ROLES = ("points", "explanation", "criteria")
_BONUS_NAME = re.compile(r"^(加减分|加分|扣分|加扣分|奖扣分)(项|指标|项目)?$")
_RANGE = re.compile(r"^([+-]?\d+(?:\.\d+)?)分?(?:~|至|到|—|–|-)([+-]?\d+(?:\.\d+)?)分?$")
_PLUS_MINUS = re.compile(r"^±(\d+(?:\.\d+)?)分?$")
_WEIGHT_SUFFIX = re.compile(
    r"\s*(?:[（(]\s*(?:分值|权重)?[:：]?\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*分?\s*[）)]"
    r"|[:：]?\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*分)\s*$"
)
_ORDINAL = re.compile(
    r"^(?:[（(]\s*[0-9０-９一二三四五六七八九十]+\s*[）)]|[0-9０-９]+(?:[.．][0-9０-９]+)*[.．、)）]"
    r"|[一二三四五六七八九十]+[、.．)）]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"
)


@dataclass
class _Node:
    name: str
    path: tuple[str, ...]
    label_cell: SheetCell
    label_points: Decimal | None = None
    label_points_cell: SheetCell | None = None
    row: int | None = None
    points: Decimal | None = None
    points_cell: SheetCell | None = None
    points_text: bool = False
    failed: bool = False  # a finding was reported here or below: no follow-up findings
    bonus: tuple[Decimal, Decimal] | None = None
    explanation: str | None = None
    criteria: str | None = None
    children: list[_Node] = field(default_factory=list)

    @property
    def is_bonus_name(self) -> bool:
        return bool(_BONUS_NAME.match(name_key(self.name)))


def _header_columns(grid: Grid, rows: tuple[int, ...]) -> tuple[dict[str, int], list[int]]:
    columns: dict[str, int] = {}
    names: list[int] = []
    for c in range(1, grid.max_col + 1):
        # In a two-row header the lower row is the more specific one ("一级指标" under "绩效指标").
        roles = [role_of(grid.value(r, c)) for r in rows]
        role = next((x for x in reversed(roles) if x), None)
        if role == "name":
            names.append(c)
        elif role and role not in columns:
            columns[role] = c
    levels = [columns[r] for r in _LEVEL_ROLES if r in columns]
    if not levels and names:
        # One 指标名称 header merged over several columns: those columns are the levels.
        levels = [c for c in names if c - names[0] == names.index(c)]
    return columns, levels


def _find_header(grid: Grid) -> tuple[tuple[int, ...], dict[str, int], list[int]] | None:
    best: tuple[tuple[int, int], tuple[int, ...], dict[str, int], list[int]] | None = None
    for r in range(1, min(grid.max_row, HEADER_SCAN_ROWS) + 1):
        for rows in ((r,), (r, r + 1)) if r < grid.max_row else ((r,),):
            columns, levels = _header_columns(grid, rows)
            if not levels or not any(role in columns for role in _CONTENT_ROLES):
                continue
            quality = (len(columns) + len(levels), -len(rows))
            if best is None or quality > best[0]:
                best = (quality, rows, columns, levels)
    return None if best is None else (best[1], best[2], best[3])


def display_name(value: object) -> str:
    """An indicator name as written, without a weight ("投入（20分）") or ordinal ("1.")."""
    text = clean_text(value)
    if split_label(text).points is not None:
        text = _WEIGHT_SUFFIX.sub("", text).strip() or text
    return _ORDINAL.sub("", text, count=1).strip() or text


def bonus_limits(value: object, name: str) -> tuple[Decimal, Decimal] | None:
    """加减分 limits written in a 分值 cell: "-5～5", "±5", or one number read by the name."""
    if is_blank(value):
        return None
    text = nfkc(str(value)).replace(" ", "").replace("−", "-").replace("～", "~")
    m = _RANGE.match(text)
    if m:
        return Decimal(m.group(1)), Decimal(m.group(2))
    m = _PLUS_MINUS.match(text)
    if m:
        return -Decimal(m.group(1)), Decimal(m.group(1))
    try:
        n = abs(parse_decimal(value))
    except NotANumber:
        return None
    key = name_key(name)
    if key.startswith("加减") or key.startswith("加扣") or key.startswith("奖扣"):
        return -n, n
    return (Decimal(0), n) if key.startswith("加") else (-n, Decimal(0))


class _TableReader:
    """Rows of the table → a tree of :class:`_Node`, with findings about single cells."""

    def __init__(self, grid: Grid, rows: tuple[int, ...], columns: dict[str, int], levels: list[int]):
        self.grid, self.header_rows, self.columns, self.levels = grid, rows, columns, levels
        self.roots: list[_Node] = []
        self.nodes: dict[tuple[str, ...], _Node] = {}
        self.findings: list[Finding] = []
        self.total_cell: SheetCell | None = None
        self.title: str | None = None

    def pos(self, cell: SheetCell) -> Position:
        return Position(self.grid.sheet, cell.ref)

    def cell(self, role: str, r: int) -> SheetCell | None:
        c = self.columns.get(role)
        return None if c is None else SheetCell(self.grid.value(r, c), r, c)

    def read(self) -> None:
        grid = self.grid
        self.title = next(
            (
                clean_text(v)
                for r in range(1, min(self.header_rows))
                for v in grid.rows[r - 1]
                if len(clean_text(v)) >= 4
            ),
            None,
        )
        previous: list[Any] = []
        for r in range(max(self.header_rows) + 1, grid.max_row + 1):
            cells = {role: c for role in _CONTENT_ROLES if (c := self.cell(role, r)) is not None}
            texts = [clean_text(grid.value(r, c)) for c in range(1, grid.max_col + 1)]
            if not any(texts):
                continue
            if _is_total_row(texts, self.levels):
                if "points" in cells and not cells["points"].blank:
                    self.total_cell = cells["points"]
                continue
            if self._spans_table(r):
                continue  # one merged cell across the table is a note (等级划分), not an indicator
            labels = _row_labels(grid, r, self.levels, previous)
            if labels is None or _is_note_row(labels, cells):
                continue
            previous = labels
            self._add_row(r, labels, cells)

    def _spans_table(self, r: int) -> bool:
        content = [c for role, c in self.columns.items() if role in _CONTENT_ROLES]
        origin = self.grid.merged_from.get((r, max(content)))
        return origin is not None and origin[0] == r and origin[1] <= min(self.levels)

    def _add_row(self, r: int, labels: list[Any], cells: dict[str, SheetCell]) -> None:
        siblings = self.roots
        path: tuple[str, ...] = ()
        node: _Node | None = None
        for label, label_cell in labels:
            name = display_name(label_cell.value)
            path = (*path, name_key(name))
            node = self.nodes.get(path)
            if node is None:
                node = _Node(name, path, label_cell)
                self.nodes[path] = node
                siblings.append(node)
            if label.points is not None:
                if node.label_points is None:
                    node.label_points, node.label_points_cell = label.points, label_cell
                elif node.label_points != label.points:
                    assert node.label_points_cell is not None
                    self.findings.append(
                        F.make(
                            "label-points-inconsistent",
                            position=self.pos(label_cell),
                            path=self.names(node),
                            name=node.name,
                            found=plain(label.points),
                            expected=plain(node.label_points),
                            first=node.label_points_cell.ref,
                        )
                    )
            siblings = node.children
        assert node is not None
        if node.row is not None:
            self.findings.append(
                F.make(
                    "indicator-duplicate",
                    position=self.pos(labels[-1][1]),
                    path=self.names(node),
                    name=node.name,
                    first=cell_ref(node.row, labels[-1][1].col),
                )
            )
            return
        node.row = r
        points = cells.get("points")
        if points is not None and not points.blank:
            node.points_cell = points
            try:
                node.points = parse_decimal(points.value)
            except NotANumber:
                node.points_text = True  # a 加减分 range, or an error: decided with the attributes
        elif points is not None and (formula := self.grid.formula(r, points.col)):
            # A formula saved without its value (written by a program, never opened in Excel):
            # its 分值 is unknown, never 0 and never "missing".
            node.points_cell = points
            node.failed = True
            self.findings.append(
                F.make(
                    "formula-without-value",
                    position=self.pos(points),
                    path=self.names(node),
                    formula=formula,
                )
            )
        for role in ("explanation", "criteria"):
            c = cells.get(role)
            if c is not None:
                setattr(node, role, cell_text(c.value))

    def names(self, node: _Node) -> tuple[str, ...]:
        out = []
        for i in range(1, len(node.path) + 1):
            out.append(self.nodes[node.path[:i]].name)
        return tuple(out)
