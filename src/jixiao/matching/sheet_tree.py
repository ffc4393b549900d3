"""The sheet's own tree (``--framework sheet``): a framework built from the sheet being scored.

Most published sheets come from places jixiao ships no framework for, yet the sheet carries
what scoring needs: its 一级/二级/三级 labels, the 分值 column and the weights inside labels
("投入(15分)"). The tree is read with :mod:`jixiao.matching.table_tree` (the same reading as
``jixiao frameworks import``), checked (label against column, children against parent), and
turned into a :class:`~jixiao.framework.models.Framework` whose every 分值 comes from the sheet.
Grade bands are assumed (财预〔2020〕10号); a total other than 100 keeps its own scale and the
bands follow it in proportion. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from jixiao import findings as F
from jixiao.findings import Finding, Position
from jixiao.framework.check import problem_from_pydantic
from jixiao.framework.load import LoadedFramework
from jixiao.framework.models import Framework
from jixiao.matching.table_tree import TreeBuilding, _Node, _TableReader
from jixiao.read.table import SheetCell, SheetTable
from jixiao.values import HUNDRED, parse_decimal, plain

SHEET_FRAMEWORK_ID = "sheet"
SAVE_COMMAND = "jixiao frameworks import {file} -o 框架.yaml"

NATIONAL_GRADES: list[dict[str, Any]] = [
    {"label": "优", "minimum": 90, "maximum": 100, "aliases": ["优秀"]},
    {"label": "良", "minimum": 80, "maximum": 90, "aliases": ["良好"]},
    {"label": "中", "minimum": 60, "maximum": 80, "aliases": ["中等"]},
    {"label": "差", "minimum": 0, "maximum": 60, "aliases": ["低"]},
]
"""Grade bands of 财预〔2020〕10号 (优 ≥ 90, 良 [80, 90), 中 [60, 80), 差 < 60 on a 100 scale)."""

FUNDS_NODE = "预算执行率"
_YEAR = re.compile(r"(20\d\d)")
_REGION = re.compile(r"(.{2,12}?(?:省|自治区|市|州|盟|县|区|旗))")


@dataclass
class SheetTree:
    """The framework read from a sheet, the findings about its tree, and what to tell the user."""

    framework: LoadedFramework
    table: SheetTable
    """The table to match: its rows limited to those the tree keeps (placeholders dropped)."""
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    save_command: str = ""
    assumed_grades: bool = True
    total_points: Decimal = HUNDRED


class _SheetTreeBuilder(TreeBuilding):
    def __init__(self, reader: _TableReader):
        self.reader = reader
        self.findings = list(reader.findings)
        self.attributes = {}
        self.index = {}
        self.rules = 0
        self.notes: list[str] = []
        self.provenance_value = "published"


def sheet_tree(table: SheetTable, sha256: str) -> SheetTree | None:
    """The sheet's own indicator tree as a framework; None when the sheet names no indicator."""
    grid = table.grid
    if grid is None:
        return None
    levels = table.level_columns
    funds_only = not levels and funds_indicator(table.funds) is not None
    if not levels and not funds_only:
        return None
    reader = _TableReader(grid, table.header_rows, dict(table.columns), list(levels))
    if not funds_only:  # a funds block on its own has no indicator rows to read
        reader.read()
        reader.prune()
        if not reader.roots:
            return None
    builder = _SheetTreeBuilder(reader)
    builder._percent_weights(reader.roots)  # 权重 × 百分制, read as the importer reads it
    for node in reader.roots:
        builder._resolve(node, top=True)
    # Rules recognised from 评分标准 texts are not applied: the sheet's own 得分 is what is
    # scored; the tree only fixes the 分值.
    indicators = [_strip_rules(builder._indicator(n, f"indicators[{i}]")) for i, n in enumerate(reader.roots)]
    notes: list[str] = [
        "指标体系取自评分表本身（未使用框架文件）：层级取自指标列，分值取自分值列或指标名称中的“（xx分）”"
    ]
    notes += table.notes  # how the sheet was read: which sheet of several, rows without a name
    notes += builder.notes  # 权重 × 百分制
    funds = funds_indicator(table.funds)
    form = None
    if funds is not None:
        indicators.insert(0, funds)
        form = "project"
        notes.append(f"资金情况中的“{FUNDS_NODE}”按 执行数 ÷ 预算数 × 分值 计分（满分为止）")
    tops = [Decimal(i["points"]) for i in indicators if i.get("points") is not None and "bonus" not in i]
    total = sum(tops, Decimal(0))
    if total <= 0:
        total = HUNDRED
    grades = _grades(total)
    notes.append("等级区间表中未写明，假定采用财预〔2020〕10号的通用划分：优≥90、良[80,90)、中[60,80)、差<60")
    if total != HUNDRED:
        notes.append(
            f"本表总分值为 {plain(total)}（不是 100），按其自身分值计分；等级区间按得分率换算"
            f"（优 ≥ {plain(grades[0]['minimum'])} 分）"
        )
    title = table.title or table.path.stem
    text = f"{title} {table.path.stem}"
    m = _YEAR.search(text)
    region = _REGION.search(title)
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": SHEET_FRAMEWORK_ID,
        "version": "sheet",
        "title": f"评分表自带的指标体系（{table.path.name}）",
        "region": region.group(1) if region else "未知（表中未写明）",
        "year": int(m.group(1)) if m else 2000,
        "kind": "项目支出"
        if form == "project" or "项目" in title
        else "部门整体支出"
        if "部门" in title
        else "未知",
        "source": {
            "document": f"{table.path.name}（工作表 {table.sheet}）",
            "notes": "由评分表本身的指标列和分值读出；等级区间为假定（assumed，财预〔2020〕10号）。",
        },
        "precision": 2,
        "rounding": "half_up",
        "total_points": total,
        "grades": grades,
        "indicators": indicators,
        "form": form,
    }
    findings = builder.findings
    findings += totals_out_of_reach(reader.roots, table)
    try:
        framework = Framework.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            problem = problem_from_pydantic(err)
            findings.append(
                F.make(
                    "framework-invalid",
                    position=Position(table.sheet),
                    where=problem.path or "框架",
                    reason=problem.message,
                )
            )
        return None
    loaded = LoadedFramework(framework, table.path, sha256)
    kept = {n.row for n in tree_nodes(reader) if n.row is not None}
    rows = [row for row in table.rows if row.row in kept]
    return SheetTree(
        loaded,
        dataclasses.replace(table, rows=rows),
        findings,
        notes,
        SAVE_COMMAND.format(file=table.path.name),
        True,
        total,
    )


