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

from jixiao import findings as F
from jixiao.authoring.info_sheet import EXPORTED_POINTS, INFO_SHEET, PROVENANCE_LABELS, InfoSheetReading
from jixiao.authoring.metadata import ImportOptions, MetadataReading
from jixiao.findings import Finding, Position
from jixiao.framework.check import problems_of_data
from jixiao.framework.models import Framework, Provenance
from jixiao.matching.sheet_tree import funds_indicator
from jixiao.matching.table_tree import HEADER_SCAN_ROWS, TreeBuilding, _find_header, _Node, _TableReader
from jixiao.read.dispatch import load_grids
from jixiao.read.grid import Grid
from jixiao.read.table import find_funds
from jixiao.values import plain


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


class _Builder(TreeBuilding, InfoSheetReading, MetadataReading):
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
        self.funds_points = Decimal(0)
        self.provenance_value = options.provenance.value if options.provenance is not None else None

    def indicator_attributes(self, node: _Node) -> dict[str, Any]:
        """The 框架信息 sheet's attributes; a 分值 edited after export loses its provenance."""
        attrs = super().indicator_attributes(node)
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
        return attrs

    def build(self) -> ImportResult:
        if self.info_grid is not None:
            self._read_info(self.info_grid)
        # Placeholder rows of the official form (指标2, ……, an unused 二级) are not indicators,
        # unless the 框架信息 sheet says something about them.
        self.reader.prune(set(self.attributes))
        self._sheet_slots(self.reader.roots)
        self._percent_weights(self.reader.roots)
        for node in self.reader.roots:
            self._resolve(node, top=True)
        roots = self.reader.roots
        indicators = [self._indicator(n, f"indicators[{i}]") for i, n in enumerate(roots)]
        # A score sheet's funds block (项目支出 forms) is an indicator too: 预算执行率 with its 分值,
        # so that importing a sheet gives the tree `jixiao score --framework sheet` scored.
        grid = self.reader.grid
        funds = funds_indicator(find_funds(grid, min(self.reader.header_rows)))
        if funds is not None and not any(n.name == funds["name"] for n in roots):
            self.funds_points = funds["points"]
            self.notes.append(
                f"资金情况的“{funds['name']}”（{plain(funds['points'])} 分）作为一个一级指标导入"
            )
        data = self._metadata()
        if funds is not None and self.funds_points:
            indicators.insert(0, funds)
            self.index = {_shift(k): v for k, v in self.index.items()}
            data["form"] = "project"
        data["indicators"] = indicators
        result = ImportResult(self.path, self.reader.grid.sheet, None, self.findings, self.notes)
        result.rules_recognised = self.rules
        # All problems in one pass: the framework checks run even when the table had errors;
        # what they say again about an indicator already reported is left out.
        self._table_errors = F.has_errors(self.findings)
        # Structure and sums together: a value of the wrong kind does not hide a sum that is off.
        framework, problems = problems_of_data(data)
        for problem in problems:
            self._framework_problem(problem.path, problem.message)
        if framework is not None and not F.has_errors(self.findings):
            result.framework = framework
        return result

    def _sheet_slots(self, nodes: list[_Node]) -> None:
        """Empty rows left under a weighted node for the department's own indicators (部门特性指标):
        the node's children come from each department's sheet, adding up to its 分值."""
        for node in nodes:
            self._sheet_slots(node.children)
            slots = node.children and all(
                c.blank_row and not c.children and c.points is None and c.label_points is None
                for c in node.children
            )
            if slots and node.label_points is not None and node.path not in self.attributes:
                names = "、".join(c.name for c in node.children)
                node.children = []
                self.attributes[node.path] = {"children_from_sheet": "required"}
                self.notes.append(
                    f"“{node.name}”下的空行（{names}）留给各部门填写本部门的指标：框架中设为“须由评分表列出”，"
                    f"其分值合计须等于 {plain(node.label_points)}"
                )

    def _framework_problem(self, where: str, reason: str) -> None:
        node = None
        for key in sorted(self.index, key=len, reverse=True):
            if where == key or where.startswith(key + "."):
                node = self.index[key]
                break
        if getattr(self, "_table_errors", False) and (node is None or node.failed or _failed_below(node)):
            return  # already reported by the table's reading, or a consequence of it
        at = None
        if node is not None:
            on_points = where.endswith(".points") and node.points_cell is not None
            at = node.points_cell if on_points else node.label_cell
        self.add("framework-invalid", at, node, where=where or "框架", reason=reason)


def _failed_below(node: _Node) -> bool:
    return any(c.failed or _failed_below(c) for c in node.children)


def _shift(where: str) -> str:
    """indicators[i]… → indicators[i+1]… (a node inserted in front)."""
    head, _, rest = where.partition("]")
    return f"indicators[{int(head.split('[')[1]) + 1}]{rest}"
