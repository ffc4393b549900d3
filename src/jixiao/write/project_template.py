"""The fillable 项目支出绩效自评表 (财预〔2020〕10号 annex) for frameworks with ``form: project``.

Laid out like the official form, so that a filled one scores with ``jixiao score`` as it is:
title, 项目名称 / 主管部门 / 实施单位, the funds block (年初预算数 | 全年预算数 | 全年执行数 |
分值 | 执行率 | 得分, the last two as live formulas), 年度总体目标, then the indicator table
(一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施)
with blank rows under every 二级 for the project's own 三级 indicators, a 总分 row and the 等级
as formulas. Yellow cells are inputs. The 总分 sums every row between the header and itself
(``INDEX(H:H,ROW(A12)+1):INDEX(H:H,ROW(A29)-1)``), so rows a project inserts for more 三级
indicators, at the top, inside or at the bottom of a block, are counted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.framework.models import Framework, Indicator
from jixiao.framework.rule_models import FUNDS_INPUTS, rule_inputs
from jixiao.values import plain
from jixiao.write import xlsx

ROWS_PER_GROUP = 3
ALERT_FILL = PatternFill("solid", fgColor="F8CBAD")
WIDTH = 9  # columns A..I
HEADER = [
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]


def _funds_node(fw: Framework) -> Indicator | None:
    for node in fw.indicators:
        if node.rule is not None and set(rule_inputs(node.rule)) <= FUNDS_INPUTS:
            return node
    return None


def build_project_template(fw: Framework) -> Workbook:
    """The 项目支出绩效自评表 worksheet in memory."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    validations: list[DataValidation] = []
    xlsx.title_row(ws, 1, "项目支出绩效自评表", WIDTH, size=16)
    xlsx.text(ws, 2, 1, "（        年度）", border=False, align="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=WIDTH)

    xlsx.text(ws, 3, 1, "项目名称", bold=True, align="center")
    _inputs(ws, 3, 2, WIDTH)
    xlsx.text(ws, 4, 1, "主管部门", bold=True, align="center")
    _inputs(ws, 4, 2, 5)
    xlsx.text(ws, 4, 6, "实施单位", bold=True, align="center")
    _inputs(ws, 4, 7, WIDTH)

    funds = _funds_node(fw)
    funds_points = funds.points if funds is not None and funds.points is not None else Decimal(0)
    xlsx.text(ws, 5, 1, "项目资金（万元）", bold=True, align="center")
    ws.merge_cells("A5:A9")
    for c, title in enumerate(
        ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=2
    ):
        xlsx.text(ws, 5, c, title or None, bold=True, fill=xlsx.HEADER_FILL, align="center")
    xlsx.text(ws, 5, 9, None, fill=xlsx.HEADER_FILL)
    for r, label in enumerate(["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"], start=6):
        xlsx.text(ws, r, 2, label)
        for c in (3, 4, 5):
            xlsx.number(ws, r, c, None, "0.00", fill=xlsx.INPUT_FILL)
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            dv.error, dv.errorTitle = "金额应为不小于 0 的数字（万元）", "项目资金"
            dv.add(f"{'CDE'[c - 3]}{r}")
            validations.append(dv)
        if r == 6:
            xlsx.number(ws, r, 6, funds_points, xlsx.POINTS_FORMAT)
            xlsx.formula(ws, r, 7, '=IF(N(D6)=0,"",E6/D6)', "0.00%")
            xlsx.formula(ws, r, 8, f'=IF(N(D6)=0,"",ROUND(MIN(E6/D6,1)*F6,{fw.precision}))')
        else:
            for c in (6, 7, 8):
                xlsx.text(ws, r, c, "—", align="center")
        xlsx.text(ws, r, 9, None)

    xlsx.text(ws, 10, 1, "年度总体目标", bold=True, align="center")
    ws.merge_cells("A10:A11")
    for c in range(2, WIDTH + 1):
        xlsx.text(ws, 10, c, None, fill=xlsx.HEADER_FILL)
    xlsx.text(ws, 10, 2, "预期目标", bold=True, align="center", fill=xlsx.HEADER_FILL)
    xlsx.text(ws, 10, 6, "实际完成情况", bold=True, align="center", fill=xlsx.HEADER_FILL)
    ws.merge_cells("B10:E10")
    ws.merge_cells("F10:I10")
    _inputs(ws, 11, 2, 5)
    _inputs(ws, 11, 6, WIDTH)
    ws.row_dimensions[11].height = 60

    header = 12
    xlsx.header_row(ws, header, HEADER)
    row = header + 1
    first_data = row
    tops: list[tuple[Indicator, int]] = []
    for first in fw.indicators:
        if first is funds or first.is_bonus:
            continue
        first_top = row
        tops.append((first, first_top))
        for second in first.children or [first]:
            second_top = row
            for _ in range(ROWS_PER_GROUP):
                xlsx.text(ws, row, 2, first.name if row == first_top else None, align="center")
                xlsx.text(
                    ws,
                    row,
                    3,
                    second.name if row == second_top and second is not first else None,
                    align="center",
                )
                xlsx.text(ws, row, 4, None, fill=xlsx.INPUT_FILL)
                xlsx.text(ws, row, 5, None, fill=xlsx.INPUT_FILL)
                xlsx.text(ws, row, 6, None, fill=xlsx.INPUT_FILL)
                xlsx.number(ws, row, 7, None, xlsx.POINTS_FORMAT, fill=xlsx.INPUT_FILL)
                xlsx.number(ws, row, 8, None, fill=xlsx.INPUT_FILL)
                xlsx.text(ws, row, 9, None, fill=xlsx.INPUT_FILL)
                score = DataValidation(
                    type="custom",
                    formula1=f"AND(ISNUMBER(H{row}),H{row}>=0,H{row}<=G{row})",
                    allow_blank=True,
                )
                score.error, score.errorTitle = "得分应为 0 到分值之间的数字", "得分"
                score.showErrorMessage = True
                score.add(f"H{row}")
                validations.append(score)
                row += 1
            if second is not first:
                ws.merge_cells(start_row=second_top, start_column=3, end_row=row - 1, end_column=3)
        ws.merge_cells(start_row=first_top, start_column=2, end_row=row - 1, end_column=2)
        if first.points is not None:
            xlsx.text(ws, first_top, 2, f"{first.name}（{plain(first.points)}分）", align="center")
    last = row - 1
    total = last + 1
    for k, (first, first_top) in enumerate(tops):
        if first.points is None:
            continue
        # The project's own 分值 under a 一级 must add up to its fixed weight: flag it live. The
        # range runs to the next 一级's first row (or the 总分 row), so rows inserted at the end
        # of a block count as the people who insert them mean.
        end = tops[k + 1][1] if k + 1 < len(tops) else total
        points = _between("G", first_top - 1, end)
        ws.conditional_formatting.add(
            f"B{first_top}",
            FormulaRule(formula=[f"AND(COUNT({points})>0,SUM({points})<>{first.points})"], fill=ALERT_FILL),
        )
    xlsx.text(ws, header, 1, "绩效指标", bold=True, fill=xlsx.HEADER_FILL, align="center")
    xlsx.text(ws, first_data, 1, "绩效指标", bold=True, align="center")
    ws.merge_cells(start_row=first_data, start_column=1, end_row=last, end_column=1)

    xlsx.text(ws, total, 1, "总分", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    for c in range(2, 7):
        xlsx.text(ws, total, c, None, fill=xlsx.TOTAL_FILL)
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=6)
    xlsx.number(ws, total, 7, fw.total_points, xlsx.POINTS_FORMAT, bold=True, fill=xlsx.TOTAL_FILL)
    # Not filled in yet (no 得分, a 分值 without its 得分, or no budget): no total and no grade,
    # so a blank or half-filled form never reads as 0.00 and 差.
    # Every row between the header and the 总分 row, wherever rows were inserted.
    scores, points = _between("H", header, total), _between("G", header, total)
    unfilled = f"OR(COUNT({scores})=0,COUNT({points})<>COUNT({scores}),N(D6)=0)"
    xlsx.formula(
        ws,
        total,
        8,
        f'=IF({unfilled},"",ROUND(MIN({fw.max_total},N(H6)+SUM({scores})),{fw.precision}))',
        bold=True,
        fill=xlsx.TOTAL_FILL,
    )
    xlsx.text(ws, total, 9, None, fill=xlsx.TOTAL_FILL)
    # The grade as one line ("等级：优"), the way sheets state it, so that jixiao reads it back
    # as the reported grade (and checks it) once Excel/WPS has calculated the workbook.
    grade = total + 1
    bands = sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
    expr = f'"{bands[-1].label}"'
    for band in reversed(bands[:-1]):
        expr = f'IF(H{total}>={band.minimum},"{band.label}",{expr})'
    xlsx.formula(
        ws,
        grade,
        1,
        f'=IF({unfilled},"等级：（未填完）","等级："&{expr})',
        "General",
        bold=True,
        align="left",
    )
    ws.merge_cells(start_row=grade, start_column=1, end_row=grade, end_column=6)  # not over 分值/得分
    for c in range(2, WIDTH + 1):
        ws.cell(row=grade, column=c).border = xlsx.BOX

    for dv in validations:
        ws.add_data_validation(dv)
    xlsx.widths(ws, [9, 18, 16, 22, 13, 13, 8, 9, 34])
    xlsx.print_setup(ws, f"{header}:{header}", landscape=True)
    ws.freeze_panes = ws.cell(row=header + 1, column=4)
    _notes(wb, fw)
    return wb


def _between(letter: str, after: int, before: int) -> str:
    """Column ``letter`` strictly between rows ``after`` and ``before``, as a range that keeps
    every row inserted between them (the bounds are located through column A, so a formula
    in either bound row is not circular)."""
    column = f"{letter}:{letter}"
    return f"INDEX({column},ROW(A{after})+1):INDEX({column},ROW(A{before})-1)"


def _inputs(
    ws: Any,
    row: int,
    start: int,
    end: int,
    *,
    fill: PatternFill | None = None,
    value: str | None = None,
) -> None:
    for c in range(start, end + 1):
        xlsx.text(ws, row, c, value if c == start else None, fill=fill or xlsx.INPUT_FILL)
    if end > start:
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)


