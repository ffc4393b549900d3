"""Reading a matched row's cells: numbers, 分值 (column or label), reasons, reported figures.

:class:`MatcherBase` holds the matcher's state; the placing and rule-leaf parts build on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from decimal import Decimal

from jixiao import findings as F
from jixiao.findings import Finding, Position
from jixiao.framework.models import Framework
from jixiao.framework.rule_models import AnyRule
from jixiao.matching.tree import Entry, NodeInput, Reported, entries
from jixiao.read.table import SheetCell, SheetTable
from jixiao.values import (
    EXCEL_ERRORS,
    NotANumber,
    as_displayed,
    clean_text,
    nfkc,
    parse_decimal,
    why_not_a_number,
)


@functools.lru_cache(maxsize=8192, typed=True)
def _parse_cached(value: str | int | float, allow_percent: bool) -> Decimal:
    return parse_decimal(value, allow_percent=allow_percent)


def _parse(value: object, *, allow_percent: bool = False) -> Decimal:
    """:func:`parse_decimal`, remembered for the short texts and numbers that recur down a
    sheet (the same 分值 on every row); an unreadable value raises each time, as before."""
    kind = type(value)
    if kind is int or kind is float or (kind is str and len(value) <= 64):  # type: ignore[arg-type]
        return _parse_cached(value, allow_percent)
    return parse_decimal(value, allow_percent=allow_percent)


NamedFunds = Callable[[SheetTable], dict[str, SheetCell]]


class MatcherBase:
    """State shared by every part of the matcher, and the cell-reading helpers."""

    def __init__(self, table: SheetTable, framework: Framework, named_funds: NamedFunds | None = None):
        self.table = table
        self.named_funds = named_funds  # reads funds figures from defined names (I/O, given by the caller)
        self.fw = framework
        self.root = Entry("", (), None, entries(framework.indicators, ()))
        self.findings: list[Finding] = []
        self.reported: list[Reported] = []
        self.inputs: dict[tuple[str, ...], NodeInput] = {}
        # An unknown name's closest known sibling → the unknown finding's index and its values:
        # when that sibling then turns out to be missing, one finding says both.
        self.suggested: dict[tuple[str, ...], tuple[int, dict[str, object]]] = {}
        self.quantum = Decimal(1).scaleb(-framework.precision)
        # 计分规则 inherited by indicators the sheet defines (a node's children_rule).
        self.inherited: dict[tuple[str, ...], AnyRule] = {}

    # -- helpers -------------------------------------------------------------------------
    def pos(self, cell: SheetCell | None) -> Position:
        return Position(self.table.sheet, cell.ref) if cell else Position(self.table.sheet)

    def add(self, code: str, cell: SheetCell | None, path: Iterable[str] = (), **kw: object) -> None:
        self.findings.append(F.make(code, position=self.pos(cell), path=tuple(path), **kw))

    def number(self, cell: SheetCell | None, path: tuple[str, ...], code: str) -> Decimal | None:
        """Read a numeric input cell; report what is wrong with it. None when unusable."""
        if cell is None or cell.blank:
            if cell is not None and self.table.grid is not None:
                formula = self.table.grid.formula(cell.row, cell.col)
                if formula:
                    self.add("formula-without-value", cell, path, formula=formula)
                    return None
            return None
        value = cell.value
        if isinstance(value, str) and nfkc(value).strip().upper() in EXCEL_ERRORS:
            self.add("cell-error-value", cell, path, value=value.strip())
            return None
        try:
            return _parse(value)
        except NotANumber:
            shown, why = why_not_a_number(value)
            self.add(code, cell, path, value=shown, why=why)
            return None

    def quiet_number(self, cell: SheetCell | None, *, percent: bool = False) -> Decimal | None:
        """Read a reported figure; anything unreadable is simply not checked."""
        if cell is None or cell.blank:
            return None
        try:
            value = _parse(cell.value, allow_percent=percent)
        except NotANumber:
            return None
        if not isinstance(cell.value, str):
            # Read as the sheet shows it: =D5/C5 in "0.00%" is 99.07, not 99.074074…
            value = as_displayed(value, cell.number_format, percent=percent)
        return value

    def points_number(self, cell: SheetCell, entry: Entry) -> Decimal | None:
        """A 分值 cell. A weight printed as a percent ("30%", 0.3 in a 0% format) is that many 分
        where the tree says so: a 权重 × 百分制 node, or a node whose 分值 is that figure (the
        importer and the sheet's own tree read such a weight the same way)."""
        node = entry.node
        text = cell.value if isinstance(cell.value, str) else ""
        looks = text.rstrip().endswith(("%", "％")) or "%" in (cell.number_format or "")
        if node is not None and looks:
            weight = self.quiet_number(cell, percent=True)
            if weight is not None and (node.children_scale is not None or weight == node.points):
                return weight
        return self.number(cell, entry.path, "points-not-a-number")

    def declared_points(self, entry: Entry) -> tuple[Decimal | None, SheetCell | None]:
        """分值 as the sheet states it: the 分值 column, else the weight in the label."""
        cell = entry.row.get("points") if entry.row else None
        value = None
        if cell is not None and not cell.blank:
            value = self.points_number(cell, entry)
        elif entry.label_points:
            label, cell = entry.label_points[0]
            value = label.points
        if value is not None:
            self.check_label_points(entry, value)
        return value, cell

    def framework_points(self, entry: Entry) -> tuple[Decimal | None, SheetCell | None]:
        """The 分值 of a node: fixed by the framework (checked against the sheet) or the sheet's."""
        assert entry.node is not None
        fixed = entry.node.points
        if fixed is None:
            return self.declared_points(entry)
        self.check_label_points(entry, fixed)
        cell = entry.row.get("points") if entry.row else None
        if cell is not None and not cell.blank:
            found = self.points_number(cell, entry)
            if found is not None and found != fixed:
                self.add("points-mismatch", cell, entry.path, found=found, expected=fixed)
        return fixed, cell

    def check_label_points(self, entry: Entry, expected: Decimal) -> None:
        """Every weight written inside a label ("资金管理（12分）") must equal the 分值 in force."""
        for label, lcell in entry.label_points:
            if label.points != expected:
                self.add(
                    "label-points-mismatch",
                    lcell,
                    entry.path,
                    label=label.text,
                    found=label.points,
                    expected=expected,
                )

    def points_of(self, entry: Entry) -> tuple[Decimal | None, SheetCell | None]:
        return self.framework_points(entry) if entry.node is not None else self.declared_points(entry)

    def note_reported(self, entry: Entry) -> None:
        row = entry.row
        if row is None:
            return
        score_cell = row.get("score")
        value = self.quiet_number(score_cell)
        if value is not None and score_cell is not None:
            self.reported.append(Reported(entry.path, "score", value, score_cell))
        rate_cell = row.get("rate")
        rate = self.quiet_number(rate_cell, percent=True)
        if rate is not None and rate_cell is not None:
            self.reported.append(Reported(entry.path, "rate", rate, rate_cell))

    def note_totals(self) -> None:
        for row in self.table.totals:
            for kind, role in (("score", "score"), ("rate", "rate"), ("points", "points")):
                cell = row.get(role)
                value = self.quiet_number(cell, percent=kind == "rate")
                if value is not None and cell is not None:
                    self.reported.append(Reported((), kind, value, cell))

    def cell_ref(self, entry: Entry) -> str | None:
        if entry.row is None:
            return None
        cell = entry.row.get("score")
        return cell.ref if cell else None

    def reason(self, entry: Entry) -> str | None:
        cell = entry.row.get("reason") if entry.row else None
        text = clean_text(cell.value) if cell is not None else ""
        return text or None
