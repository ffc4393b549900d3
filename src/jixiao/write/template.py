"""The fillable self-assessment worksheet of ``jixiao template``.

The hierarchy with merged level cells, 分值, input cells for 自评得分 (validated to 0..分值) and
扣分原因, live formulas for every subtotal, 得分率, the 合计 and the 等级, and print settings.
A filled worksheet scores with jixiao without findings; its formulas compute the same figures
as jixiao (checked with LibreOffice in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.framework.models import Framework, Indicator
from jixiao.values import plain
from jixiao.write import xlsx
from jixiao.write.files import write_atomically

LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
ALERT_FILL = PatternFill("solid", fgColor="F8CBAD")


@dataclass(frozen=True)
class _Cols:
    depth: int
    explanation: int | None
    criteria: int | None
    points: int
    score: int
    rate: int
    reason: int
    actual: int | None = None  # 实际完成值, when some indicator is scored by a 计分规则

    @property
    def width(self) -> int:
        return self.reason


def write_template(framework: Framework, out: Path) -> None:
    """Write the worksheet for ``framework`` to ``out`` (atomically)."""
    wb = build_template(framework)
    write_atomically(out, wb.save)


def _depth(nodes: list[Indicator]) -> int:
    return max((1 + _depth(n.children) if n.children else 1 for n in nodes), default=0)


def build_template(fw: Framework) -> Workbook:
    """The worksheet in memory."""
    if fw.form == "project":  # the 项目支出绩效自评表 has its own layout
        from jixiao.write.project_template import build_project_template

        return build_project_template(fw)
    nodes = [n for _, n in fw.walk()]
    depth = _depth(fw.indicators)
    col = depth + 1
    explanation = col if any(n.explanation for n in nodes) else None
    col += explanation is not None
    criteria = col if any(n.criteria for n in nodes) else None
    col += criteria is not None
    actual = col if any(n.rule is not None and not n.children for n in nodes) else None
    col += actual is not None
    cols = _Cols(depth, explanation, criteria, col, col + 1, col + 2, col + 3, actual)

    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    xlsx.title_row(ws, 1, f"{fw.title} 自评表", cols.width)
    xlsx.text(ws, 2, 1, "单位名称：", bold=True, border=False)
    xlsx.text(ws, 2, 2, None, fill=xlsx.INPUT_FILL)
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=min(4, cols.width))
    titles = [*LEVEL_NAMES[:depth]]
    if explanation:
        titles.append("指标解释")
    if criteria:
        titles.append("评分标准")
    if actual:
        titles.append("实际完成值")
    titles += ["分值", "自评得分", "得分率（%）", "扣分原因"]
    xlsx.header_row(ws, 3, titles)

    writer = _Writer(ws, fw, cols)
    weighted_rows: list[int] = []
    bonus_row: int | None = None
    for node in fw.indicators:
        row = writer.emit(node, 1)
        if node.is_bonus:
            bonus_row = row
        else:
            weighted_rows.append(row)
    _total_rows(ws, fw, cols, writer.row, weighted_rows, bonus_row, writer.input_rows)
    widths = [
        xlsx.fit_width([n.name for p, n in fw.walk() if len(p) == level], 12, 30)
        for level in range(1, depth + 1)
    ]
    if explanation:
        widths.append(30)
    if criteria:
        widths.append(36)
    if actual:
        widths.append(14)
    widths += [8, 10, 11, 36]
    xlsx.widths(ws, widths)
    xlsx.print_setup(ws, "3:3", landscape=True)
    ws.freeze_panes = ws.cell(row=4, column=depth + 1)
    for dv in writer.validations:
        ws.add_data_validation(dv)
    _notes(wb, fw)
    return wb


class _Writer:
    def __init__(self, ws: Any, fw: Framework, cols: _Cols):
        self.ws, self.fw, self.cols = ws, fw, cols
        self.row = 4
        self.validations: list[DataValidation] = []
        self.input_rows: list[int] = []

    def ref(self, col: int, row: int) -> str:
        return f"{get_column_letter(col)}{row}"

    def emit(self, node: Indicator, level: int) -> int:
        """Write a node (and its children); return its row."""
        ws, c = self.ws, self.cols
        row = self.row
        self.row += 1
        for lc in range(1, c.depth + 1):
            xlsx.text(ws, row, lc, node.name if lc == level else None, bold=bool(node.children))
        if c.explanation:
            xlsx.text(ws, row, c.explanation, node.explanation)
        if c.criteria:
            xlsx.text(ws, row, c.criteria, node.criteria)
        if c.actual:  # the raw datum a 计分规则 scores from
            ruled = node.rule is not None and not node.children
            xlsx.text(ws, row, c.actual, None, fill=xlsx.INPUT_FILL if ruled else None)
        xlsx.text(ws, row, c.reason, None, fill=xlsx.INPUT_FILL)
        if node.children:
            child_rows = [self.emit(child, level + 1) for child in node.children]
            self._subtotal(node, row, child_rows)
            for lc in range(level, level + 1):
                ws.merge_cells(start_row=row, start_column=lc, end_row=self.row - 1, end_column=lc)
                ws.cell(row=row, column=lc).alignment = xlsx.TOP_LEFT
        elif node.is_bonus:
            self._bonus(node, row)
        else:
            self._leaf(node, row)
        return row

    def _rate(self, row: int) -> None:
        c = self.cols
        p, s = self.ref(c.points, row), self.ref(c.score, row)
        expr = f'=IF(OR({s}="",N({p})=0),"",ROUND({s}/{p}*100,{self.fw.precision}))'
        xlsx.formula(self.ws, row, c.rate, expr)

    def _leaf(self, node: Indicator, row: int) -> None:
        ws, c = self.ws, self.cols
        p, s = self.ref(c.points, row), self.ref(c.score, row)
        if node.points is None:
            xlsx.number(ws, row, c.points, None, xlsx.POINTS_FORMAT, fill=xlsx.INPUT_FILL)
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            dv.error, dv.errorTitle = "分值应为不小于 0 的数字", "分值"
            dv.add(p)
            self.validations.append(dv)
            score_dv = DataValidation(
                type="custom", formula1=f"AND(ISNUMBER({s}),{s}>=0,{s}<={p})", allow_blank=True
            )
        else:
            xlsx.number(ws, row, c.points, node.points, xlsx.POINTS_FORMAT)
            score_dv = DataValidation(
                type="decimal", operator="between", formula1="0", formula2=str(node.points), allow_blank=True
            )
        score_dv.error = "自评得分应为 0 到分值之间的数字"
        score_dv.errorTitle = "自评得分"
        score_dv.prompt, score_dv.promptTitle = "填写 0 到分值之间的数字", "自评得分"
        score_dv.showErrorMessage = score_dv.showInputMessage = True
        score_dv.add(s)
        self.validations.append(score_dv)
        xlsx.number(ws, row, c.score, None, fill=xlsx.INPUT_FILL)
        self.input_rows.append(row)
        self._rate(row)

    def _bonus(self, node: Indicator, row: int) -> None:
        ws, c = self.ws, self.cols
        assert node.bonus is not None
        lo, hi = node.bonus.minimum, node.bonus.maximum
        xlsx.text(ws, row, c.points, f"{plain(lo)}～{plain(hi)}", align="center")
        dv = DataValidation(
            type="decimal", operator="between", formula1=str(lo), formula2=str(hi), allow_blank=True
        )
        dv.error = f"加减分应在 {plain(lo)} 到 {plain(hi)} 之间"
        dv.errorTitle = "加减分"
        dv.showErrorMessage = True
        dv.add(self.ref(c.score, row))
        self.validations.append(dv)
        xlsx.number(ws, row, c.score, None, fill=xlsx.INPUT_FILL)
        xlsx.text(ws, row, c.rate, None)

    def _subtotal(self, node: Indicator, row: int, child_rows: list[int]) -> None:
        ws, c = self.ws, self.cols
        sc = ",".join(self.ref(c.score, r) for r in child_rows)
        pc = ",".join(self.ref(c.points, r) for r in child_rows)
        if node.points is None:
            xlsx.formula(ws, row, c.points, f"=SUM({pc})", xlsx.POINTS_FORMAT, bold=True)
        else:
            xlsx.number(ws, row, c.points, node.points, xlsx.POINTS_FORMAT, bold=True)
            if any(child.points is None for child in node.children):
                # Department-defined 分值 below must add up to this fixed 分值: flag it live, but
                # only once every one of them is typed (a blank form shows no alarm).
                wrong = f"AND(COUNT({pc})={len(child_rows)},SUM({pc})<>{node.points})"
                ws.conditional_formatting.add(
                    self.ref(c.points, row), FormulaRule(formula=[wrong], fill=ALERT_FILL)
                )
        xlsx.formula(ws, row, c.score, f"=SUM({sc})", bold=True)
        self._rate(row)


def _total_rows(
    ws: Any,
    fw: Framework,
    c: _Cols,
    row: int,
    weighted: list[int],
    bonus_row: int | None,
    inputs: list[int],
) -> None:
    ref = lambda col, r: f"{get_column_letter(col)}{r}"  # noqa: E731
    xlsx.text(ws, row, 1, "合计", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    for lc in range(2, c.points):
        xlsx.text(ws, row, lc, None, fill=xlsx.TOTAL_FILL)
    if c.points > 2:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=c.points - 1)
    xlsx.number(ws, row, c.points, fw.total_points, xlsx.POINTS_FORMAT, bold=True, fill=xlsx.TOTAL_FILL)
    raw = "+".join(ref(c.score, r) for r in weighted)
    if bonus_row is not None:
        raw += f"+N({ref(c.score, bonus_row)})"
    total = f"=ROUND(MIN({fw.max_total},MAX(0,{raw})),{fw.precision})"
    xlsx.formula(ws, row, c.score, total, bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.formula(
        ws,
        row,
        c.rate,
        f"=ROUND({ref(c.score, row)}/{ref(c.points, row)}*100,{fw.precision})",
        bold=True,
        fill=xlsx.TOTAL_FILL,
    )
    xlsx.text(ws, row, c.reason, None, fill=xlsx.TOTAL_FILL)
    grade_row = row + 1
    xlsx.text(ws, grade_row, 1, "等级", bold=True, align="center")
    bands = sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
    expr = f'"{bands[-1].label}"'
    for band in reversed(bands[:-1]):
        expr = f'IF({ref(c.score, row)}>={band.minimum},"{band.label}",{expr})'
    # No grade until every 自评得分 is filled in: a half-filled sheet must not read as 差.
    filled = ",".join(ref(c.score, r) for r in inputs)
    expr = f'IF(COUNT({filled})<{len(inputs)},"（未填完）",{expr})'
    xlsx.formula(ws, grade_row, 2, f"={expr}", "General", bold=True, align="center")
    ws.merge_cells(start_row=grade_row, start_column=2, end_row=grade_row, end_column=c.width)
    for lc in range(3, c.width + 1):
        ws.cell(row=grade_row, column=lc).border = xlsx.BOX


def _notes(wb: Workbook, fw: Framework) -> None:
    ws = wb.create_sheet("填表说明")
    lines = [
        f"评价框架：{fw.title}（{fw.id}，版本 {fw.version}）",
        f"来源：{fw.source.document}",
        "黄色单元格为填写项：自评得分、扣分原因，以及由本单位确定分值的指标的分值。",
        "合计、小计、得分率和等级由公式自动计算；扣分的指标请填写扣分原因。",
        "框架允许时，可在二级指标下插入行填写本单位的三级指标（含分值），下级分值合计须等于上级分值。",
        "等级划分："
        + "；".join(
            f"{b.label} {plain(b.minimum)}–{plain(b.maximum)}"
            for b in sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
        ),
        "填写完成后可用 jixiao score 检查并计算结果。",
    ]
    for i, line in enumerate(lines, start=1):
        xlsx.text(ws, i, 1, line, border=False)
    xlsx.widths(ws, [100])
