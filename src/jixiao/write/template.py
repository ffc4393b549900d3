"""The fillable self-assessment worksheet of ``jixiao template``.

The hierarchy with merged level cells, 分值, input cells for 自评得分 (validated to 0..分值) and
扣分原因, live formulas for every subtotal, 得分率, the 合计 and the 等级, and print settings.
A filled worksheet scores with jixiao without findings; its formulas compute the same figures
as jixiao (checked with LibreOffice in the tests).

Under an indicator whose lower levels the department may define (``children_from_sheet``), the
form has a 三级指标 column and blank rows for the department's own indicators. The indicator's
own 自评得分 stays a plain input, never a formula: a department scoring at that level types it;
one that fills 三级 rows may leave it blank. The parent's subtotal takes the 三级 sum when any
三级 score is filled and the typed score otherwise, over a range bounded by the indicator's row
and the next row (``INDEX(E:E,ROW(E5)+1):INDEX(E:E,ROW(E8)-1)``), so rows inserted anywhere in
the block (above the first blank row, between them, below the last) are counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.framework.models import ChildrenFromSheet, Framework, Indicator
from jixiao.values import plain
from jixiao.write import xlsx
from jixiao.write.files import write_atomically

LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
ALERT_FILL = PatternFill("solid", fgColor="F8CBAD")
# Blank rows left under an indicator whose 三级 indicators the department defines.
PLACEHOLDER_ROWS = 2
_CELL_REF = re.compile(r"(?<![A-Z$])([A-Z]{1,3})(\d+)(?![\d(])")


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


def _open(node: Indicator) -> bool:
    """A leaf under which the department may write its own lower-level indicators."""
    return not node.children and not node.is_bonus and node.children_from_sheet is not ChildrenFromSheet.NO


@dataclass(frozen=True)
class _Block:
    """An open indicator's row and the blank rows below it, up to (not including) ``end``."""

    row: int
    end: int

    def rows(self, letter: str) -> str:
        """The rows strictly between the indicator and the next row, as a growing range."""
        column = f"{letter}:{letter}"
        return f"INDEX({column},ROW({letter}{self.row})+1):INDEX({column},ROW({letter}{self.end})-1)"

    def effective(self, letter: str) -> str:
        """The 三级 sum when any is filled, else the indicator's own cell."""
        below = self.rows(letter)
        return f"IF(COUNT({below})>0,SUM({below}),N({letter}{self.row}))"

    def filled(self, letter: str) -> str:
        """1 when the indicator's own cell or any row below it holds a number."""
        return f"(COUNT({letter}{self.row},{self.rows(letter)})>0)"


