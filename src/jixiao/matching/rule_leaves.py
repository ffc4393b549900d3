"""Indicators scored by a 计分规则: their inputs from the row or the funds block, the rule applied.

The funds block comes from the sheet; where a sheet has none, figures in Excel defined names
are read through the ``named_funds`` function the caller hands in (matching itself does no I/O).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jixiao.framework.rule_models import FUNDS_INPUTS, INPUT_LABELS, AnyRule, rule_inputs
from jixiao.matching.cells import MatcherBase
from jixiao.matching.tree import Entry, NodeInput, reads_funds
from jixiao.read.table import SheetCell, SheetTable
from jixiao.rules.evaluate import RuleInputs, evaluate
from jixiao.rules.quantity import Quantity, parse_quantity
from jixiao.values import (
    EXCEL_ERRORS,
    clean_text,
    decimals_of,
    nfkc,
    plain,
    quantize,
)


class RuleLeaves(MatcherBase):
    """Leaves whose score a rule computes, and the 执行率 the funds block states."""

    @property
    def funds(self) -> dict[str, SheetCell]:
        """The funds block of a 项目支出 sheet, else funds figures in named cells (read once)."""
        if self._funds is None:
            self._funds = dict(self.table.funds)
            if not self._funds and self.named_funds is not None and self.table.grid is not None:
                if self.table.named_funds is None:  # opens the workbook: once per table
                    self.table.named_funds = self.named_funds(self.table)
                self._funds = dict(self.table.named_funds)
        return self._funds

    _funds: dict[str, SheetCell] | None = None

    def funds_only(self, rule: AnyRule) -> bool:
        """True when a rule reads only the funds block and the sheet has one."""
        return bool(self.funds) and reads_funds(rule)

    def rule_for(self, entry: Entry) -> AnyRule | None:
        """The 计分规则 of an indicator: its own, or the one its parent states for sheet rows."""
        if entry.node is not None:
            return entry.node.rule
        return self.inherited.get(entry.path)

    # -- indicators scored by a 计分规则 ------------------------------------------------------
    def rule_cell(self, entry: Entry, name: str) -> SheetCell | None:
        """The cell of a rule input: the row's own, else (for funds figures) the funds block."""
        cell = entry.row.get(name) if entry.row else None
        if (cell is None or cell.blank) and name in FUNDS_INPUTS and name in self.funds:
            cell = self.funds[name]
        return cell

    def build_rule_leaf(self, entry: Entry, rule: AnyRule) -> NodeInput | None:
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
        if row is None and not self.funds_usable(path, values):
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

    def funds_usable(self, path: tuple[str, ...], values: Mapping[str, Quantity]) -> bool:
        """The funds block's slips: a total row left at 0 under filled 其中 rows, 0 ÷ 0, 执行数 > 预算数."""
        budget, spent = values.get("budget"), values.get("spent")
        zero = Decimal(0)
        if budget is not None and budget.value == zero and (spent is None or spent.value == zero):
            for label, cells in self.table.funds_parts:
                money = {k: self.quiet_number(cells.get(k)) for k in ("budget", "spent")}
                if any(v is not None and v > zero for v in money.values()):
                    first = self.funds.get("budget_initial") or self.funds["budget"]
                    last = self.funds.get("spent") or self.funds["budget"]
                    shown = [c.ref for c in cells.values() if not c.blank and c.col <= last.col]
                    self.add(
                        "funds-total-zero",
                        first,
                        path,
                        label=_funds_label(self.table, first),
                        part=label,
                        part_cells=f"{shown[0]}:{shown[-1]}" if len(shown) > 1 else "".join(shown),
                        budget=plain(money["budget"] or zero),
                        spent=plain(money["spent"] or zero),
                    )
                    break
            where = self.funds.get("execution_rate") or self.funds.get("score") or self.funds["budget"]
            self.add("execution-rate-undefined", where, path, spent=plain(spent.value if spent else zero))
            return False
        if budget is not None and spent is not None and spent.value > budget.value > zero:
            self.add(
                "spent-above-budget",
                self.funds.get("spent"),
                path,
                spent=spent.shown,
                budget=budget.shown,
            )
        return True

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


def _funds_label(table: SheetTable, cell: SheetCell) -> str:
    """The label of the funds total row (年度资金总额), read left of its figures."""
    grid = table.grid
    if grid is None:
        return "资金总额"
    texts = [clean_text(grid.value(cell.row, c)) for c in range(1, cell.col)]
    return next((t.rstrip(":：") for t in reversed(texts) if t), "资金总额")
