"""Turn an Excel 指标体系表 (as finance bureaus publish them) into a framework.

The table is read the way ``jixiao score`` reads sheets (:mod:`jixiao.read.openpyxl_reader` fills merged
cells, the header names of :mod:`jixiao.read.table`), but it carries no scores: the header needs
the indicator names (一级/二级/三级指标 columns, or one 指标名称 header merged over several
columns) and at least one of 分值, 指标解释, 评分标准.

Layouts understood: one- or two-row headers; one row per leaf with the upper levels merged or
repeated, or one row per indicator with its own 分值; weights in a 分值 column or inside the
labels ("投入(20分)"). Every inconsistency is a :class:`~jixiao.findings.Finding` with its cell;
the framework is built only when there is none of severity error.

A workbook written by ``jixiao frameworks export`` also has a 框架信息 sheet (metadata, grade
bands, the attributes a printed table does not show); it is read back so that the round trip
export → import gives the same framework.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao import findings as F
from jixiao.findings import Finding, Position
from jixiao.framework.check import check_framework, problem_from_pydantic
from jixiao.framework.models import ChildrenFromSheet, Framework, Indicator, Provenance
from jixiao.read.dispatch import load_grids
from jixiao.read.grid import Grid, cell_ref
from jixiao.read.table import SheetCell, _is_note_row, _is_total_row, _row_labels, role_of
from jixiao.rules.recognize import recognize_rule
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
INFO_SHEET = "框架信息"
PATH_SEPARATOR = "／"
_LEVEL_ROLES = ("level1", "level2", "level3", "level4")
_CONTENT_ROLES = ("points", "explanation", "criteria")

NATIONAL_GRADES: list[dict[str, Any]] = [
    {"label": "优", "minimum": 90, "maximum": 100, "aliases": ["优秀"]},
    {"label": "良", "minimum": 80, "maximum": 90, "aliases": ["良好"]},
    {"label": "中", "minimum": 60, "maximum": 80, "aliases": ["中等"]},
    {"label": "差", "minimum": 0, "maximum": 60, "aliases": ["低"]},
]
"""Grade bands of 财预〔2020〕10号, used when the table states none."""

# Metadata rows of the 框架信息 sheet: label → framework key (source.* nested).
INFO_FIELDS: dict[str, str] = {
    "框架标识": "id",
    "版本": "version",
    "名称": "title",
    "地区": "region",
    "年度": "year",
    "类型": "kind",
    "来源文件": "source.document",
    "文件依据": "source.reference",
    "来源说明": "source.notes",
    "计算精度（小数位）": "precision",
    "总分": "total_points",
    "其他（JSON）": "other",
}
GRADE_HEADER = ("等级", "下限", "上限", "别名")
ATTRIBUTE_HEADER = (
    "指标",
    "别名",
    "分值来源",
    "下级指标",
    "加减分下限",
    "加减分上限",
    "加减分后总分可超过满分",
    "加减分依据",
    "加减分说明",
    "备注",
    "其他（JSON）",
)
PROVENANCE_LABELS = {
    Provenance.PUBLISHED: "公开数据",
    Provenance.INFERRED: "推断",
    Provenance.ASSUMED: "假设",
    Provenance.ILLUSTRATIVE: "示例",
}
CHILDREN_LABELS = {
    ChildrenFromSheet.NO: "固定",
    ChildrenFromSheet.ALLOWED: "可由评分表增设",
    ChildrenFromSheet.REQUIRED: "须由评分表列出",
}
YES, NO = "是", "否"

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
_YEAR = re.compile(r"(20\d\d)")
_REGION = re.compile(r"^(.{2,12}?(?:省|自治区|市|州|盟|县|区|旗))")


@dataclass(frozen=True)
class ImportOptions:
    """Metadata given on the command line; each overrides what the table says."""

    id: str | None = None
    title: str | None = None
    region: str | None = None
    year: int | None = None
    kind: str | None = None
    version: str | None = None
    source_document: str | None = None
    sheet: str | None = None
    fallback_id: str | None = None
    """The id used when neither ``id`` nor the table gives one (the CLI: the output's name)."""
    provenance: Provenance | None = None
    """Where every 分值 of the table comes from (e.g. published for a bureau's own table)."""


@dataclass
class ImportResult:
    """What the import found: the framework (None when there are errors) and every finding."""

    path: Path
    sheet: str | None
    framework: Framework | None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules_recognised: int = 0

    @property
    def ok(self) -> bool:
        """True when a framework was built (warnings allowed)."""
        return self.framework is not None and not F.has_errors(self.findings)


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


def import_table(path: Path, options: ImportOptions | None = None) -> ImportResult:
    """Read the 指标体系表 in ``path`` and build a framework, collecting every finding."""
    options = options or ImportOptions()
    grids = load_grids(path)
    info_grid = next((g for g in grids if g.sheet == INFO_SHEET), None)
    candidates = [g for g in grids if g.sheet != INFO_SHEET]
    if options.sheet:
        candidates = [g for g in grids if g.sheet == options.sheet]
        if not candidates:
            from jixiao.errors import UsageError

            names = "、".join(g.sheet for g in grids)
            raise UsageError(f"{path}：没有名为“{options.sheet}”的工作表（有：{names}）")
    reader: _TableReader | None = None
    for grid in candidates:
        header = _find_header(grid)
        if header is not None:
            reader = _TableReader(grid, *header)
            break
    if reader is None:
        first = candidates[0] if candidates else grids[0]
        finding = F.make("table-no-header", position=Position(first.sheet), rows=HEADER_SCAN_ROWS)
        return ImportResult(path, first.sheet, None, [finding])
    reader.read()
    builder = _Builder(path, reader, info_grid, options)
    return builder.build()


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


def cell_text(value: object) -> str | None:
    """A long text cell (指标解释, 评分标准) with its line breaks kept, or None when blank."""
    if is_blank(value):
        return None
    lines = [line.rstrip() for line in str(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip() or None


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


class _Builder:
    """The tree and the 框架信息 sheet → framework data → a checked :class:`Framework`."""

    def __init__(self, path: Path, reader: _TableReader, info: Grid | None, options: ImportOptions):
        self.path, self.reader, self.info_grid, self.options = path, reader, info, options
        self.findings = list(reader.findings)
        self.notes: list[str] = []
        self.meta: dict[str, Any] = {}
        self.grades: list[dict[str, Any]] = []
        self.attributes: dict[tuple[str, ...], dict[str, Any]] = {}
        self.index: dict[str, _Node] = {}
        self.rules = 0

    def add(self, code: str, at: SheetCell | None, node: _Node | None, **values: Any) -> None:
        grid = self.reader.grid
        position = Position(grid.sheet, at.ref if at else None)
        if node is not None:
            node.failed = True
        self.findings.append(
            F.make(code, position=position, path=self.reader.names(node) if node else (), **values)
        )

    def build(self) -> ImportResult:
        if self.info_grid is not None:
            self._read_info(self.info_grid)
        for node in self.reader.roots:
            self._resolve(node, top=True)
        roots = self.reader.roots
        indicators = [self._indicator(n, f"indicators[{i}]") for i, n in enumerate(roots)]
        data = self._metadata()
        data["indicators"] = indicators
        result = ImportResult(self.path, self.reader.grid.sheet, None, self.findings, self.notes)
        result.rules_recognised = self.rules
        if F.has_errors(self.findings):
            return result
        try:
            framework = Framework.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                problem = problem_from_pydantic(err)
                self._framework_problem(problem.path, problem.message)
            return result
        for problem in check_framework(framework):
            self._framework_problem(problem.path, problem.message)
        if not F.has_errors(self.findings):
            result.framework = framework
        return result

    def _framework_problem(self, where: str, reason: str) -> None:
        node = None
        for key in sorted(self.index, key=len, reverse=True):
            if where == key or where.startswith(key + "."):
                node = self.index[key]
                break
        at = None
        if node is not None:
            on_points = where.endswith(".points") and node.points_cell is not None
            at = node.points_cell if on_points else node.label_cell
        self.add("framework-invalid", at, node, where=where or "框架", reason=reason)

    # -- points --------------------------------------------------------------------------

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
        if any(c.failed for c in node.children):
            node.failed = True
            return
        known = [c.points for c in node.children if c.points is not None]
        if node.points is None and node.children and len(known) == len(node.children):
            node.points = sum(known, Decimal(0))
            return
        if node.points is not None and node.children:
            total = sum(known, Decimal(0))
            if (len(known) == len(node.children) and total != node.points) or total > node.points:
                self.add(
                    "children-points-sum",
                    node.points_cell or node.label_cell,
                    node,
                    found=plain(total),
                    expected=plain(node.points),
                )
        from_sheet = attrs.get("children_from_sheet", "no") != "no"
        if node.points is None and (top or (not node.children and not from_sheet)):
            where = node.points_cell or (
                SheetCell(None, node.row, self.reader.columns["points"])
                if node.row and "points" in self.reader.columns
                else node.label_cell
            )
            self.add("indicator-points-missing", where, node, name=node.name)

    # -- framework data ------------------------------------------------------------------

    def _indicator(self, node: _Node, where: str) -> dict[str, Any]:
        self.index[where] = node
        attrs = dict(self.attributes.get(node.path, {}))
        out: dict[str, Any] = {"name": node.name}
        if node.points is not None:
            out["points"] = node.points
            if self.options.provenance is not None:
                out["provenance"] = self.options.provenance.value
        out["aliases"] = attrs.pop("aliases", [])
        if node.explanation:
            out["explanation"] = node.explanation
        rule = None
        if node.criteria:
            out["criteria"] = node.criteria
            if node.points is not None:
                rule = recognize_rule(node.criteria, node.points)
                if rule is not None and "rule" in Indicator.model_fields:
                    out["rule"] = rule
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

    def _metadata(self) -> dict[str, Any]:
        o, meta, reader = self.options, self.meta, self.reader
        title = o.title or meta.get("title") or reader.title or self.path.stem
        year = o.year or meta.get("year")
        if year is None:
            m = _YEAR.search(f"{title} {self.path.stem}")
            year = int(m.group(1)) if m else None
        if year is None:
            self.add(
                "framework-info-invalid",
                None,
                None,
                field="年度",
                value="",
                reason="表中没有年度，请用 --year 指定",
            )
        region = o.region or meta.get("region")
        if region is None:
            m = _REGION.match(title)
            region = m.group(1) if m else None
        if region is None:
            self.add(
                "framework-info-invalid",
                None,
                None,
                field="地区",
                value="",
                reason="无法从标题判断地区，请用 --region 指定",
            )
        kind = (
            o.kind
            or meta.get("kind")
            or ("项目支出" if "项目支出" in title else "部门整体支出" if "部门整体" in title else None)
        )
        if kind is None:
            self.add(
                "framework-info-invalid",
                None,
                None,
                field="类型",
                value="",
                reason="无法从标题判断评价类型，请用 --kind 指定（如 部门整体支出、项目支出）",
            )
        source = dict(meta.get("source", {}))
        if o.source_document:
            source["document"] = o.source_document
        source.setdefault("document", f"{self.path.name}（工作表 {reader.grid.sheet}）")
        if not self.grades:
            self.notes.append("表中没有等级区间，采用财预〔2020〕10号的通用划分（优/良/中/差）")
            assumed = "等级区间采用财预〔2020〕10号的通用划分（assumed）。"
            source["notes"] = "\n".join(x for x in (source.get("notes"), assumed) if x)
        tops = [n.points for n in reader.roots if n.bonus is None and n.points is not None]
        total = sum(tops, Decimal(0))
        if reader.total_cell is not None and not any(n.failed for n in reader.roots):
            try:
                stated = parse_decimal(reader.total_cell.value)
            except NotANumber:
                shown, why = why_not_a_number(reader.total_cell.value)
                self.add("points-not-a-number", reader.total_cell, None, value=shown, why=why)
            else:
                if stated != total:
                    self.add(
                        "table-total-mismatch",
                        reader.total_cell,
                        None,
                        found=plain(stated),
                        expected=plain(total),
                    )
        return {
            "schema_version": 1,
            "id": o.id or meta.get("id") or o.fallback_id or _slug(self.path.stem),
            "version": o.version or meta.get("version") or f"{year or ''}.1".lstrip("."),
            "title": title,
            "region": region,
            "year": year,
            "kind": kind,
            "source": source,
            "precision": meta.get("precision", 2),
            "rounding": "half_up",
            "total_points": meta.get("total_points", total),
            "grades": self.grades or NATIONAL_GRADES,
            **meta.get("other", {}),
        }

    # -- the 框架信息 sheet --------------------------------------------------------------

    def _read_info(self, grid: Grid) -> None:
        section = "meta"
        for r, line in grid.iter_rows():
            first = clean_text(line[0] if line else None)
            heads = tuple(clean_text(v) for v in line[: len(ATTRIBUTE_HEADER)])
            if heads[: len(GRADE_HEADER)] == GRADE_HEADER:
                section = "grades"
                continue
            if heads[:2] == ATTRIBUTE_HEADER[:2]:
                section = "attributes"
                continue
            if not first:
                continue
            get = _getter(line)
            if section == "meta":
                self._info_value(grid, r, first, get(1))
            elif section == "grades":
                self.grades.append(
                    {
                        "label": first,
                        "minimum": self._number(grid, r, 2, get(1), "等级下限"),
                        "maximum": self._number(grid, r, 3, get(2), "等级上限"),
                        "aliases": _split_list(get(3)),
                    }
                )
            else:
                self._attribute_row(grid, r, first, [get(i) for i in range(len(ATTRIBUTE_HEADER))])

    def _info_error(self, grid: Grid, r: int, c: int, field: str, value: object, reason: str) -> None:
        self.findings.append(
            F.make(
                "framework-info-invalid",
                position=Position(grid.sheet, cell_ref(r, c)),
                field=field,
                value=clean_text(value),
                reason=reason,
            )
        )

    def _number(self, grid: Grid, r: int, c: int, value: object, field: str) -> Decimal | None:
        try:
            return parse_decimal(value)
        except NotANumber as e:
            self._info_error(grid, r, c, field, value, str(e))
            return None

    def _info_value(self, grid: Grid, r: int, label: str, value: object) -> None:
        key = INFO_FIELDS.get(label)
        if key is None or is_blank(value):
            return
        if key in ("year", "precision"):
            number = self._number(grid, r, 2, value, label)
            if number is not None:
                self.meta[key] = int(number)
        elif key == "total_points":
            self.meta[key] = self._number(grid, r, 2, value, label)
        elif key == "other":
            try:
                other = json.loads(str(value))
                if not isinstance(other, dict):
                    raise ValueError("not an object")
            except ValueError:
                self._info_error(grid, r, 2, label, value, "不是 JSON 对象")
            else:
                self.meta["other"] = other
        elif key.startswith("source."):
            self.meta.setdefault("source", {})[key.split(".", 1)[1]] = cell_text(value)
        else:
            self.meta[key] = clean_text(value)

    def _attribute_row(self, grid: Grid, r: int, path_text: str, values: list[Any]) -> None:
        path = tuple(name_key(p) for p in path_text.split(PATH_SEPARATOR))
        attrs: dict[str, Any] = {}
        aliases = _split_list(values[1])
        if aliases:
            attrs["aliases"] = aliases
        for c, mapping, key in (
            (3, PROVENANCE_LABELS, "provenance"),
            (4, CHILDREN_LABELS, "children_from_sheet"),
        ):
            text = clean_text(values[c - 1])
            if text:
                found = next((k for k, v in mapping.items() if v == text or k.value == text), None)
                if found is None:
                    self._info_error(
                        grid, r, c, ATTRIBUTE_HEADER[c - 1], text, f"应为 {'、'.join(mapping.values())} 之一"
                    )
                else:
                    attrs[key] = found.value
        if not is_blank(values[4]) or not is_blank(values[5]):
            bonus: dict[str, Any] = {
                "minimum": self._number(grid, r, 5, values[4], "加减分下限"),
                "maximum": self._number(grid, r, 6, values[5], "加减分上限"),
                "total_may_exceed_max": clean_text(values[6]) == YES,
            }
            if clean_text(values[7]):
                text = clean_text(values[7])
                found = next((k for k, v in PROVENANCE_LABELS.items() if v == text), None)
                if found is not None:
                    bonus["provenance"] = found.value
            if cell_text(values[8]):
                bonus["note"] = cell_text(values[8])
            attrs["bonus"] = bonus
        if cell_text(values[9]):
            attrs["note"] = cell_text(values[9])
        if not is_blank(values[10]):
            try:
                other = json.loads(str(values[10]))
                if not isinstance(other, dict):
                    raise ValueError("not an object")
            except ValueError:
                self._info_error(grid, r, 11, "其他（JSON）", values[10], "不是 JSON 对象")
            else:
                attrs["other"] = other
        if path not in self.reader.nodes:
            self._info_error(
                grid,
                r,
                1,
                "指标",
                path_text,
                "指标体系表中没有这个指标（若在表中改了名称，请在此处一并修改）",
            )
        self.attributes[path] = attrs


def _getter(line: list[Any]) -> Callable[[int], Any]:
    """Cell values of a row by 0-based column, None past its end."""
    return lambda c: line[c] if c < len(line) else None


def _split_list(value: object) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，]", clean_text(value)) if p.strip()]


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "imported"
