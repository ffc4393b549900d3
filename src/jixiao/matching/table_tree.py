"""Reading a table's own indicator tree: header, level columns, labels, 分值, texts, sums.

The one way jixiao reads a tree out of a sheet. ``jixiao frameworks import`` uses it to turn
an 指标体系表 into a framework, and ``jixiao score --framework sheet`` uses it to score a sheet
against the tree the sheet itself carries (levels from the level columns or merged labels, 分值
from the 分值 column or from labels such as "投入(15分)", checked against each other; every
parent's children must add up to it). The table is read the way ``jixiao score`` reads sheets
(merged cells filled by the readers, the header names of :mod:`jixiao.read.table`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao import findings as F
from jixiao.errors import SheetError
from jixiao.findings import Finding, Position
from jixiao.read.grid import Grid, cell_ref
from jixiao.read.table import (
    SheetCell,
    SheetRow,
    _is_note_row,
    _is_total_row,
    _row_labels,
    header_level_points,
    is_repeated_header,
    named_gaps,
    role_of,
    unnamed_row_labels,
)
from jixiao.rules.recognize import recognize_rule, unstated_threshold
from jixiao.values import (
    NotANumber,
    clean_text,
    is_blank,
    name_key,
    nfkc,
    parse_decimal,
    plain,
    split_label,
    why_not_a_number,
)

HEADER_SCAN_ROWS = 30
MAX_TREE_ROWS = 5_000
"""Rows below the header an indicator tree is read from (by the sheet's own tree and by
``frameworks import``). Published tables have tens to a few hundred; 150,000 rows of junk took
82 s and 2.1 GB to build into a framework."""


def cell_text(value: object) -> str | None:
    """A long text cell (指标解释, 评分标准) with its line breaks kept, or None when blank."""
    if is_blank(value):
        return None
    lines = [line.rstrip() for line in str(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip() or None


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
    empty_row: bool = False  # its row has no 分值, 得分 or text: a placeholder of the form
    blank_row: bool = False  # its row has no 分值, 得分 or text (whatever its name)
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
    columns, _ = header_level_points(grid, rows, columns)  # a 分值 column beside each level
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
            # A table whose weights are all inside labels ("部门决策(25分)") may have no 分值
            # column: an 得分 column beside the levels marks it as the table all the same.
            if not levels or not any(role in columns for role in (*_CONTENT_ROLES, "score")):
                continue
            quality = (len(columns) + len(levels), -len(rows))
            if best is None or quality > best[0]:
                best = (quality, rows, columns, levels)
    return None if best is None else (best[1], best[2], best[3])


_PLACEHOLDER = frozenset({"", "/", "／", "-", "—", "--", "——", "…", "……", "...", "......", "无", "\\"})


def is_placeholder(value: object) -> bool:
    """A cell left empty in substance: blank, "/", "-", "……" (the form's unused rows)."""
    return is_blank(value) or nfkc(clean_text(value)).replace(" ", "") in _PLACEHOLDER


_PLACEHOLDER_NAME = re.compile(r"^(?:指标\d*[:：]?[/／\-—…\.]*|[/／\-—…\.]+|[①②③④⑤⑥⑦⑧⑨⑩].*|其中.*)$")


def is_placeholder_name(value: object) -> bool:
    """An indicator name the official form prints for rows to fill ("指标1:", "……", "-"), or a
    sub-item line under an indicator ("①…", "其中:…")."""
    return bool(_PLACEHOLDER_NAME.match(nfkc(clean_text(value)).replace(" ", "")))


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
        self._keep: frozenset[tuple[str, ...]] | set[tuple[str, ...]] = frozenset()
        self._merged_reported: set[tuple[str, ...]] = set()
        self.unnamed_rows: list[int] = []
        _, self.level_points = header_level_points(grid, rows, columns)
        """Level column → its 分值 column, for a header with one 分值 column per level."""
        """Rows read without a name (:func:`~jixiao.read.table.unnamed_row_labels`)."""

    def pos(self, cell: SheetCell) -> Position:
        return Position(self.grid.sheet, cell.ref)

    def cell(self, role: str, r: int) -> SheetCell | None:
        c = self.columns.get(role)
        return None if c is None else SheetCell(self.grid.value(r, c), r, c)

    def read(self) -> None:
        grid = self.grid
        body = grid.max_row - max(self.header_rows)
        if body > MAX_TREE_ROWS:
            # scoring by the sheet's own tree and frameworks import alike (issue 13's bounds)
            raise SheetError(
                grid.path,
                f"工作表“{grid.sheet}”表头以下有 {body} 行，超过读取指标体系的上限 {MAX_TREE_ROWS} 行，"
                "不像一张评分表或指标体系表；如确是评分表，请用 --framework 指定评价框架",
            )
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
        header_columns = {**self.columns, **self._level_roles()}
        unnamed: list[SheetRow] = []  # rows without a name, kept once a named sibling follows
        for r in range(max(self.header_rows) + 1, grid.max_row + 1):
            cells = {role: c for role in _CONTENT_ROLES if (c := self.cell(role, r)) is not None}
            line = grid.rows[r - 1]
            if all(is_blank(v) for v in line):
                continue
            if is_repeated_header(grid, r, header_columns):
                continue  # the header printed again before each 一级 section
            if _is_total_row(line, self.levels):
                if "points" in cells and not cells["points"].blank:
                    self.total_cell = cells["points"]
                unnamed = []
                continue
            if self._spans_table(r):
                continue  # one merged cell across the table is a note (等级划分), not an indicator
            labels = _row_labels(grid, r, self.levels, previous, self.level_points)
            if labels is None:
                score = self.cell("score", r)
                gap = unnamed_row_labels(r, previous, {**cells, **({"score": score} if score else {})})
                if gap is not None:
                    unnamed.append(SheetRow(r, gap, cells))
                continue
            if _is_note_row(labels, cells):
                continue
            for row in named_gaps(unnamed, labels):
                self._add_row(row.row, row.labels, row.cells)
                self.unnamed_rows.append(row.row)
            unnamed = []
            previous = labels
            self._add_row(r, labels, cells)
            node = self.nodes.get(tuple(name_key(display_name(c.value)) for _, c in labels))
            if node is not None and node.row == r:
                # Only rows the form leaves unused: a placeholder name ("指标2:", "……", ①),
                # or a category row that stops above the leaf level (an unused 经济效益指标).
                above_leaf = labels[-1][1].col != self.levels[-1]
                placeholder = above_leaf or is_placeholder_name(labels[-1][1].value)
                node.blank_row = self._empty(r)
                node.empty_row = placeholder and node.blank_row

    def prune(self, keep: frozenset[tuple[str, ...]] | set[tuple[str, ...]] = frozenset()) -> None:
        """Drop the placeholder leaves (no 分值, no 得分, no text), except the paths in ``keep``.

        A 一级 left with nothing at all (no row of its own, no 分值, no indicator under it) is
        not a placeholder but a table cut short or never finished ("效益" as the last line of a
        published copy): an error, so that no total or grade is given for what is not there.
        """
        self._keep = keep
        for node in self.roots:
            node.children = self._pruned(node.children)
            own_row = node.row is not None and not node.empty_row
            nothing = not (node.children or own_row or node.label_points is not None or node.failed)
            # a blank 加分项/扣分项 is a form's optional row, not a missing part
            if nothing and not node.is_bonus_name and node.path not in keep and len(self.roots) > 1:
                self.findings.append(
                    F.make(
                        "level1-empty",
                        position=self.pos(node.label_cell),
                        path=(node.name,),
                        name=node.name,
                    )
                )  # and the node is dropped below: one finding for one cause
        self.roots = self._pruned(self.roots)

    def _level_roles(self) -> dict[str, int]:
        return {
            role: c for role, c in zip(_LEVEL_ROLES, self.levels, strict=False) if role not in self.columns
        }

    def _empty(self, r: int) -> bool:
        roles = ("points", "score", "rate", "review", "explanation", "criteria")
        cols = [c for role, c in self.columns.items() if role in roles]
        # A text merged down from a row above (one 评分标准 for a block) is not this row's own.
        own = [c for c in cols if (self.grid.merged_from.get((r, c)) or (r, c))[0] == r]
        return all(is_placeholder(self.grid.value(r, c)) for c in own) and not any(
            self.grid.formula(r, c) for c in own
        )

    def _pruned(self, nodes: list[_Node]) -> list[_Node]:
        """Without the placeholder rows of the official form ("指标2:", "……", an unused 二级),
        the cut-off or sub-item rows (①②, 其中) that carry neither 分值 nor 得分."""
        kept = []
        for node in nodes:
            node.children = self._pruned(node.children)
            own_row = node.row is not None and not node.empty_row
            keep = bool(node.children) or own_row or node.label_points is not None
            if keep or node.failed or node.path in self._keep:
                kept.append(node)
            else:
                self.nodes.pop(node.path, None)
        return kept

    def _spans_table(self, r: int) -> bool:
        content = [c for role, c in self.columns.items() if role in _CONTENT_ROLES] or [
            c for c in self.columns.values() if c not in self.levels
        ]
        if not content:
            return False
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
            merged = labels[-1][1].row != r  # the label is a merged cell begun on a row above
            if merged and (self._empty(r) or node.path in self._merged_reported):
                return  # one finding per merged label, not one per row of the merge
            if merged:
                self._merged_reported.add(node.path)
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


def find_tree_header(grid: Grid) -> tuple[tuple[int, ...], dict[str, int], list[int]] | None:
    """The header of a table that carries an indicator tree (level columns + 分值 or texts)."""
    return _find_header(grid)


def read_tree(grid: Grid) -> _TableReader | None:
    """The indicator tree a worksheet carries, read with its findings; None without a header."""
    header = _find_header(grid)
    if header is None:
        return None
    reader = _TableReader(grid, *header)
    reader.read()
    return reader


_HUNDRED = Decimal(100)
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_LABEL_PERCENT = re.compile(
    r"^(.+?)\s*(?:[（(]\s*(?:权重|占比|比重)?\s*[:：]?\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*[%％]\s*[）)]"
    r"|\s([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*[%％])\s*$"
)


def _stated_sum(nodes: list[_Node]) -> Decimal | None:
    """The 分值 stated for these nodes (column, label, or their own children's), None if any lacks one."""
    total = Decimal(0)
    for node in nodes:
        own = node.points if node.points is not None else node.label_points
        if own is None and node.children:
            own = _stated_sum(node.children)
        if own is None:
            return None
        total += own
    return total


class TreeBuilding:
    """Resolves a read tree (分值 from column and labels, parents' sums) into indicator data.

    Shared by the importer (which adds the 框架信息 sheet's attributes) and the sheet-tree mode
    of scoring. ``add`` records a finding; ``attributes`` holds per-path attributes stated
    elsewhere (the 框架信息 sheet), empty when there is none.
    """

    reader: _TableReader
    findings: list[Finding]
    attributes: dict[tuple[str, ...], dict[str, Any]]
    index: dict[str, _Node]
    rules: int
    notes: list[str]
    provenance_value: str | None = None

    def add(self, code: str, at: SheetCell | None, node: _Node | None, **values: Any) -> None:
        """Record a finding at a cell of the table (and mark the node as failed)."""
        grid = self.reader.grid
        position = Position(grid.sheet, at.ref if at else None)
        if node is not None:
            node.failed = True
        self.findings.append(
            F.make(code, position=position, path=self.reader.names(node) if node else (), **values)
        )

    def _percent_weights(self, nodes: list[_Node]) -> None:
        """权重 × 百分制: a weight printed in percent ("40%", a 0.4 shown as 40%, "产出（40%）", or a
        权重（%） column) over children whose 分值 add up to 100 is a node whose children are scored
        per 100 and weighted into it. A percent whose children add up to the weight itself is
        simply that many 分."""
        header = self._points_header()
        percent_column = "%" in header or "％" in header
        for node in nodes:
            weight = self._percent_weight(node)
            if node.children:
                total = _stated_sum(node.children)
                own = node.points if node.points is not None else node.label_points
                weighted = weight is not None or (percent_column and "权重" in header)
                if weighted and own is not None and total == _HUNDRED and own != _HUNDRED:
                    attrs = self.attributes.setdefault(node.path, {})
                    if "children_scale" not in attrs and "children_scale" not in attrs.get("other", {}):
                        attrs["children_scale"] = _HUNDRED
                        self.notes.append(
                            f"“{node.name}”的权重 {plain(own)}%，其下级按百分制计分（分值合计 100）："
                            f"该指标得分 = 下级得分合计 ÷ 100 × {plain(own)}"
                        )
                self._percent_weights(node.children)

    def _format(self, cell: SheetCell) -> str:
        return self.reader.grid.number_format(cell.row, cell.col)

    def _points_header(self) -> str:
        col = self.reader.columns.get("points")
        if col is None:
            return ""
        texts = [clean_text(self.reader.grid.value(r, col)) for r in self.reader.header_rows]
        return nfkc("".join(texts))

    def _percent_weight(self, node: _Node) -> Decimal | None:
        """The node's weight when it is printed as a percent; its 分值 and name are set from it."""
        found = None
        cell = node.points_cell
        if cell is not None and node.points_text:
            m = _PERCENT.match(nfkc(clean_text(cell.value)))
            if m:
                node.points, node.points_text = Decimal(m.group(1)), False
                found = node.points
        elif cell is not None and node.points is not None and "%" in self._format(cell):
            node.points = (node.points * _HUNDRED).normalize()  # 0.4 shown as 40%
            if node.points == node.points.to_integral():
                node.points = node.points.quantize(Decimal(1))
            found = node.points
        m = _LABEL_PERCENT.match(node.name)
        if m and node.label_points is None:
            label = clean_text(node.label_cell.value)
            node.name = m.group(1).strip()
            node.label_points = Decimal(nfkc(m.group(2) or m.group(3)))
            node.label_points_cell = node.label_cell
            # The printed label stays an alias, so that a sheet printed the same way matches.
            aliases = self.attributes.setdefault(node.path, {}).setdefault("aliases", [])
            if label not in aliases and label != node.name:
                aliases.append(label)
            found = node.label_points
        return found

    def _resolve(self, node: _Node, top: bool) -> None:
        for child in node.children:
            self._resolve(child, top=False)
        attrs = self.attributes.get(node.path, {})
        if node.label_points is not None:
            if node.points is None and node.bonus is None:
                node.points, node.points_cell = node.label_points, node.label_points_cell
            elif node.points is not None and node.points != node.label_points:
                self.add(
                    "label-points-conflict",
                    node.label_points_cell,
                    node,
                    label=clean_text(node.label_cell.value),
                    found=plain(node.label_points),
                    expected=plain(node.points),
                )
        is_bonus = "bonus" in attrs or (node.is_bonus_name and top and not node.children)
        if node.points_text:
            assert node.points_cell is not None
            node.bonus = bonus_limits(node.points_cell.value, node.name) if is_bonus else None
            if node.bonus is None:
                shown, why = why_not_a_number(node.points_cell.value)
                self.add("points-not-a-number", node.points_cell, node, value=shown, why=why)
                return
        if is_bonus:
            if node.bonus is None and node.points is not None:
                node.bonus = bonus_limits(node.points, node.name)
                node.points = None
            if node.bonus is None and "bonus" not in attrs:
                self.add("bonus-limits-missing", node.points_cell or node.label_cell, node, name=node.name)
            return
        # A parent's sum is checked over the children that have a 分值, even when another
        # child failed: a sum already too large is a slip of its own.
        known = [c.points for c in node.children if c.points is not None]
        failed = any(c.failed for c in node.children)
        if node.points is None and node.children and len(known) == len(node.children) and not failed:
            node.points = sum(known, Decimal(0))
            return
        if node.points is not None and node.children:
            total = sum(known, Decimal(0))
            complete = len(known) == len(node.children) and not failed
            # 权重 × 百分制 (stated on the 框架信息 sheet): the children add up to their own scale.
            scale = attrs.get("children_scale", (attrs.get("other") or {}).get("children_scale"))
            expected = Decimal(str(scale)) if scale is not None else node.points
            if (complete and total != expected) or total > expected:
                self.add(
                    "children-points-sum",
                    node.points_cell or node.label_cell,
                    node,
                    found=plain(total),
                    expected=plain(expected),
                )
        if failed:
            node.failed = True
            return
        from_sheet = attrs.get("children_from_sheet", "no") != "no"
        if node.points is None and (top or (not node.children and not from_sheet)):
            where = node.points_cell or (
                SheetCell(None, node.row, self.reader.columns["points"])
                if node.row and "points" in self.reader.columns
                else node.label_cell
            )
            self.add("indicator-points-missing", where, node, name=node.name)

    def indicator_attributes(self, node: _Node) -> dict[str, Any]:
        """Attributes stated for a node elsewhere (the importer's 框架信息 sheet); a copy."""
        return dict(self.attributes.get(node.path, {}))

    def _indicator(self, node: _Node, where: str) -> dict[str, Any]:
        self.index[where] = node
        attrs = self.indicator_attributes(node)
        out: dict[str, Any] = {"name": node.name}
        if node.points is not None:
            out["points"] = node.points
            if self.provenance_value is not None:
                out["provenance"] = self.provenance_value
        out["aliases"] = attrs.pop("aliases", [])
        if node.explanation:
            out["explanation"] = node.explanation
        rule = None
        if node.criteria:
            out["criteria"] = node.criteria
            if node.points is not None:
                rule = recognize_rule(node.criteria, node.points)
                if rule is not None:
                    out["rule"] = rule
                elif unstated_threshold(node.criteria):
                    # "每超过一个百分点扣0.5分" with no threshold: never guessed, kept as text.
                    self.findings.append(
                        F.make(
                            "rule-threshold-unstated",
                            position=Position(self.reader.grid.sheet, node.label_cell.ref),
                            path=self.reader.names(node),
                            text=clean_text(node.criteria),
                        )
                    )
        other = attrs.pop("other", {})
        bonus = attrs.pop("bonus", None)
        if node.bonus is not None or bonus is not None:
            limits = dict(bonus or {})
            if node.bonus is not None:
                limits["minimum"], limits["maximum"] = node.bonus
            out["bonus"] = limits
        out.update(attrs)
        out.update(other)  # what the 框架信息 sheet states wins, "rule": null included
        if rule is not None and out.get("rule") is rule:
            self.rules += 1  # recognised, and not overridden by the 框架信息 sheet
        out["children"] = [
            self._indicator(child, f"{where}.children[{i}]") for i, child in enumerate(node.children)
        ]
        return out