def build_template(fw: Framework) -> Workbook:
    """The worksheet in memory."""
    if fw.form == "project":  # the 项目支出绩效自评表 has its own layout
        from jixiao.write.project_template import build_project_template

        return build_project_template(fw)
    nodes = [n for _, n in fw.walk()]
    depth = max([_depth(fw.indicators), *(len(p) + 1 for p, n in fw.walk() if _open(n))])
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
    _total_rows(ws, fw, cols, writer.row, weighted_rows, bonus_row, writer.input_rows, writer.blocks)
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
        self.blocks: dict[int, _Block] = {}  # open indicators by row

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
            self._subtotal(node, row, child_rows, level)
            for lc in range(level, level + 1):
                ws.merge_cells(start_row=row, start_column=lc, end_row=self.row - 1, end_column=lc)
                ws.cell(row=row, column=lc).alignment = xlsx.TOP_LEFT
        elif node.is_bonus:
            self._bonus(node, row)
        elif _open(node) and level < c.depth:
            self._open_leaf(node, row, level)
        else:
            self._leaf(node, row)
        return row

    def _open_leaf(self, node: Indicator, row: int, level: int) -> None:
        """Scored here, or by the department's own indicators in the blank rows below."""
        ws, c = self.ws, self.cols
        self._leaf(node, row, open_below=True)
        first = self.row
        for r in range(first, first + PLACEHOLDER_ROWS):
            for lc in range(1, c.depth + 1):
                xlsx.text(ws, r, lc, None, fill=xlsx.INPUT_FILL if lc == level + 1 else None)
            for extra in (c.explanation, c.criteria, c.actual):
                if extra:
                    xlsx.text(ws, r, extra, None)
            xlsx.number(ws, r, c.points, None, xlsx.POINTS_FORMAT, fill=xlsx.INPUT_FILL)
            xlsx.number(ws, r, c.score, None, fill=xlsx.INPUT_FILL)
            self._rate(r)
            xlsx.text(ws, r, c.reason, None, fill=xlsx.INPUT_FILL)
        self.row = last = first + PLACEHOLDER_ROWS - 1
        self.row += 1
        block = self.blocks[row] = _Block(row, self.row)
        ps, ss = get_column_letter(c.points), get_column_letter(c.score)
        area = f"{ps}{first}:{ps}{last}"
        points = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        points.error, points.errorTitle = "分值应为不小于 0 的数字", "分值"
        points.add(area)
        scores = DataValidation(
            type="custom",
            formula1=f"AND(ISNUMBER({ss}{first}),{ss}{first}>=0,{ss}{first}<={ps}{first})",
            allow_blank=True,
        )
        scores.error, scores.errorTitle = "自评得分应为 0 到分值之间的数字", "自评得分"
        scores.showErrorMessage = True
        scores.add(f"{ss}{first}:{ss}{last}")
        self.validations += [points, scores]
        # The 三级 分值 must add up to the indicator's 分值; a typed 自评得分 beside filled 三级
        # scores must equal their sum. Either disagreement turns the cell red while it stands.
        if node.points is not None:
            own_points = str(node.points)
            points_wrong = f"AND(COUNT({block.rows(ps)})>0,SUM({block.rows(ps)})<>{own_points})"
        else:  # the department types this 分值 too, or leaves it to the 三级 sum
            own_points = block.effective(ps)
            points_wrong = (
                f"AND(COUNT({block.rows(ps)})>0,ISNUMBER({ps}{row}),SUM({block.rows(ps)})<>{ps}{row})"
            )
        score_wrong = f"AND(COUNT({block.rows(ss)})>0,ISNUMBER({ss}{row}),SUM({block.rows(ss)})<>{ss}{row})"
        self._alarm(c.points, row, level, points_wrong)
        self._alarm(c.score, row, level, score_wrong)
        # The rate follows what counts: the 三级 sum once there is one.
        prec = self.fw.precision
        zero = f"{own_points}=0" if node.points is None else str(node.points == 0).upper()
        xlsx.formula(
            ws,
            row,
            c.rate,
            f'=IF(OR(COUNT({ss}{row},{block.rows(ss)})=0,{zero}),"",'
            f"ROUND({block.effective(ss)}/{own_points}*100,{prec}))",
        )
        ws.merge_cells(start_row=row, start_column=level, end_row=last, end_column=level)
        ws.cell(row=row, column=level).alignment = xlsx.TOP_LEFT

    def _rate(self, row: int) -> None:
        c = self.cols
        p, s = self.ref(c.points, row), self.ref(c.score, row)
        expr = f'=IF(OR({s}="",N({p})=0),"",ROUND({s}/{p}*100,{self.fw.precision}))'
        xlsx.formula(self.ws, row, c.rate, expr)

    def _leaf(self, node: Indicator, row: int, *, open_below: bool = False) -> None:
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
        if open_below:
            score_dv.prompt = "按本指标直接评分时填写；在下方填写了三级指标的可留空，小计按三级得分合计"
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

    def _part(self, col: int, row: int) -> str:
        """What a child contributes to its parent's subtotal in column ``col``."""
        block = self.blocks.get(row)
        return block.effective(get_column_letter(col)) if block else self.ref(col, row)

    def _alarm(self, col: int, row: int, level: int, condition: str) -> None:
        """Turn the cell red while ``condition`` holds.

        LibreOffice and Excel give a row inserted just below this one the same rule, shifted: so
        the rule's own references are absolute, and it holds only on a row whose level cell
        carries a name (an inserted row lies inside the merged name cell, which is empty there).
        """
        fixed = _CELL_REF.sub(r"$\1$\2", condition)
        guard = f'${get_column_letter(level)}{row}<>""'
        self.ws.conditional_formatting.add(
            self.ref(col, row), FormulaRule(formula=[f"AND({guard},{fixed})"], fill=ALERT_FILL)
        )

    def _subtotal(self, node: Indicator, row: int, child_rows: list[int], level: int) -> None:
        ws, c = self.ws, self.cols
        sc = ",".join(self._part(c.score, r) for r in child_rows)
        pc = ",".join(self._part(c.points, r) for r in child_rows)
        if node.points is None:
            xlsx.formula(ws, row, c.points, f"=SUM({pc})", xlsx.POINTS_FORMAT, bold=True)
        else:
            xlsx.number(ws, row, c.points, node.points, xlsx.POINTS_FORMAT, bold=True)
            if any(child.points is None for child in node.children):
                # Department-defined 分值 below must add up to this fixed 分值: flag it live, but
                # only once every one of them is typed (a blank form shows no alarm).
                ps = get_column_letter(c.points)
                typed = "+".join(
                    self.blocks[r].filled(ps) if r in self.blocks else f"COUNT({self.ref(c.points, r)})"
                    for r in child_rows
                )
                # 权重 × 百分制: the 分值 below add up to the children's own scale, not the weight
                due = node.children_scale if node.children_scale is not None else node.points
                self._alarm(c.points, row, level, f"AND({typed}={len(child_rows)},SUM({pc})<>{due})")
        # Blank until some 自评得分 below is typed: a blank form shows no 0.00 subtotals.
        ss = get_column_letter(c.score)
        typed_scores = "+".join(
            self.blocks[r].filled(ss) if r in self.blocks else f"COUNT({self.ref(c.score, r)})"
            for r in child_rows
        )
        total = f"SUM({sc})"
        if node.children_scale is not None and node.points is not None:
            # 权重 × 百分制: the children are scored per children_scale and weighted into the 分值
            total = f"{total}/{node.children_scale}*{node.points}"
        xlsx.formula(ws, row, c.score, f'=IF({typed_scores}=0,"",{total})', bold=True)
        self._rate(row)


