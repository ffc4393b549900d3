"""Match the rows of a sheet to a framework's indicator tree.

Rows are matched by indicator name after normalising (full-width forms, spaces, ordinals, a
weight inside the label). Below a node that lets the sheet define its children, unknown names
become department-defined indicators with the 分值 written in the sheet. Everything that does
not fit becomes a finding; nothing stops at the first problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao import findings as F
from jixiao.findings import Finding, Position
from jixiao.framework.models import ChildrenFromSheet, Framework, Indicator
from jixiao.framework.rule_models import FUNDS_INPUTS, INPUT_LABELS, AnyRule, rule_inputs
from jixiao.read.table import SheetCell, SheetRow, SheetTable
from jixiao.rules.evaluate import RuleInputs, evaluate
from jixiao.rules.quantity import Quantity, parse_quantity
from jixiao.scoring.result import NodeInput
from jixiao.values import (
    EXCEL_ERRORS,
    Label,
    NotANumber,
    clean_text,
    decimals_of,
    name_key,
    nfkc,
    quantize,
    why_not_a_number,
)
from jixiao.values import parse_decimal as _parse

ZERO = Decimal(0)


@dataclass(frozen=True)
class Reported:
    """A figure the sheet states about itself (a subtotal, a rate, the 合计), to be checked."""

    path: tuple[str, ...]  # () for the grand total
    kind: str  # "score", "rate" or "points"
    value: Decimal
    cell: SheetCell


@dataclass
class Match:
    """The outcome of matching: the tree to calculate (None on errors), findings, reported figures."""

    tree: list[NodeInput] | None
    findings: list[Finding]
    reported: list[Reported]
    inputs: dict[tuple[str, ...], NodeInput] = field(default_factory=dict)


@dataclass
class _Entry:
    name: str
    path: tuple[str, ...]
    node: Indicator | None  # None for an indicator defined by the sheet
    children: dict[str, _Entry] = field(default_factory=dict)
    row: SheetRow | None = None
    label: tuple[Label, SheetCell] | None = None
    label_points: list[tuple[Label, SheetCell]] = field(default_factory=list)

    @property
    def from_sheet(self) -> bool:
        return self.node is None

    @property
    def allows_sheet_children(self) -> bool:
        if self.node is None:
            return True
        return self.node.children_from_sheet is not ChildrenFromSheet.NO or self.node.is_bonus

    def has_rows(self) -> bool:
        return self.row is not None or any(c.has_rows() for c in self.children.values())


def _reads_funds(rule: AnyRule) -> bool:
    """True for a rule that reads only figures of the funds block (全年预算数, 全年执行数 …)."""
    return set(rule_inputs(rule)) <= FUNDS_INPUTS


def _keys(node: Indicator) -> list[str]:
    return [name_key(n) for n in (node.name, *node.aliases)]


def _entries(nodes: Iterable[Indicator], prefix: tuple[str, ...]) -> dict[str, _Entry]:
    out: dict[str, _Entry] = {}
    for node in nodes:
        path = (*prefix, node.name)
        entry = _Entry(node.name, path, node, _entries(node.children, path))
        for key in _keys(node):
            out.setdefault(key, entry)
    return out


def _unique(children: dict[str, _Entry]) -> list[_Entry]:
    seen: list[_Entry] = []
    ids: set[int] = set()  # by identity, in one pass (10,000 sheet-defined rows stay linear)
    for e in children.values():
        if id(e) not in ids:
            ids.add(id(e))
            seen.append(e)
    return seen


class _Matcher:
    def __init__(self, table: SheetTable, framework: Framework):
        self.table = table
        self.fw = framework
        self.root = _Entry("", (), None, _entries(framework.indicators, ()))
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
        if percent and not isinstance(cell.value, str) and "%" in cell.number_format:
            value = value * 100
        return value

    # -- rows → entries -------------------------------------------------------------------
    def place_rows(self) -> None:
        for row in self.table.rows:
            if self.blank_continuation(row):
                continue
            entry = self.place(row)
            if entry is None or self.placeholder(row, entry):
                continue
            if entry.row is not None:
                first = entry.row
                cell = row.labels[-1][1]
                self.add(
                    "indicator-duplicate",
                    SheetCell(None, row.row, cell.col),
                    entry.path,
                    name=entry.name,
                    first=SheetCell(None, first.row, cell.col).ref,
                )
                continue
            entry.row = row

    def blank_continuation(self, row: SheetRow) -> bool:
        """A row whose labels all come from merged cells above and whose cells are all blank.

        Worksheets leave such rows for the department to fill in its own 三级 indicators.
        """
        level_cols = set(self.table.level_columns)
        own = [c for c in row.cells.values() if c.col not in level_cols]
        return row.labels[-1][1].row != row.row and all(c.blank for c in own)

    def placeholder(self, row: SheetRow, entry: _Entry) -> bool:
        """A blank row left under a node for the department's own indicators (not a score row)."""
        node = entry.node
        if node is None or node.children_from_sheet is ChildrenFromSheet.NO:
            return False
        level_cols = set(self.table.level_columns)
        own = [c for c in row.cells.values() if c.col not in level_cols]
        return len(row.labels) < len(level_cols) and all(c.blank for c in own)

    def place(self, row: SheetRow) -> _Entry | None:
        if self.table.single_name_column:
            return self.place_by_name(row)
        entry = self.root
        for label, cell in row.labels:
            child = entry.children.get(label.key)
            if child is None:
                fixed = entry.node is not None and bool(entry.node.children)
                if entry is self.root or fixed or not entry.allows_sheet_children:
                    self.unknown(label, cell, entry)
                    return None
                child = _Entry(label.name, (*entry.path, label.name), None)
                entry.children[label.key] = child
            self.note_label(child, label, cell)
            entry = child
        return entry

    def place_by_name(self, row: SheetRow) -> _Entry | None:
        """One 指标名称 column: find the name anywhere in the tree, else under the last node."""
        label, cell = row.labels[-1]
        found = [e for e in self.all_entries(self.root) if label.key in self._entry_keys(e)]
        if found:
            entry = found[0]
        else:
            last = self._last_placed
            parent = last
            while parent is not None and not (
                parent.allows_sheet_children and parent.node is not None and not parent.node.children
            ):
                parent = self._parent_of(parent)
            if parent is None:
                self.unknown(label, cell, self.root)
                return None
            entry = parent.children.get(label.key) or _Entry(label.name, (*parent.path, label.name), None)
            parent.children[label.key] = entry
            self.note_label(entry, label, cell)
            return entry
        self.note_label(entry, label, cell)
        self._last_placed = entry
        return entry

    _last_placed: _Entry | None = None

    def _entry_keys(self, e: _Entry) -> list[str]:
        return _keys(e.node) if e.node is not None else [name_key(e.name)]

    def _parent_of(self, target: _Entry) -> _Entry | None:
        for e in self.all_entries(self.root):
            if any(c is target for c in e.children.values()):
                return None if e is self.root else e
        return None

    def all_entries(self, entry: _Entry) -> list[_Entry]:
        out: list[_Entry] = []
        for child in _unique(entry.children):
            out.append(child)
            out += self.all_entries(child)
        return out

    def note_label(self, entry: _Entry, label: Label, cell: SheetCell) -> None:
        if entry.label is None:
            entry.label = (label, cell)
        if label.points is not None and all(c.ref != cell.ref for _, c in entry.label_points):
            entry.label_points.append((label, cell))

    def unknown(self, label: Label, cell: SheetCell, parent: _Entry) -> None:
        siblings = [e.name for e in _unique(parent.children)]
        everything = [e.name for e in self.all_entries(self.root) if e.node is not None]
        close = difflib.get_close_matches(label.name, siblings, n=1, cutoff=0.4) or (
            difflib.get_close_matches(label.name, everything, n=1, cutoff=0.6)
        )
        where = f"“{parent.name}”下" if parent is not self.root else "一级指标中"
        hint = f"，{where}最接近的是“{close[0]}”" if close else f"（{where}没有此指标）"
        values: dict[str, object] = {"name": label.text, "framework": self.fw.id, "hint": hint}
        self.add("indicator-unknown", cell, (*parent.path, label.name), **values)
        if close and close[0] in siblings:
            self.suggested.setdefault((*parent.path, close[0]), (len(self.findings) - 1, values))

    # -- entries → inputs -------------------------------------------------------------------
    def build_all(self) -> list[NodeInput] | None:
        built = [self.build(e) for e in _unique(self.root.children)]
        if any(b is None for b in built):
            return None
        return [b for b in built if b is not None]

    def build(self, entry: _Entry) -> NodeInput | None:
        node = entry.node
        if node is not None and node.is_bonus:
            return self.build_bonus(entry)
        if not entry.has_rows():
            if node is not None and node.rule is not None and self.funds_only(node.rule):
                return self.build_rule_leaf(entry, node.rule)
            if node is not None and node.rule is not None and _reads_funds(node.rule):
                names = "、".join(INPUT_LABELS[n] for n in rule_inputs(node.rule))
                self.add("rule-input-missing", None, entry.path, names=f"资金情况（{names}）")
                return None
            if entry.path in self.suggested:
                # The typo already reported is why this indicator is missing: say it once.
                index, values = self.suggested.pop(entry.path)
                old = self.findings[index]
                hint = f"{values['hint']}，而表中没有“{entry.name}”，可能是名称写错了"
                self.findings[index] = F.make(
                    "indicator-unknown", position=old.position, path=old.path, **{**values, "hint": hint}
                )
                return None
            self.add("indicator-missing", None, entry.path, name=entry.name)
            return None
        children = [
            c for c in _unique(entry.children) if c.has_rows() or c.node is None or not c.node.optional
        ]
        if children:
            inherited = node.children_rule if node is not None else self.inherited.get(entry.path)
            for c in children:
                if c.from_sheet and inherited is not None:
                    self.inherited[c.path] = inherited
            return self.build_parent(entry, children)
        return self.build_leaf(entry)

    @property
    def funds(self) -> dict[str, SheetCell]:
        """The funds block of a 项目支出 sheet, else funds figures in named cells (read once)."""
        if self._funds is None:
            self._funds = dict(self.table.funds)
            if not self._funds and self.table.grid is not None and self.table.path.exists():
                if self.table.named_funds is None:  # opens the workbook: once per table
                    from jixiao.read.named_cells import named_funds

                    self.table.named_funds = named_funds(self.table)
                self._funds = dict(self.table.named_funds)
        return self._funds

    _funds: dict[str, SheetCell] | None = None

    def funds_only(self, rule: AnyRule) -> bool:
        """True when a rule reads only the funds block and the sheet has one."""
        return bool(self.funds) and _reads_funds(rule)

    def rule_for(self, entry: _Entry) -> AnyRule | None:
        """The 计分规则 of an indicator: its own, or the one its parent states for sheet rows."""
        if entry.node is not None:
            return entry.node.rule
        return self.inherited.get(entry.path)

    def declared_points(self, entry: _Entry) -> tuple[Decimal | None, SheetCell | None]:
        """分值 as the sheet states it: the 分值 column, else the weight in the label."""
        cell = entry.row.get("points") if entry.row else None
        value = None
        if cell is not None and not cell.blank:
            value = self.number(cell, entry.path, "points-not-a-number")
        elif entry.label_points:
            label, cell = entry.label_points[0]
            value = label.points
        if value is not None:
            self.check_label_points(entry, value)
        return value, cell

    def framework_points(self, entry: _Entry) -> tuple[Decimal | None, SheetCell | None]:
        """The 分值 of a node: fixed by the framework (checked against the sheet) or the sheet's."""
        assert entry.node is not None
        fixed = entry.node.points
        if fixed is None:
            return self.declared_points(entry)
        self.check_label_points(entry, fixed)
        cell = entry.row.get("points") if entry.row else None
        if cell is not None and not cell.blank:
            found = self.number(cell, entry.path, "points-not-a-number")
            if found is not None and found != fixed:
                self.add("points-mismatch", cell, entry.path, found=found, expected=fixed)
        return fixed, cell

    def check_label_points(self, entry: _Entry, expected: Decimal) -> None:
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

    def points_of(self, entry: _Entry) -> tuple[Decimal | None, SheetCell | None]:
        return self.framework_points(entry) if entry.node is not None else self.declared_points(entry)

    def build_parent(self, entry: _Entry, children: list[_Entry]) -> NodeInput | None:
        node = entry.node
        points, pcell = self.points_of(entry)
        built = [self.build(c) for c in children]
        if any(b is None for b in built):
            return None
        inputs = tuple(b for b in built if b is not None)
        child_points = [c.points for c in inputs]
        sheet_defined = any(c.from_sheet for c in children) or (
            node is not None and any(c.node is not None and c.node.points is None for c in children)
        )
        total = sum((p for p in child_points if p is not None), ZERO)
        if points is None:
            points = total
        elif sheet_defined and total != points:
            where = pcell or (entry.label[1] if entry.label else None)
            self.add("children-points-sum", where, entry.path, found=total, expected=points)
            return None
        self.note_reported(entry)
        result = NodeInput(
            name=entry.name,
            points=points,
            children=inputs,
            from_sheet=entry.from_sheet,
            cell=self.cell_ref(entry),
            reason=self.reason(entry),
        )
        self.inputs[entry.path] = result
        return result

    def build_leaf(self, entry: _Entry) -> NodeInput | None:
        node = entry.node
        row = entry.row
        if node is not None and node.children_from_sheet is ChildrenFromSheet.REQUIRED:
            self.add("children-missing", entry.label[1] if entry.label else None, entry.path, name=entry.name)
            return None
        assert row is not None
        rule = self.rule_for(entry)
        if rule is not None:
            return self.build_rule_leaf(entry, rule)
        points, _ = self.points_of(entry)
        score_cell = row.get("score")
        score = self.number(score_cell, entry.path, "score-not-a-number")
        ok = True
        if points is None:
            self.add(
                "points-missing", row.get("points") or (entry.label[1] if entry.label else None), entry.path
            )
            ok = False
        if score is None:
            if score_cell is None or not any(f.position.cell == score_cell.ref for f in self.findings):
                self.add("score-missing", score_cell, entry.path)
            return None
        if score < 0:
            self.add("score-below-min", score_cell, entry.path, score=score, minimum=0)
            ok = False
        if points is not None and score > points:
            self.add("score-above-max", score_cell, entry.path, score=score, points=points)
            ok = False
        if score != score.quantize(self.quantum) and decimals_of(score) > self.fw.precision:
            self.add("score-precision", score_cell, entry.path, score=score, precision=self.fw.precision)
        reason = self.reason(entry)
        if ok and points is not None and score < points and not reason and "reason" in self.table.columns:
            self.add("deduction-without-reason", score_cell, entry.path, score=score, points=points)
        if not ok:
            return None
        rate_cell = row.get("rate")
        rate = self.quiet_number(rate_cell, percent=True)
        if rate is not None and rate_cell is not None:
            self.reported.append(Reported(entry.path, "rate", rate, rate_cell))
        result = NodeInput(
            name=entry.name,
            points=points,
            score=score,
            from_sheet=entry.from_sheet,
            cell=score_cell.ref if score_cell else None,
            reason=reason,
        )
        self.inputs[entry.path] = result
        return result

    # -- indicators scored by a 计分规则 ------------------------------------------------------
    def rule_cell(self, entry: _Entry, name: str) -> SheetCell | None:
        """The cell of a rule input: the row's own, else (for funds figures) the funds block."""
        cell = entry.row.get(name) if entry.row else None
        if (cell is None or cell.blank) and name in FUNDS_INPUTS and name in self.funds:
            cell = self.funds[name]
        return cell

    def build_rule_leaf(self, entry: _Entry, rule: AnyRule) -> NodeInput | None:
        """Compute an indicator's score from the sheet's raw data with its rule."""
        row, path, places = entry.row, entry.path, self.fw.precision
        funds = self.funds if row is None else {}
        label_cell = entry.label[1] if entry.label else None
        if row is not None:
            points, _ = self.points_of(entry)
        else:
            assert entry.node is not None
            points = entry.node.points
            pcell = funds.get("points")
            found = self.quiet_number(pcell)
            if pcell is not None and found is not None and found != points:
                self.add("points-mismatch", pcell, path, found=found, expected=points)
        ok = True
        if points is None:
            self.add("points-missing", (row.get("points") if row else None) or label_cell, path)
            ok = False
        values, texts, cells = {}, {}, {}
        for name in rule_inputs(rule):
            cell = self.rule_cell(entry, name)
            if cell is None:
                continue
            cells[name] = cell
            if cell.blank:
                formula = self.table.grid.formula(cell.row, cell.col) if self.table.grid else None
                if formula:
                    self.add("formula-without-value", cell, path, formula=formula)
                    ok = False
                continue
            if isinstance(cell.value, str) and nfkc(cell.value).strip().upper() in EXCEL_ERRORS:
                self.add("cell-error-value", cell, path, value=cell.value.strip())
                ok = False
                continue
            texts[name] = clean_text(cell.value)
            quantity = parse_quantity(cell.value, cell.number_format)
            if quantity is not None:
                values[name] = quantity
        if row is not None:
            score_cell = row.get("score")
            typed = self.number(score_cell, path, "score-not-a-number")
            if score_cell is not None and not score_cell.blank and typed is None:
                ok = False
        else:
            score_cell = funds.get("score")
            typed = self.quiet_number(score_cell)
        if typed is not None and typed < 0:
            self.add("score-below-min", score_cell, path, score=typed, minimum=0)
            ok = False
        if typed is not None and points is not None and typed > points:
            self.add("score-above-max", score_cell, path, score=typed, points=points)
            ok = False
        if not ok or points is None:
            return None
        outcome = evaluate(rule, points, RuleInputs(values, texts, typed), places)
        first_missing = next((cells[n] for n in rule_inputs(rule) if n in cells and n not in texts), None)
        where = first_missing or score_cell or label_cell
        if outcome.problem is not None:
            culprit = cells.get(outcome.culprit) if outcome.culprit else None
            self.add("rule-input-invalid", culprit or where, path, problem=outcome.problem)
            return None
        if outcome.score is None:
            names = "、".join(outcome.missing)
            if typed is None or "自评得分" in outcome.missing:
                self.add("rule-input-missing", where, path, names=names)
                return None
            self.add("rule-input-incomplete", where, path, names=names, score=typed)
            score, explanation = typed, f"缺少{names}，按填写的自评得分 {typed} 计"
        else:
            score, explanation = outcome.score, outcome.explanation
            if outcome.chosen and not outcome.in_band:
                self.add("qualitative-score-out-of-band", score_cell, path, explanation=explanation)
                return None
            if outcome.level_unknown:
                self.add(
                    "qualitative-level-unknown", cells.get("actual"), path, value=texts.get("actual", "")
                )
            if not outcome.chosen and typed is not None and typed != quantize(score, places):
                self.add(
                    "rule-score-mismatch",
                    score_cell,
                    path,
                    typed=typed,
                    computed=quantize(score, places),
                    explanation=explanation,
                )
        reason = self.reason(entry)
        if row is not None and not reason:
            if outcome.shortfall:
                read = rule_inputs(rule)
                actual, target = (read[0], read[1]) if len(read) > 1 else (read[0], "target")
                self.add(
                    "shortfall-without-reason",
                    row.get("reason") or score_cell,
                    path,
                    actual_label=INPUT_LABELS[actual],
                    actual=texts.get(actual, "—"),
                    target_label=INPUT_LABELS[target],
                    target=texts.get(target, "—"),
                )
            elif score < points and "reason" in self.table.columns:
                self.add(
                    "deduction-without-reason", score_cell, path, score=quantize(score, places), points=points
                )
        if row is None:
            self.check_execution_rate(path, values)
        result = NodeInput(
            name=entry.name,
            points=points,
            score=score,
            from_sheet=entry.from_sheet,
            cell=score_cell.ref if score_cell else None,
            reason=reason,
            explanation=explanation,
        )
        self.inputs[entry.path] = result
        return result

    def check_execution_rate(self, path: tuple[str, ...], values: Mapping[str, Quantity]) -> None:
        """Compare the 执行率 the funds block states with 全年执行数 ÷ 全年预算数."""
        cell = self.funds.get("execution_rate")
        found = self.quiet_number(cell, percent=True)
        budget, spent = values.get("budget"), values.get("spent")
        if cell is None or found is None or budget is None or spent is None or budget.value <= 0:
            return
        exact = spent.value / budget.value * 100
        if quantize(exact, decimals_of(found)) != found:
            self.add(
                "reported-execution-rate-mismatch",
                cell,
                path,
                found=found,
                expected=format(quantize(exact, self.fw.precision), "f"),
            )

    def build_bonus(self, entry: _Entry) -> NodeInput | None:
        assert entry.node is not None and entry.node.bonus is not None
        limits = entry.node.bonus
        children = _unique(entry.children)
        inputs: list[NodeInput] = []
        score = ZERO
        cell = entry.row.get("score") if entry.row else None
        if children:
            for child in children:
                c_cell = child.row.get("score") if child.row else None
                value = self.number(c_cell, child.path, "score-not-a-number")
                value = value if value is not None else ZERO
                score += value
                inputs.append(
                    NodeInput(
                        child.name,
                        None,
                        value,
                        from_sheet=True,
                        cell=c_cell.ref if c_cell else None,
                        reason=self.reason(child),
                        is_bonus=True,
                    )
                )
            self.note_reported(entry)
        elif entry.row is not None:
            value = self.number(cell, entry.path, "score-not-a-number")
            score = value if value is not None else ZERO
        if not limits.minimum <= score <= limits.maximum:
            self.add(
                "bonus-out-of-range",
                cell,
                entry.path,
                score=score,
                minimum=limits.minimum,
                maximum=limits.maximum,
            )
            return None
        result = NodeInput(
            name=entry.name,
            points=None,
            score=None if inputs else score,
            children=tuple(inputs),
            is_bonus=True,
            cell=cell.ref if cell else None,
            reason=self.reason(entry),
        )
        self.inputs[entry.path] = result
        return result

    def note_reported(self, entry: _Entry) -> None:
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

    def cell_ref(self, entry: _Entry) -> str | None:
        if entry.row is None:
            return None
        cell = entry.row.get("score")
        return cell.ref if cell else None

    def reason(self, entry: _Entry) -> str | None:
        cell = entry.row.get("reason") if entry.row else None
        text = clean_text(cell.value) if cell is not None else ""
        return text or None


def match(table: SheetTable, framework: Framework) -> Match:
    """Match a sheet's rows to a framework; the tree is None when any error was found."""
    m = _Matcher(table, framework)
    m.place_rows()
    tree = m.build_all()
    m.note_totals()
    if any(f.is_error for f in m.findings):
        tree = None
    return Match(tree, m.findings, m.reported, m.inputs)