def _notes(wb: Workbook, fw: Framework) -> None:
    ws = wb.create_sheet("填表说明")
    weights = "、".join(f"{n.name} {plain(n.points)} 分" for n in fw.indicators if n.points is not None)
    lines = [
        f"评价框架：{fw.title}（{fw.id}，版本 {fw.version}）",
        f"来源：{fw.source.document}",
        f"分值：{weights}，合计 {plain(fw.total_points)} 分。",
        "黄色单元格为填写项。项目资金以万元填写；执行率和预算执行率得分由公式计算"
        "（得分 = 全年执行数 ÷ 全年预算数 × 分值，满分为止）。",
        "在各二级指标下填写本项目的三级指标、年度指标值、实际完成值、分值和得分；行不够时可在任意位置插入行（总分自动计入），"
        "不用的行留空。同一一级指标下的三级分值合计须等于该一级指标的分值（不等时一级指标单元格变红）。",
        "定量指标（年度指标值为数字，如“≥95%”“100万元”“1.5万人次”）按完成比例计分，满分为止；"
        "年度指标值带“≤”“不超过”“以内”的为反向指标，实际值越低越好。",
        "定性指标（如“显著提升”）在实际完成值中写明达成、部分达成或未达成，得分分别在分值的 "
        "80%–100%、50%–80%、0–50% 之间，由填表人在档内确定。",
        "实际完成值未达到年度指标值的，请填写偏差原因分析及改进措施。",
        "填写完成后可用 jixiao score 检查：它按上述规则重新计算每个指标的得分并说明计算过程。",
        "等级划分："
        + "；".join(
            f"{b.label} {plain(b.minimum)}–{plain(b.maximum)}"
            for b in sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
        ),
    ]
    for i, line in enumerate(lines, start=1):
        xlsx.text(ws, i, 1, line, border=False)
    xlsx.widths(ws, [110])
