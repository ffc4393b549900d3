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

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao import findings as F
from jixiao.authoring.info_sheet import EXPORTED_POINTS, INFO_SHEET, PROVENANCE_LABELS, InfoSheetReading
from jixiao.authoring.metadata import ImportOptions, MetadataReading
from jixiao.authoring.table_reader import HEADER_SCAN_ROWS, _find_header, _Node, _TableReader, bonus_limits
from jixiao.findings import Finding, Position
from jixiao.framework.check import check_framework, problem_from_pydantic
from jixiao.framework.models import Framework, Indicator, Provenance
from jixiao.read.dispatch import load_grids
from jixiao.read.grid import Grid
from jixiao.read.table import SheetCell
from jixiao.rules.recognize import recognize_rule, unstated_threshold
from jixiao.values import clean_text, plain, why_not_a_number


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


class _Builder(InfoSheetReading, MetadataReading):
    """The tree and the 框架信息 sheet → framework data → a checked :class:`Framework`."""

    def __init__(self, path: Path, reader: _TableReader, info: Grid | None, options: ImportOptions):
        self.path, self.reader, self.info_grid, self.options = path, reader, info, options
        self.findings = list(reader.findings)
        self.notes: list[str] = []
        self.meta: dict[str, Any] = {}
        self.grades: list[dict[str, Any]] = []
        self.attributes: dict[tuple[str, ...], dict[str, Any]] = {}
        self.known_paths = reader.nodes
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

    def _indicator(self, node: _Node, where: str) -> dict[str, Any]:
        self.index[where] = node
        attrs = dict(self.attributes.get(node.path, {}))
        exported = attrs.pop(EXPORTED_POINTS, None)
        if exported is not None and node.points is not None and exported != node.points:
            # A 分值 edited after export is no longer the published (or inferred) figure.
            stated = attrs.pop("provenance", None)
            if stated is not None and self.options.provenance is None:
                label = PROVENANCE_LABELS.get(Provenance(stated), stated)
                self.notes.append(
                    f"{'／'.join(node.path)} 的分值已改动（导出时 {plain(exported)}，现为 "
                    f"{plain(node.points)}），不再标注分值来源“{label}”"
                )
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
                elif rule is None and unstated_threshold(node.criteria):
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
