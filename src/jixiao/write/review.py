"""The review workbook of ``jixiao review -o``: 复核对比, 问题, 信息 (with the 核验记录).

复核对比 puts a summary block (self, review and final totals and grades, and whether the grade
changed) above the indicator table with both scores, the final score, the difference and both
reasons side by side. Differences are highlighted by conditional formatting on the 差额 column,
so the colour follows the value, not a hard-coded fill. Text from the sheets is written as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill

from jixiao.read.mark import OUTPUT_CREATOR
from jixiao.reviewing.compare import Comparison, Line
from jixiao.reviewing.data import finding_dict, provenance, review_data
from jixiao.reviewing.pipeline import Review
from jixiao.scoring.evaluation import now_iso
from jixiao.scoring.result import ScoreResult
from jixiao.write import xlsx
from jixiao.write.files import write_atomically
from jixiao.write.record import write_record

LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
SEVERITY = {"error": "错误", "warning": "警告"}
LOWER_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
HIGHER_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
SIGNED_FORMAT = "+0.00;-0.00;0.00"
SUMMARY_ROW = 3


def write_review(review: Review, out: Path, produced_at: str | None = None) -> None:
    """Write the review workbook to ``out`` (atomically); the review must be complete."""
    if not review.ok:
        raise ValueError("a review with errors has no review workbook")
    wb = build_review_workbook(review, produced_at)
    write_atomically(out, wb.save)


def build_review_workbook(review: Review, produced_at: str | None = None) -> Workbook:
    """The review workbook in memory."""
    assert review.comparison is not None
    produced_at = produced_at or now_iso()
    wb = Workbook()
    wb.properties.creator = OUTPUT_CREATOR  # marks jixiao's own output: batch skips it
    ws = wb.active
    ws.title = "复核对比"
    _comparison_sheet(ws, review, review.comparison)
    _findings_sheet(wb.create_sheet("问题"), review)
    info = wb.create_sheet("信息")
    _info_sheet(info, review, produced_at)
    write_record(wb, review_data(review, produced_at))
    return wb


def _unit(review: Review) -> str:
    return review.self_ev.table.unit_name or review.self_ev.source.path.stem


def _comparison_sheet(ws: Any, review: Review, c: Comparison) -> None:
    depth = max((ln.level for ln in c.lines), default=1)
    levels = list(LEVEL_NAMES[:depth])
    titles = [
        *levels,
        "分值",
        "自评得分",
        "复核得分",
        "最终得分",
        "差额",
        "自评得分率（%）",
        "最终得分率（%）",
        "扣分原因",
        "复核意见",
        "说明",
    ]
    width = len(titles)
    col = {name: depth + i for i, name in enumerate(titles[depth:], start=1)}
    xlsx.title_row(ws, 1, f"{_unit(review)} 绩效自评复核对比表", width)
    fw = review.framework.framework
    xlsx.text(ws, 2, 1, f"评价框架：{fw.title}（{fw.id}，版本 {fw.version}）", border=False, size=10)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

    row = SUMMARY_ROW
    xlsx.header_row(ws, row, ["", "合计", "得分率（%）", "等级"])
    for label, result in (("自评", c.self_result), ("复核", c.review_result), ("最终", c.final_result)):
        row += 1
        _summary_line(ws, row, label, result)
    row += 1
    xlsx.text(ws, row, 1, "等级变化", bold=True, align="center")
    final = c.final_result
    changed = final is not None and c.grade_changed
    change = f"{c.self_result.grade or '—'} → {final.grade or '—'}" if changed and final else "未变化"
    xlsx.text(ws, row, 2, change, bold=True, align="center")
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    for cc in (3, 4):
        ws.cell(row=row, column=cc).border = xlsx.BOX
    # Like the differences, the grade change is coloured by a rule on the value, not a fill.
    ws.conditional_formatting.add(
        f"B{row}", FormulaRule(formula=[f'B{row}<>"未变化"'], font=Font(bold=True, color="C00000"))
    )
    if c.review_result is None:
        row += 1
        xlsx.text(
            ws,
            row,
            1,
            "注：复核表有未填写的指标，复核合计不计算；最终得分按 --fill-from-self 取自评得分。",
            border=False,
            size=9,
        )

    header = row + 2
    xlsx.header_row(ws, header, titles)
    row = header + 1
    first = row
    spans: list[tuple[int, int, int]] = []
    stack: list[tuple[int, int]] = []  # (level, start row) of open parents
    for line in c.lines:
        while stack and stack[-1][0] >= line.level:
            level, start = stack.pop()
            if row - 1 > start:
                spans.append((level, start, row - 1))
        _line(ws, row, depth, col, line)
        if not line.is_leaf:
            stack.append((line.level, row))
        row += 1
    while stack:
        level, start = stack.pop()
        if row - 1 > start:
            spans.append((level, start, row - 1))
    for level, start, end in spans:
        xlsx.merge(ws, start, level, end, level)
        cell = ws.cell(row=start, column=level)
        cell.alignment = xlsx.TOP_LEFT
    _total_line(ws, row, depth, col, c)
    delta = col["差额"]
    letter = ws.cell(row=first, column=delta).column_letter
    area = f"{letter}{first}:{letter}{row}"
    ws.conditional_formatting.add(area, CellIsRule(operator="lessThan", formula=["0"], fill=LOWER_FILL))
    ws.conditional_formatting.add(area, CellIsRule(operator="greaterThan", formula=["0"], fill=HIGHER_FILL))
    ws.row_dimensions[header].height = 30
    ws.row_dimensions[SUMMARY_ROW].height = 30
    xlsx.widths(ws, [14.0] * depth + [8, 10, 10, 10, 9, 14, 14, 30, 30, 16])
    xlsx.print_setup(ws, f"{header}:{header}", landscape=True)
    ws.freeze_panes = ws.cell(row=header + 1, column=depth + 1)


def _summary_line(ws: Any, row: int, label: str, result: ScoreResult | None) -> None:
    xlsx.text(ws, row, 1, label, bold=True, align="center")
    if result is None:
        xlsx.text(ws, row, 2, "未计算", align="center")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        for cc in (3, 4):
            ws.cell(row=row, column=cc).border = xlsx.BOX
        return
    xlsx.number(ws, row, 2, result.total, bold=True)
    xlsx.number(ws, row, 3, result.rate)
    xlsx.text(ws, row, 4, result.grade or "—", bold=True, align="center")


def _note(line: Line) -> str | None:
    notes = []
    if line.finance:
        notes.append("财政赋分")
    if line.filled:
        notes.append("未复核，取自评得分")
    return "；".join(notes) or None


def _line(ws: Any, row: int, depth: int, col: dict[str, int], line: Line) -> None:
    bold = not line.is_leaf
    for lc in range(1, depth + 1):
        xlsx.text(ws, row, lc, line.name if lc == line.level else None, bold=bold)
    if line.points is None:
        xlsx.text(ws, row, col["分值"], "—", align="center")
    else:
        xlsx.number(ws, row, col["分值"], line.points, xlsx.POINTS_FORMAT)
    xlsx.number(ws, row, col["自评得分"], line.self_score, bold=bold)
    xlsx.number(ws, row, col["复核得分"], line.review_score, bold=bold)
    xlsx.number(ws, row, col["最终得分"], line.final_score, bold=bold)
    xlsx.number(ws, row, col["差额"], line.delta, SIGNED_FORMAT, bold=bold)
    xlsx.number(ws, row, col["自评得分率（%）"], line.self_rate)
    xlsx.number(ws, row, col["最终得分率（%）"], line.final_rate)
    xlsx.text(ws, row, col["扣分原因"], line.self_reason)
    xlsx.text(ws, row, col["复核意见"], line.review_reason)
    xlsx.text(ws, row, col["说明"], _note(line))


def _total_line(ws: Any, row: int, depth: int, col: dict[str, int], c: Comparison) -> None:
    fill = xlsx.TOTAL_FILL
    xlsx.text(ws, row, 1, "合计", bold=True, fill=fill, align="center")
    for lc in range(2, depth + 1):
        xlsx.text(ws, row, lc, None, fill=fill)
    if depth > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=depth)
    s, r, f = c.self_result, c.review_result, c.final_result
    xlsx.number(ws, row, col["分值"], s.max, xlsx.POINTS_FORMAT, bold=True, fill=fill)
    xlsx.number(ws, row, col["自评得分"], s.total, bold=True, fill=fill)
    xlsx.number(ws, row, col["复核得分"], r.total if r else None, bold=True, fill=fill)
    xlsx.number(ws, row, col["最终得分"], f.total if f else None, bold=True, fill=fill)
    xlsx.number(ws, row, col["差额"], f.total - s.total if f else None, SIGNED_FORMAT, bold=True, fill=fill)
    xlsx.number(ws, row, col["自评得分率（%）"], s.rate, bold=True, fill=fill)
    xlsx.number(ws, row, col["最终得分率（%）"], f.rate if f else None, bold=True, fill=fill)
    if f is None:
        grades = None
    elif f.grade != s.grade:
        grades = f"等级：{s.grade or '—'} → {f.grade or '—'}"
    else:
        grades = f"等级：{s.grade or '—'}（未变化）"
    xlsx.text(ws, row, col["扣分原因"], grades, bold=True, fill=fill)
    xlsx.text(ws, row, col["复核意见"], None, fill=fill)
    xlsx.text(ws, row, col["说明"], None, fill=fill)


def _findings_sheet(ws: Any, review: Review) -> None:
    xlsx.title_row(ws, 1, "检查发现的问题", 6)
    xlsx.header_row(ws, 2, ["级别", "代码", "文件", "单元格", "指标", "说明"])
    row = 3
    for item in review.findings:
        data = finding_dict(review, item)
        xlsx.text(ws, row, 1, SEVERITY[data["severity"]], align="center")
        xlsx.text(ws, row, 2, data["code"])
        xlsx.text(ws, row, 3, data["file"])
        xlsx.text(ws, row, 4, data["cell"], align="center")
        xlsx.text(ws, row, 5, " / ".join(data["path"]) or None)
        xlsx.text(ws, row, 6, data["message"])
        row += 1
    if not review.findings:
        xlsx.text(ws, row, 1, "未发现问题", border=False)
    xlsx.widths(ws, [8, 30, 24, 10, 30, 60])
    xlsx.print_setup(ws, "2:2", landscape=True)


ROLE_NAMES = {"self": "自评表", "review": "复核表", "self+review": "自评及复核表"}


def _info_sheet(ws: Any, review: Review, produced_at: str) -> None:
    p = provenance(review, produced_at)
    rows: list[tuple[str, str]] = []
    for s in p["sources"]:
        role = ROLE_NAMES[s["role"]]
        rows += [(f"{role}", s["file"]), (f"{role} SHA-256", s["sha256"]), (f"{role}工作表", s["sheet"])]
    fw = p["framework"]
    rows += [
        ("评价框架", f"{review.framework.framework.title}（{fw['id']}）"),
        ("框架版本", fw["version"]),
        ("框架文件 SHA-256", fw["sha256"]),
        ("框架来源", "自动识别" if fw["detected"] else "命令行指定"),
        ("容差（分）", format(review.settings.tolerance, "f")),
        ("未复核的指标取自评得分", "是（--fill-from-self）" if review.settings.fill_from_self else "否"),
        ("jixiao 版本", p["jixiao_version"]),
        ("生成时间（UTC）", p["produced_at"]),
    ]
    xlsx.title_row(ws, 1, "复核信息", 2)
    xlsx.header_row(ws, 2, ["项目", "内容"])
    for i, (key, value) in enumerate(rows, start=3):
        xlsx.text(ws, i, 1, key, bold=True)
        xlsx.text(ws, i, 2, str(value))
    note = "注：供 jixiao verify 核对的核验记录在隐藏的“核验记录”工作表中；本表如被改动，verify 会指出。"
    xlsx.text(ws, len(rows) + 4, 1, note, border=False, size=9)
    ws.merge_cells(start_row=len(rows) + 4, start_column=1, end_row=len(rows) + 4, end_column=2)
    xlsx.widths(ws, [24, 70])
    xlsx.print_setup(ws, "2:2")