def _total_rows(
    ws: Any,
    fw: Framework,
    c: _Cols,
    row: int,
    weighted: list[int],
    bonus_row: int | None,
    inputs: list[int],
    blocks: dict[int, _Block],
) -> None:
    ref = lambda col, r: f"{get_column_letter(col)}{r}"  # noqa: E731
    xlsx.text(ws, row, 1, "合计", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    for lc in range(2, c.points):
        xlsx.text(ws, row, lc, None, fill=xlsx.TOTAL_FILL)
    if c.points > 2:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=c.points - 1)
    xlsx.number(ws, row, c.points, fw.total_points, xlsx.POINTS_FORMAT, bold=True, fill=xlsx.TOTAL_FILL)
    raw = "+".join(f"N({ref(c.score, r)})" for r in weighted)
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
    letter = get_column_letter(c.score)
    plain_inputs = [r for r in inputs if r not in blocks]
    counted = [f"COUNT({','.join(ref(c.score, r) for r in plain_inputs)})"] if plain_inputs else []
    counted += [blocks[r].filled(letter) for r in inputs if r in blocks]
    expr = f'IF({"+".join(counted)}<{len(inputs)},"（未填完）",{expr})'
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
        "二级指标下方的黄色空行用于填写本单位的三级指标（名称、分值、自评得分）；行不够时可在空行上方、"
        "之间或下方插入行，小计自动计入。三级分值合计须等于二级分值（不等时二级分值单元格变红）。",
        "按二级指标直接评分的，填写二级指标的自评得分，三级空行留空；填写了三级指标的，二级自评得分可留空，"
        "小计和得分率按三级得分合计计算（如也填写二级得分，须等于三级得分合计，否则单元格变红）。",
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
