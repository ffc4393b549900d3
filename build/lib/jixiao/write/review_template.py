"""The review worksheet of ``jixiao review --template``: a department's sheet, ready to re-score.

Built from the department's scored sheet: the hierarchy with 分值, the self scores (自评得分) and
reasons (扣分原因) shown read-only (the sheet is protected; only the reviewer's cells are
unlocked), an input column 复核得分 validated to 0..分值 (the limits for 加减分), a 复核意见
column, and live formulas for the subtotals and the 合计 under both scores, the difference
(差额) and both grades. ``jixiao review`` reads the filled worksheet back as a one-sheet review;
its formulas compute the same figures as jixiao (checked with LibreOffice in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.framework.models import Framework
from jixiao.reviewing.compare import finance_paths, is_finance
from jixiao.scoring.evaluation import Evaluation
from jixiao.scoring.result import NodeResult
from jixiao.values import plain
from jixiao.write import xlsx
from jixiao.write.files import write_atomically
from jixiao.write.review import HIGHER_FILL, LOWER_FILL, SIGNED_FORMAT

LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
HEADER_ROW = 3
UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class _Cols:
    depth: int
    reason: bool  # whether the department's sheet has a 扣分原因 column to show

    @property
    def points(self) -> int:
        return self.depth + 1

    @property
    def self_score(self) -> int:
        return self.depth + 2

    @property
    def self_reason(self) -> int | None:
        return self.depth + 3 if self.reason else None

    @property
    def review(self) -> int:
        return self.depth + 3 + self.reason

    @property
    def review_reason(self) -> int:
        return self.review + 1

    @property
    def delta(self) -> int:
        return self.review + 2

    @property
    def how(self) -> int:
        return self.review + 3


def write_review_template(ev: Evaluation, out: Path) -> None:
    """Write the review worksheet for a scored department sheet to ``out`` (atomically)."""
    wb = build_review_template(ev)
    write_atomically(out, wb.save)


def build_review_template(ev: Evaluation) -> Workbook:
    """The review worksheet in memory; the evaluation must have a result."""
    assert ev.result is not None
    fw = ev.framework.framework
    result = ev.result
    depth = max(n.level for n in result.walk())
    c = _Cols(depth, "reason" in ev.table.columns)
    wb = Workbook()
    ws = wb.active
    ws.title = "复核表"
    unit = ev.table.unit_name or ev.source.path.stem
    xlsx.title_row(ws, 1, f"{unit} 绩效自评复核表", c.how)
    xlsx.text(ws, 2, 1, f"单位名称：{unit}", border=False, wrap=False)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=min(4, c.how))
    titles = [
        *LEVEL_NAMES[:depth],
        "分值",
        "自评得分",
        *(["扣分原因"] if c.reason else []),
        "复核得分",
        "复核意见",
        "差额",
        "赋分方式",
    ]
    xlsx.header_row(ws, HEADER_ROW, titles)
    ws.row_dimensions[HEADER_ROW].height = 24
    writer = _Writer(ws, fw, c, finance_paths(fw))
    top_rows: list[int] = []
    bonus_row: int | None = None
    for node in result.indicators:
        row = writer.emit(node)
        if node.is_bonus:
            bonus_row = row
        else:
            top_rows.append(row)
    total_row = writer.row
    _totals(ws, fw, c, total_row, top_rows, bonus_row)
    first, last = HEADER_ROW + 1, total_row
    delta = get_column_letter(c.delta)
    area = f"{delta}{first}:{delta}{last}"
    ws.conditional_formatting.add(area, CellIsRule(operator="lessThan", formula=["0"], fill=LOWER_FILL))
    ws.conditional_formatting.add(area, CellIsRule(operator="greaterThan", formula=["0"], fill=HIGHER_FILL))
    for dv in writer.validations:
        ws.add_data_validation(dv)
    # Protection keeps the department's figures and jixiao's formulas from being typed over;
    # only the reviewer's cells are unlocked. No password: it guards against slips, not people.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    xlsx.widths(ws, [14.0] * depth + [8, 10, *([30] if c.reason else []), 10, 30, 9, 10])
    xlsx.print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}", landscape=True)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=depth + 1)
    _notes(wb, ev)
    return wb


class _Writer:
    def __init__(self, ws: Any, fw: Framework, cols: _Cols, finance: set[tuple[str, ...]]):
        self.ws, self.fw, self.c, self.finance = ws, fw, cols, finance
        self.row = HEADER_ROW + 1
        self.validations: list[DataValidation] = []

    def ref(self, col: int, row: int) -> str:
        return f"{get_column_letter(col)}{row}"

    def emit(self, node: NodeResult) -> int:
        ws, c = self.ws, self.c
        row = self.row
        self.row += 1
        bold = not node.is_leaf
        for lc in range(1, c.depth + 1):
            xlsx.text(ws, row, lc, node.name if lc == node.level else None, bold=bold)
        if node.points is None:
            limits = self._bonus_limits(node)
            xlsx.text(ws, row, c.points, limits, align="center")
        else:
            xlsx.number(ws, row, c.points, node.points, xlsx.POINTS_FORMAT, bold=bold)
        finance = is_finance(node.path, self.finance)
        xlsx.text(ws, row, c.how, "财政赋分" if finance else "单位自评", align="center")
        if node.children:
            rows = [self.emit(child) for child in node.children]
            self._subtotal(row, rows)
            ws.merge_cells(
                start_row=row, start_column=node.level, end_row=self.row - 1, end_column=node.level
            )
            cell = ws.cell(row=row, column=node.level)
            cell.alignment = xlsx.TOP_LEFT
        else:
            self._leaf(node, row)
        return row

    def _bonus_limits(self, node: NodeResult) -> str:
        top = next((n for n in self.fw.indicators if n.name == node.path[0]), None)
        if top is None or top.bonus is None:
            return "—"
        return f"{plain(top.bonus.minimum)}～{plain(top.bonus.maximum)}"

    def _leaf(self, node: NodeResult, row: int) -> None:
        ws, c = self.ws, self.c
        xlsx.number(ws, row, c.self_score, node.score)
        if c.self_reason:
            xlsx.text(ws, row, c.self_reason, node.reason)
        review = xlsx.number(ws, row, c.review, None, fill=xlsx.INPUT_FILL)
        review.protection = UNLOCKED
        opinion = xlsx.text(ws, row, c.review_reason, None, fill=xlsx.INPUT_FILL)
        opinion.protection = UNLOCKED
        _delta(ws, row, c, self.fw.precision)
        r = self.ref(c.review, row)
        if node.points is None:
            top = next(n for n in self.fw.indicators if n.name == node.path[0])
            assert top.bonus is not None
            low, high = top.bonus.minimum, top.bonus.maximum
        else:
            low, high = Decimal(0), node.points
        dv = DataValidation(
            type="decimal", operator="between", formula1=plain(low), formula2=plain(high), allow_blank=True
        )
        dv.error = f"复核得分应为 {plain(low)} 到 {plain(high)} 之间的数字"
        dv.errorTitle = "复核得分"
        dv.prompt = f"填写 {plain(low)} 到 {plain(high)} 之间的数字；低于自评得分时请填写复核意见"
        dv.promptTitle = "复核得分"
        dv.showErrorMessage = dv.showInputMessage = True
        dv.add(r)
        self.validations.append(dv)

    def _subtotal(self, row: int, child_rows: list[int]) -> None:
        ws, c = self.ws, self.c
        selfs = ",".join(self.ref(c.self_score, r) for r in child_rows)
        reviews = ",".join(self.ref(c.review, r) for r in child_rows)
        xlsx.formula(ws, row, c.self_score, f"=SUM({selfs})", bold=True)
        # A subtotal of the review shows only once every indicator below is re-scored.
        xlsx.formula(
            ws, row, c.review, f'=IF(COUNT({reviews})<{len(child_rows)},"",SUM({reviews}))', bold=True
        )
        if c.self_reason:
            xlsx.text(ws, row, c.self_reason, None)
        xlsx.text(ws, row, c.review_reason, None)
        _delta(ws, row, c, self.fw.precision, bold=True)


def _totals(ws: Any, fw: Framework, c: _Cols, row: int, top_rows: list[int], bonus_row: int | None) -> None:
    ref = lambda col, r: f"{get_column_letter(col)}{r}"  # noqa: E731
    fill = xlsx.TOTAL_FILL
    xlsx.text(ws, row, 1, "合计", bold=True, fill=fill, align="center")
    for lc in range(2, c.depth + 1):
        xlsx.text(ws, row, lc, None, fill=fill)
    if c.depth > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=c.depth)
    xlsx.number(ws, row, c.points, fw.total_points, xlsx.POINTS_FORMAT, bold=True, fill=fill)

    def total(col: int) -> str:
        raw = "+".join(ref(col, r) for r in top_rows)
        if bonus_row is not None:
            raw += f"+N({ref(col, bonus_row)})"
        return f"ROUND(MIN({fw.max_total},MAX(0,{raw})),{fw.precision})"

    xlsx.formula(ws, row, c.self_score, f"={total(c.self_score)}", bold=True, fill=fill)
    reviews = ",".join(ref(c.review, r) for r in top_rows)
    xlsx.formula(
        ws, row, c.review, f'=IF(COUNT({reviews})<{len(top_rows)},"",{total(c.review)})', bold=True, fill=fill
    )
    r, s = ref(c.review, row), ref(c.self_score, row)
    _delta(ws, row, c, fw.precision, bold=True, fill=fill)
    for col in (c.self_reason, c.review_reason, c.how):
        if col:
            xlsx.text(ws, row, col, None, fill=fill)
    grade_row = row + 1
    xlsx.text(ws, grade_row, 1, "等级", bold=True, align="center")
    for lc in range(2, c.depth + 1):
        xlsx.text(ws, grade_row, lc, None)
    if c.depth > 1:
        ws.merge_cells(start_row=grade_row, start_column=1, end_row=grade_row, end_column=c.depth)
    # Both grades sit in one text cell so that a filled worksheet reads back cleanly.
    mine = f'"自评等级："&{_grade_expr(fw, s)}'
    theirs = f'"；复核等级："&{_grade_expr(fw, r)}'
    xlsx.formula(
        ws,
        grade_row,
        c.review_reason,
        f'=IF({r}="",{mine},{mine}&{theirs})',
        "General",
        bold=True,
        align="center",
    )
    for col in (c.points, c.self_score, c.self_reason, c.review, c.delta, c.how):
        if col:
            xlsx.text(ws, grade_row, col, None)


def _delta(ws: Any, row: int, c: _Cols, precision: int, **style: Any) -> None:
    """差额 = 复核得分 − 自评得分, blank until the review score is there."""
    r = f"{get_column_letter(c.review)}{row}"
    s = f"{get_column_letter(c.self_score)}{row}"
    xlsx.formula(ws, row, c.delta, f'=IF({r}="","",ROUND({r}-{s},{precision}))', SIGNED_FORMAT, **style)


def _grade_expr(fw: Framework, total: str) -> str:
    bands = sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
    expr = f'"{bands[-1].label}"'
    for band in reversed(bands[:-1]):
        expr = f'IF({total}>={plain(band.minimum)},"{band.label}",{expr})'
    return expr


def _notes(wb: Workbook, ev: Evaluation) -> None:
    fw = ev.framework.framework
    ws = wb.create_sheet("填表说明")
    lines = [
        f"自评表：{ev.source.path.name}（工作表“{ev.source.sheet}”，SHA-256 {ev.source.sha256}）",
        f"评价框架：{fw.title}（{fw.id}，版本 {fw.version}）",
        "黄色单元格为复核填写项：复核得分、复核意见。自评得分和扣分原因取自单位自评表，不可修改。",
        "复核得分低于自评得分时请填写复核意见。“赋分方式”为财政赋分的指标以财政评分为准。",
        "小计、合计、差额和等级由公式自动计算；全部指标复核后才显示复核合计。",
        "填写完成后用 jixiao review 本文件 -o 复核结果.xlsx 生成复核对比表。",
    ]
    for i, line in enumerate(lines, start=1):
        xlsx.text(ws, i, 1, line, border=False)
    xlsx.widths(ws, [110])
