"""Build the report's scoring section as a neutral :class:`~jixiao.report.model.Document`.

Input is the calculator's :class:`~jixiao.scoring.result.ScoreResult` (the self-evaluation) and,
when a review exists, a second result for the same indicators (复核/最终得分): the builder then
puts both side by side and lists every difference with the reviewer's reason. Every figure in
the document is one of the calculator's rounded Decimals (or a 分值 from the framework/sheet),
formatted by :mod:`jixiao.report.numbers`; nothing is computed or rounded here except the
exact differences 分值 − 得分 (扣分) and 复核 − 自评 (差异) of already rounded figures.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao.report.charts import PairItem, RateItem, pair_chart, rate_chart
from jixiao.report.model import Block, Cell, Document, Figure, Heading, Paragraph, Table
from jixiao.report.numbers import figure
from jixiao.report.wording import Templates
from jixiao.scoring.result import NodeResult, ScoreResult
from jixiao.values import HUNDRED
from jixiao.write.chart_kind import chart_kind

if TYPE_CHECKING:
    from jixiao.scoring.evaluation import Evaluation

PATH_SEPARATOR = "／"


@dataclass(frozen=True)
class ReportInput:
    """What the report is about: the self scores, optional final (review) scores, the unit.

    ``final_reasons`` maps an indicator path to the reviewer's reason (复核意见); without it the
    final result's own ``reason`` is used. A review comparison (issue 3) maps onto this as
    ``ReportInput(c.self_result, c.final_result, unit, {ln.path: ln.review_reason ...})``.
    """

    self_result: ScoreResult
    final_result: ScoreResult | None = None
    unit: str | None = None
    final_reasons: Mapping[tuple[str, ...], str] | None = None
    finance: frozenset[tuple[str, ...]] = frozenset()  # finance-scored (财政赋分) indicators
    kind: str = "部门整体支出"  # the framework's kind: 部门整体支出 or 项目支出
    from_sheet: bool = False  # the tree came from the sheet itself (no framework file)
    grades_assumed: bool = False  # the grade bands are assumed (财预〔2020〕10号), not the sheet's


def report_input(ev: Evaluation) -> ReportInput:
    """What the report needs from an evaluation (scored, so ``ev.result`` is set)."""
    assert ev.result is not None
    tree = ev.sheet_tree
    return ReportInput(
        ev.result,
        unit=ev.table.unit_name,
        kind=ev.framework.framework.kind,
        from_sheet=tree is not None,
        grades_assumed=tree is not None and tree.assumed_grades,
    )


def build_report(data: ReportInput | ScoreResult, templates: Templates, *, chart: bool = True) -> Document:
    """The scoring section: totals sentence, summary table, chart, one paragraph per 一级指标,
    the indicators that lost points (or, with a review, the differences)."""
    if isinstance(data, ScoreResult):
        data = ReportInput(data)
    return _Builder(data, templates, chart).document()


class _Builder:
    def __init__(self, data: ReportInput, templates: Templates, chart: bool):
        self.data = data
        self.t = templates
        self.r = data.self_result
        self.final = data.final_result
        self.places = self.r.precision
        self.chart = chart
        self.final_nodes = {n.path: n for n in self.final.walk()} if self.final else {}

    # -- formatting -------------------------------------------------------------------------
    def num(self, value: Decimal | None) -> str:
        return figure(value, self.t.text_numbers, self.places)

    def cell(self, value: Decimal | None, bold: bool = False) -> Cell:
        return Cell(figure(value, self.t.table_numbers, self.places), "number", bold=bold)

    def common(self) -> dict[str, str]:
        shown = self.final or self.r
        kind = self.data.kind
        project = "项目" in kind
        return {
            "unit": self.data.unit or "",
            "kind": kind,
            "scope": "项目" if project else "部门整体",
            "subject": "本项目" if project else "本部门",
            "max": self.num(shown.max),
            "total": self.num(shown.total),
            "grade": shown.grade or "—",
            "bonus": self.num(shown.bonus if shown.bonus is not None else Decimal(0)),
            "self_total": self.num(self.r.total),
            "self_grade": self.r.grade or "—",
            "final_total": self.num(self.final.total) if self.final else "",
            "final_grade": (self.final.grade or "—") if self.final else "",
            "self_score": "",
            "final_score": "",
        }

    def say(self, key: str, **extra: str) -> str:
        return self.t.say(key, **{**self.common(), **extra})

    # -- the document -------------------------------------------------------------------------
    def document(self) -> Document:
        title = self.say("title" if self.data.unit else "title_without_unit")
        blocks: list[Block] = [*self.totals(), Paragraph(self.say("table_intro")), self.summary()]
        blocks += self.figure()
        blocks.append(Heading(self.say("first_level_heading"), 2))
        blocks += self.first_levels()
        blocks += self.differences() if self.final else self.lost()
        return Document(title=title, blocks=tuple(blocks), fonts=self.t.fonts)

    def totals(self) -> Iterator[Block]:
        if self.final:
            yield Paragraph(self.say("review_total"), role="total")
            if (self.final.grade or "") != (self.r.grade or ""):
                yield Paragraph(self.say("review_grade_changed"), role="total")
        else:
            key = "total_with_bonus" if self.r.bonus is not None else "total"
            yield Paragraph(self.say(key), role="total")
        if (self.final or self.r).capped:
            yield Paragraph(self.say("capped"), role="note")
        if self.data.from_sheet:
            # a circulated report says what the scores rest on: the sheet's own tree and bands
            yield Paragraph(self.say("basis_sheet"), role="note")
            if self.data.grades_assumed:
                yield Paragraph(self.say("basis_grades_assumed"), role="note")
            if self.r.max != HUNDRED:
                yield Paragraph(self.say("basis_scale"), role="note")

    def summary(self) -> Table:
        c = self.t.columns
        header = [c["first"], c["second"], c["points"], c["self"]]
        if self.final:
            header += [c["review"], c["delta"], c["final_rate"]]
        else:
            header.append(c["rate"])
        shown = self.final or self.r
        total_row = [
            Cell(c["total"], "label", bold=True, colspan=2),
            Cell("", covered=True),
            self.cell(self.r.max, True),
            self.cell(self.r.total, True),
        ]
        if self.final:
            total_row += [
                self.cell(self.final.total, True),
                self.cell(self.final.total - self.r.total, True),
            ]
        total_row.append(self.cell(shown.rate, True))
        rows: list[tuple[Cell, ...]] = [tuple(total_row)]
        for first in self.r.indicators:
            seconds: list[NodeResult | None] = list(first.children) or [None]
            for k, second in enumerate(seconds):
                node = second or first
                name = (
                    Cell(first.name, "label", rowspan=len(seconds))
                    if k == 0
                    else Cell(first.name, "label", covered=True)
                )
                row = [
                    name,
                    Cell(second.name if second else ""),
                    self.cell(node.points),
                    self.cell(node.score),
                ]
                if self.final:
                    other = self.final_nodes.get(node.path)
                    row += [
                        self.cell(other.score if other else None),
                        self.cell(other.score - node.score if other else None),
                        self.cell(other.rate if other else None),
                    ]
                else:
                    row.append(self.cell(node.rate))
                rows.append(tuple(row))
        widths = (1.3, 1.6, 0.8, 1.0, 1.0) if not self.final else (1.2, 1.5, 0.7, 0.9, 0.9, 0.8, 1.1)
        return Table(self.say("table_caption"), tuple(header), tuple(rows), widths, "summary")

    def figure(self) -> Iterator[Block]:
        if not self.chart:
            return
        shown = self.final or self.r
        seconds = [n for f in shown.indicators if not f.is_bonus for n in f.children]
        nodes = seconds or [f for f in shown.indicators if not f.is_bonus]
        items = [RateItem(n.name, n.rate) for n in nodes if n.rate is not None]
        key = "chart_caption" if seconds else "chart_caption_first_level"
        caption = self.say(f"review_{key}" if self.final else key)
        png = rate_chart(items, chart_kind(len(items)))
        if png is not None:
            alt = "；".join(f"{i.name} {self.num(i.rate)}%" for i in items)
            yield Figure(png, caption, alt, 12.0 if chart_kind(len(items)) == "radar" else 14.0)
        if self.final:
            yield from self.pair_figure(nodes, key)

    def pair_figure(self, nodes: list[NodeResult], key: str) -> Iterator[Block]:
        """Bars of 自评 and 复核 得分率 side by side, for the same indicators as the first chart."""
        own = {n.path: n for n in self.r.walk()}
        items = []
        for n in nodes:
            mine = own[n.path].rate if n.path in own else None
            if mine is not None and n.rate is not None:
                items.append(PairItem(n.name, mine, n.rate))
        png = pair_chart(items)
        if png is not None:
            alt = "；".join(
                f"{i.name} 自评 {self.num(i.self_rate)}%、复核 {self.num(i.review_rate)}%" for i in items
            )
            yield Figure(png, self.say(f"review_pair_{key}"), alt, 14.0)

    def first_levels(self) -> Iterator[Block]:
        for k, node in enumerate(self.r.indicators, start=1):
            values = {
                "ordinal": self.t.ordinal(k),
                "name": node.name,
                "points": self.num(node.points),
                "score": self.num(node.score),
                "rate": self.num(node.rate),
            }
            if node.is_bonus:
                other = self.final_nodes.get(node.path) if self.final else None
                values["score"] = self.num((other or node).score)
                yield Paragraph(self.say("first_level_bonus", **values), role="first-level")
            elif self.final:
                other = self.final_nodes.get(node.path)
                values.update(
                    self_score=self.num(node.score),
                    final_score=self.num(other.score if other else None),
                    rate=self.num(other.rate if other else None),
                )
                yield Paragraph(self.say("review_first_level", **values), role="first-level")
            else:
                yield Paragraph(self.say("first_level", **values), role="first-level")

    def lost(self) -> Iterator[Block]:
        yield Heading(self.say("lost_heading"), 2)
        nodes = [n for n in self.r.walk() if n.is_leaf and n.points is not None and n.lost > 0]
        if not nodes:
            yield Paragraph(self.say("lost_none"))
            return
        yield Paragraph(self.say("lost_intro"))
        c = self.t.columns
        rows = tuple(
            (
                Cell(PATH_SEPARATOR.join(n.path)),
                self.cell(n.points),
                self.cell(n.score),
                self.cell(n.lost),
                Cell(n.reason or self.say("no_reason")),
            )
            for n in nodes
        )
        header = (c["indicator"], c["points"], c["self"], c["lost"], c["reason"])
        yield Table(self.say("lost_caption"), header, rows, (2.2, 0.7, 0.9, 0.7, 2.6), "lost")

    def final_reason(self, path: tuple[str, ...], node: NodeResult | None) -> str | None:
        reasons = self.data.final_reasons
        reason = reasons.get(path) if reasons is not None else (node.reason if node else None)
        if reason is None and path in self.data.finance:
            return self.say("finance_reason")
        return reason

    def differences(self) -> Iterator[Block]:
        assert self.final is not None
        yield Heading(self.say("review_heading"), 2)
        pairs = [(n, self.final_nodes.get(n.path)) for n in self.r.walk() if n.is_leaf]
        changed = [(n, o) for n, o in pairs if o is None or o.score != n.score]
        if not changed:
            yield Paragraph(self.say("review_none"))
            return
        yield Paragraph(self.say("review_intro"))
        c = self.t.columns
        rows = tuple(
            (
                Cell(PATH_SEPARATOR.join(n.path)),
                self.cell(n.points),
                self.cell(n.score),
                self.cell(o.score if o else None),
                self.cell(o.score - n.score if o else None),
                Cell(self.final_reason(n.path, o) or self.say("no_reason")),
            )
            for n, o in changed
        )
        header = (
            c["indicator"],
            c["points"],
            c["self"],
            c["review"],
            c["delta"],
            c["review_reason"],
        )
        yield Table(self.say("review_caption"), header, rows, (2.0, 0.7, 0.9, 0.9, 0.7, 2.4), "differences")
