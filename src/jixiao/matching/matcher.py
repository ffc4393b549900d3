"""Match the rows of a sheet to a framework's indicator tree.

Rows are matched by indicator name after normalising (full-width forms, spaces, ordinals, a
weight inside the label). Below a node that lets the sheet define its children, unknown names
become department-defined indicators with the 分值 written in the sheet. Everything that does
not fit becomes a finding; nothing stops at the first problem.

The parts: :mod:`.cells` (reading cells), :mod:`.place` (rows → entries), :mod:`.rule_leaves`
(indicators scored by a rule); this module builds the tree from the placed entries.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao import findings as F
from jixiao.framework.models import ChildrenFromSheet, Framework
from jixiao.framework.rule_models import INPUT_LABELS, rule_inputs
from jixiao.matching.cells import NamedFunds
from jixiao.matching.place import Placing
from jixiao.matching.rule_leaves import RuleLeaves
from jixiao.matching.tree import ZERO, Entry, Match, NodeInput, Reported, reads_funds, unique
from jixiao.read.table import SheetCell, SheetTable
from jixiao.values import (
    decimals_of,
)


class _Matcher(Placing, RuleLeaves):
    # -- entries → inputs -------------------------------------------------------------------
    def build_all(self) -> list[NodeInput] | None:
        built = [self.build(e) for e in unique(self.root.children)]
        if any(b is None for b in built):
            return None
        return [b for b in built if b is not None]

    def build(self, entry: Entry) -> NodeInput | None:
        node = entry.node
        if node is not None and node.is_bonus:
            return self.build_bonus(entry)
        if not entry.has_rows():
            if node is not None and node.rule is not None and self.funds_only(node.rule):
                return self.build_rule_leaf(entry, node.rule)
            if node is not None and node.rule is not None and reads_funds(node.rule):
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
            c for c in unique(entry.children) if c.has_rows() or c.node is None or not c.node.optional
        ]
        if children:
            inherited = node.children_rule if node is not None else self.inherited.get(entry.path)
            for c in children:
                if c.from_sheet and inherited is not None:
                    self.inherited[c.path] = inherited
            return self.build_parent(entry, children)
        return self.build_leaf(entry)

    def build_parent(self, entry: Entry, children: list[Entry]) -> NodeInput | None:
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
        scale = node.children_scale if node is not None else None
        if points is None:
            points = total
        elif scale is not None:
            if total != scale:
                where = pcell or (entry.label[1] if entry.label else None)
                self.add("children-points-sum", where, entry.path, found=total, expected=scale)
                return None
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
            scale=scale,
        )
        self.inputs[entry.path] = result
        return result

    def build_leaf(self, entry: Entry) -> NodeInput | None:
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

    def check_precision(self, score: Decimal, cell: SheetCell | None, path: tuple[str, ...]) -> None:
        """A 加减分 with more decimals than the framework's precision gets the same warning as a score."""
        if score != score.quantize(self.quantum) and decimals_of(score) > self.fw.precision:
            self.add("score-precision", cell, path, score=score, precision=self.fw.precision)

    def build_bonus(self, entry: Entry) -> NodeInput | None:
        assert entry.node is not None and entry.node.bonus is not None
        limits = entry.node.bonus
        children = unique(entry.children)
        inputs: list[NodeInput] = []
        score = ZERO
        cell = entry.row.get("score") if entry.row else None
        if children:
            for child in children:
                c_cell = child.row.get("score") if child.row else None
                value = self.number(c_cell, child.path, "score-not-a-number")
                value = value if value is not None else ZERO
                self.check_precision(value, c_cell, child.path)
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
            self.check_precision(score, cell, entry.path)
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


def match(table: SheetTable, framework: Framework, *, named_funds: NamedFunds | None = None) -> Match:
    """Match a sheet's rows to a framework; the tree is None when any error was found.

    ``named_funds`` reads funds figures from the workbook's defined names when a rule needs them
    and the sheet has no funds block (the pipeline passes :func:`jixiao.read.named_cells.named_funds`).
    """
    m = _Matcher(table, framework, named_funds)
    m.place_rows()
    tree = m.build_all()
    m.note_totals()
    if any(f.is_error for f in m.findings):
        tree = None
    return Match(tree, m.findings, m.reported, m.inputs)