def totals_out_of_reach(roots: list[_Node], table: SheetTable) -> list[Finding]:
    """A printed total that no filling of the empty 得分 could give (宁夏: 98 where the filled
    scores give 84 and the one empty indicator is worth 10, so at most 94).

    Only while some 得分 is empty or unreadable: a complete table's 合计 is compared with the
    calculated total after matching, exactly. Every empty leaf counts from 0 to its 分值 (its
    parent's 分值 caps the sum where the leaf has none); nothing is guessed beyond that.
    """
    scores = {row.row: row.get("score") for row in table.rows}
    funds = table.funds
    bounds = [_bounds(n, scores) for n in roots]
    if funds.get("points") is not None:
        bounds.append(_leaf_bounds(_number(funds["points"].value), funds.get("score")))
    if any(b is None for b in bounds):
        return []
    low = sum((b[0] for b in bounds if b), Decimal(0))
    high = sum((b[1] for b in bounds if b), Decimal(0))
    if low == high:
        return []
    out = []
    for row in table.totals:
        cell = row.get("score")
        value = _number(cell.value) if cell is not None else None
        if cell is None or value is None:
            continue
        if value > high or value < low:
            expected = f"至多 {plain(high)}" if value > high else f"至少 {plain(low)}"
            why = f"已填得分合计 {plain(low)}，未填得分的指标最多 {plain(high - low)} 分"
            out.append(
                F.make(
                    "reported-score-mismatch",
                    position=Position(table.sheet, cell.ref),
                    path=("合计",),
                    found=plain(value),
                    expected=f"{expected}（{why}）",
                )
            )
    return out


def _number(value: object) -> Decimal | None:
    try:
        return parse_decimal(value)
    except Exception:
        return None


def _leaf_bounds(points: Decimal | None, cell: SheetCell | None) -> tuple[Decimal, Decimal] | None:
    score = _number(cell.value) if cell is not None and not cell.blank else None
    if score is not None:
        return score, score
    return None if points is None else (Decimal(0), points)


def _bounds(node: _Node, scores: dict[int, SheetCell | None]) -> tuple[Decimal, Decimal] | None:
    """The least and the most a node can score, given the 得分 filled in below it."""
    own = node.label_points if node.label_points is not None else node.points
    if not node.children:
        if node.row is None:
            return None if own is None else (Decimal(0), own)
        return _leaf_bounds(own, scores.get(node.row))
    parts = [_bounds(child, scores) for child in node.children]
    if any(p is None for p in parts):
        # an indicator below says no 分值: the parent's own caps what its children can give
        known = sum((p[0] for p in parts if p), Decimal(0))
        return None if own is None else (known, own)
    low = sum((p[0] for p in parts if p), Decimal(0))
    high = sum((p[1] for p in parts if p), Decimal(0))
    return low, high if own is None else min(high, own)


def _strip_rules(data: dict[str, Any]) -> dict[str, Any]:
    data.pop("rule", None)
    for child in data.get("children", []):
        _strip_rules(child)
    return data


def funds_indicator(funds: dict[str, SheetCell]) -> dict[str, Any] | None:
    """The 预算执行率 node of a funds block that has a 分值 (项目支出 forms), as framework data."""
    cell = funds.get("points")
    if cell is None or cell.blank:
        return None
    try:
        points = parse_decimal(cell.value)
    except Exception:
        return None
    if points <= 0:
        return None
    return {
        "name": FUNDS_NODE,
        "points": points,
        "provenance": "published",
        "criteria": "得分 = 执行率 × 分值，满分为止",
        "rule": {"kind": "proportional", "actual": "spent", "target": "budget", "label": "执行率"},
    }


def scaled_grades(total: Decimal | int) -> list[dict[str, Any]]:
    """The 财预〔2020〕10号 bands on a total's own scale (the same 得分率 thresholds)."""
    return _grades(Decimal(total))


def _grades(total: Decimal) -> list[dict[str, Any]]:
    if total <= 0 or total == HUNDRED:
        return NATIONAL_GRADES
    scale = total / HUNDRED
    return [
        {**band, "minimum": Decimal(band["minimum"]) * scale, "maximum": Decimal(band["maximum"]) * scale}
        for band in NATIONAL_GRADES
    ]


def tree_nodes(reader: _TableReader) -> list[_Node]:
    """Every node of a read tree, depth first (for tests and reports)."""
    out: list[_Node] = []

    def visit(nodes: list[_Node]) -> None:
        for n in nodes:
            out.append(n)
            visit(n.children)

    visit(reader.roots)
    return out
