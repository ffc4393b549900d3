"""The result workbook of ``jixiao score -o``: 总表, 明细, 问题, 信息.

总表 is laid out like the reports' 部门整体自评情况总表 (一级指标 | 二级指标 | 分值 | 自评得分 |
得分率（%）, a 合计 row, the grade); 明细 holds the full tree; 问题 the findings; 信息 the audit
trail. Every figure is a number calculated by jixiao; every text taken from the sheet is written
as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from jixiao.read.mark import OUTPUT_CREATOR
from jixiao.scoring.evaluation import Evaluation, evaluation_data, indicator_rows, now_iso, provenance
from jixiao.scoring.pipeline import no_gc_pauses
from jixiao.scoring.result import NodeResult, ScoreResult
from jixiao.write import xlsx
from jixiao.write.chart import add_chart_sheet
from jixiao.write.files import write_atomically
from jixiao.write.record import write_record

LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
SEVERITY = {"error": "错误", "warning": "警告"}


def write_result(ev: Evaluation, out: Path, produced_at: str | None = None) -> None:
    """Write the result workbook to ``out`` (atomically); the evaluation must have a result."""
    if ev.result is None:
        raise ValueError("an evaluation with errors has no result workbook")
    with no_gc_pauses():  # openpyxl makes objects per cell; full collections would walk them all
        wb = build_result_workbook(ev, produced_at, streamed=True)
        write_atomically(out, lambda path: xlsx.save(wb, path))


def write_partial_result(ev: Evaluation, out: Path, produced_at: str | None = None) -> None:
    """Write the workbook of a sheet with errors: 部分结果 (未评分), 问题, 信息 (atomically)."""
    with no_gc_pauses():
        wb = build_partial_workbook(ev, produced_at, streamed=True)
        write_atomically(out, lambda path: xlsx.save(wb, path))


def build_partial_workbook(
    ev: Evaluation, produced_at: str | None = None, *, streamed: bool = False
) -> Workbook:
    """The workbook of a sheet with errors: complete subtotals only, no total, no grade.

    ``streamed``: the long sheets are held as plain tuples, to be saved with :func:`xlsx.save`
    (the same cells; they cannot be read back from the workbook in memory).
    """
    produced_at = produced_at or now_iso()
    wb = Workbook()
    wb.properties.creator = OUTPUT_CREATOR
    if streamed:
        xlsx.stream_sheets(wb)
    wb.remove(wb.active)
    _partial_sheet(xlsx.new_sheet(wb, "部分结果"), ev)
    _findings_sheet(xlsx.new_sheet(wb, "问题"), ev)
    _info_sheet(wb.create_sheet("信息"), ev, produced_at, record=False)  # nothing to verify
    return wb


def _partial_sheet(ws: Any, ev: Evaluation) -> None:
    rows = indicator_rows(ev)
    depth = max((len(r["path"]) for r in rows), default=1)
    levels = list(LEVEL_NAMES[:depth])
    titles = [*levels, "分值", "自评得分", "得分率（%）", "状态", "单元格"]
    width = len(titles)
    xlsx.title_row(ws, 1, f"{_unit(ev)} 未评分（部分结果）", width)
    errors = len(ev.errors)
    xlsx.text(
        ws,
        2,
        1,
        f"评分表有 {errors} 个错误（见“问题”工作表），未计算总分和等级；下列“完整”的小计输入完整、可以使用，"
        "“未评分”的指标在错误改正前不给得分。",
        border=False,
        size=10,
    )
    xlsx.merge_cells(ws, 2, 1, 2, width)
    xlsx.header_row(ws, 3, titles)
    row = 4
    for item in rows:
        level = len(item["path"])
        done = item["complete"]
        for c in range(1, depth + 1):
            xlsx.text(ws, row, c, item["path"][-1] if c == level else None, bold=level < depth)
        if item["max"] is None:
            xlsx.text(ws, row, depth + 1, "—", align="center")
        else:
            xlsx.number(ws, row, depth + 1, item["max"], xlsx.POINTS_FORMAT)
        if done:
            xlsx.number(ws, row, depth + 2, item["score"])
            xlsx.number(ws, row, depth + 3, item["rate"])
        else:
            xlsx.text(ws, row, depth + 2, "未评分", align="center")
            xlsx.text(ws, row, depth + 3, "—", align="center")
        xlsx.text(ws, row, depth + 4, "完整" if done else "未评分（有错误）", align="center")
        xlsx.text(ws, row, depth + 5, item["cell"], align="center")
        row += 1
    xlsx.text(ws, row, 1, "合计", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    for c in range(2, depth + 1):
        xlsx.text(ws, row, c, None, fill=xlsx.TOTAL_FILL)
    if depth > 1:
        xlsx.merge_cells(ws, row, 1, row, depth)
    xlsx.number(ws, row, depth + 1, ev.framework.framework.total_points, xlsx.POINTS_FORMAT, bold=True)
    xlsx.text(ws, row, depth + 2, "未评分", bold=True, align="center", fill=xlsx.TOTAL_FILL)
    xlsx.text(ws, row, depth + 3, "—", align="center", fill=xlsx.TOTAL_FILL)
    xlsx.text(ws, row, depth + 4, "等级：未评定", bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.text(ws, row, depth + 5, None, fill=xlsx.TOTAL_FILL)
    names = [[r["path"][-1] for r in rows if len(r["path"]) == lv] for lv in range(1, depth + 1)]
    xlsx.widths(ws, [xlsx.fit_width(col, 10, 30) for col in names] + [8, 10, 12, 16, 8])
    xlsx.print_setup(ws, "3:3", landscape=True)
    ws.freeze_panes = f"{get_column_letter(depth + 1)}4"  # a coordinate: no cell made on a streamed sheet


def build_result_workbook(
    ev: Evaluation, produced_at: str | None = None, *, streamed: bool = False
) -> Workbook:
    """The result workbook in memory (``streamed``: as in :func:`build_partial_workbook`)."""
    assert ev.result is not None
    produced_at = produced_at or now_iso()  # one timestamp for 信息 and its 核验记录
    wb = Workbook()
    wb.properties.creator = OUTPUT_CREATOR  # marks jixiao's own output: batch skips it
    if streamed:
        xlsx.stream_sheets(wb)
    summary = wb.active
    summary.title = "总表"
    _summary_sheet(summary, ev, ev.result)
    _detail_sheet(xlsx.new_sheet(wb, "明细"), ev.result)
    _findings_sheet(xlsx.new_sheet(wb, "问题"), ev)
    _info_sheet(wb.create_sheet("信息"), ev, produced_at)
    add_chart_sheet(wb, ev.result)
    write_record(wb, evaluation_data(ev, produced_at))  # last: it seals the 信息 sheet
    return wb


def _unit(ev: Evaluation) -> str:
    return ev.table.unit_name or ev.source.path.stem


def _summary_sheet(ws: Any, ev: Evaluation, r: ScoreResult) -> None:
    what = "项目支出绩效自评情况表" if ev.framework.framework.form == "project" else "部门整体自评情况总表"
    xlsx.title_row(ws, 1, f"{_unit(ev)} {what}", 5)
    xlsx.text(
        ws, 2, 1, f"评价框架：{ev.framework.framework.title}（{ev.framework.id}）", border=False, size=10
    )
    ws.merge_cells("A2:E2")
    xlsx.header_row(ws, 3, ["一级指标", "二级指标", "分值", "自评得分", "得分率（%）"])
    row = 4
    xlsx.text(ws, row, 1, "合计", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    xlsx.text(ws, row, 2, None, fill=xlsx.TOTAL_FILL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    xlsx.number(ws, row, 3, r.max, xlsx.POINTS_FORMAT, bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.number(ws, row, 4, r.total, bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.number(ws, row, 5, r.rate, bold=True, fill=xlsx.TOTAL_FILL)
    row += 1
    for first in r.indicators:
        seconds = first.children or (None,)
        top = row
        for second in seconds:
            xlsx.text(ws, row, 1, first.name, align="center")
            node = second or first
            xlsx.text(ws, row, 2, second.name if second else None)
            _points(ws, row, 3, node)
            xlsx.number(ws, row, 4, node.score)
            xlsx.number(ws, row, 5, node.rate)
            row += 1
        if row - 1 > top:
            xlsx.merge(ws, top, 1, row - 1, 1)
    xlsx.text(ws, row, 1, "等级", bold=True, align="center")
    xlsx.text(ws, row, 2, r.grade or "—", bold=True, align="center")
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
    for c in range(3, 6):
        ws.cell(row=row, column=c).border = xlsx.BOX
    if r.capped:
        row += 1
        xlsx.text(ws, row, 1, "注：加减分后总分超过上限，已按上限计。", border=False, size=9)
    first_names = [n.name for n in r.indicators]
    second_names = [c.name for n in r.indicators for c in n.children]
    xlsx.widths(ws, [xlsx.fit_width(first_names, 12), xlsx.fit_width(second_names, 14), 10, 12, 14])
    xlsx.print_setup(ws, "3:3")
    ws.freeze_panes = "A4"


def _points(ws: Any, row: int, col: int, node: NodeResult) -> None:
    if node.points is None:
        xlsx.text(ws, row, col, "—", align="center")
    else:
        xlsx.number(ws, row, col, node.points, xlsx.POINTS_FORMAT)


def _detail_sheet(ws: Any, r: ScoreResult) -> None:
    depth = max((n.level for n in r.walk()), default=1)
    levels = list(LEVEL_NAMES[:depth])
    titles = [*levels, "分值", "自评得分", "得分率（%）", "扣分", "扣分原因", "单元格"]
    explained = any(n.explanation for n in r.walk())
    if explained:
        titles.append("计分说明")
    width = len(titles)
    xlsx.title_row(ws, 1, "指标得分明细", width)
    xlsx.header_row(ws, 2, titles)
    row = 3
    spans: list[tuple[int, int, int]] = []

    def emit(node: NodeResult) -> None:
        nonlocal row
        start = row
        bold = not node.is_leaf
        for c in range(1, depth + 1):
            xlsx.text(ws, row, c, node.name if c == node.level else None, bold=bold)
        _points(ws, row, depth + 1, node)
        xlsx.number(ws, row, depth + 2, node.score, bold=bold)
        xlsx.number(ws, row, depth + 3, node.rate, bold=bold)
        xlsx.number(ws, row, depth + 4, node.lost if node.points is not None else None)
        xlsx.text(ws, row, depth + 5, node.reason)
        xlsx.text(ws, row, depth + 6, node.cell, align="center")
        if explained:
            xlsx.text(ws, row, depth + 7, node.explanation)
        row += 1
        for child in node.children:
            emit(child)
        if row - 1 > start:
            spans.append((node.level, start, row - 1))

    for first in r.indicators:
        emit(first)
    for level, start, end in spans:
        xlsx.merge(ws, start, level, end, level)
        xlsx.set_alignment(ws, start, level, xlsx.TOP_LEFT)
    xlsx.text(ws, row, 1, "合计", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    for c in range(2, depth + 1):
        xlsx.text(ws, row, c, None, fill=xlsx.TOTAL_FILL)
    if depth > 1:
        xlsx.merge_cells(ws, row, 1, row, depth)
    xlsx.number(ws, row, depth + 1, r.max, xlsx.POINTS_FORMAT, bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.number(ws, row, depth + 2, r.total, bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.number(ws, row, depth + 3, r.rate, bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.number(ws, row, depth + 4, r.max - r.total, fill=xlsx.TOTAL_FILL)
    xlsx.text(ws, row, depth + 5, f"等级：{r.grade or '—'}", bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.text(ws, row, depth + 6, None, fill=xlsx.TOTAL_FILL)
    if explained:
        xlsx.text(ws, row, depth + 7, None, fill=xlsx.TOTAL_FILL)
    names = [[n.name for n in r.walk() if n.level == lv] for lv in range(1, depth + 1)]
    reasons = [n.reason for n in r.walk() if n.reason]
    explanations = [n.explanation for n in r.walk() if n.explanation]
    xlsx.widths(
        ws,
        [xlsx.fit_width(col, 10, 30) for col in names]
        + [8, 10, 12, 8, xlsx.fit_width(reasons, 20, 50), 8]
        + ([xlsx.fit_width(explanations, 30, 60)] if explained else []),
    )
    xlsx.print_setup(ws, "2:2", landscape=True)
    ws.freeze_panes = f"{get_column_letter(depth + 1)}3"


def _findings_sheet(ws: Any, ev: Evaluation, title: str = "检查发现的问题") -> None:
    xlsx.title_row(ws, 1, title, 5)
    xlsx.header_row(ws, 2, ["级别", "代码", "单元格", "指标", "说明"])
    several = ev.source.several_sheets
    row = 3
    for f in sorted(ev.findings, key=lambda f: not f.is_error):
        xlsx.text(ws, row, 1, SEVERITY[str(f.severity)], align="center")
        xlsx.text(ws, row, 2, f.code)
        xlsx.text(ws, row, 3, f.position.label(several) or None, align="center")
        where = " / ".join(f.path)
        xlsx.text(ws, row, 4, where or None)
        xlsx.text(ws, row, 5, f.message)
        # Wrapped text needs the row's height: Excel and LibreOffice do not grow a row on opening.
        lines = max(-(-xlsx.display_width(f.message) // 58), -(-xlsx.display_width(where) // 28), 1)
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
        row += 1
    if not ev.findings:
        xlsx.text(ws, row, 1, "未发现问题", border=False)
    xlsx.widths(ws, [8, 26, 10, 30, 60])
    xlsx.print_setup(ws, "2:2", landscape=True)


def _info_sheet(ws: Any, ev: Evaluation, produced_at: str | None, *, record: bool = True) -> None:
    p = provenance(ev, produced_at)
    rows = [
        ("输入文件", p["source"]["file"]),
        ("输入文件 SHA-256", p["source"]["sha256"]),
        ("工作表", p["source"]["sheet"]),
        ("评价框架", f"{ev.framework.framework.title}（{p['framework']['id']}）"),
        ("框架版本", p["framework"]["version"]),
        ("框架文件 SHA-256", p["framework"]["sha256"]),
        ("框架来源", "自动识别" if p["framework"]["detected"] else "命令行指定"),
        ("jixiao 版本", p["jixiao_version"]),
        ("生成时间（UTC）", p["produced_at"]),
    ]
    tree = ev.sheet_tree
    if tree is not None:
        at = next(i for i, (key, _) in enumerate(rows) if key == "评价框架")
        framework_keys = {"评价框架", "框架版本", "框架文件 SHA-256", "框架来源"}
        rows = [r for r in rows if r[0] not in framework_keys]
        rows[at:at] = [
            ("指标体系", "取自评分表本身（未使用框架文件）"),
            ("等级区间", "假定（assumed）：财预〔2020〕10号 优≥90、良[80,90)、中[60,80)、差<60"),
            *((f"说明 {i}", note) for i, note in enumerate(tree.notes, start=1)),
            ("保存为框架", f"{tree.save_command}（保存后可用 --framework 框架.yaml 评分）"),
        ]
    if ev.result is None:
        rows.insert(0, ("评分状态", "未评分：评分表有错误，只给出输入完整的小计（部分结果），无总分和等级"))
    xlsx.title_row(ws, 1, "评分信息", 2)
    xlsx.header_row(ws, 2, ["项目", "内容"])
    for i, (key, value) in enumerate(rows, start=3):
        xlsx.text(ws, i, 1, key, bold=True)
        xlsx.text(ws, i, 2, str(value))
        lines = -(-len(str(value)) // 34)  # about 34 CJK characters fit a 70-wide cell
        if lines > 1:
            ws.row_dimensions[i].height = 15 * lines
    if record:
        note = "注：供 jixiao verify 核对的核验记录在隐藏的“核验记录”工作表中；本表如被改动，verify 会指出。"
        xlsx.text(ws, len(rows) + 4, 1, note, border=False, size=9)
        ws.merge_cells(start_row=len(rows) + 4, start_column=1, end_row=len(rows) + 4, end_column=2)
    xlsx.widths(ws, [20, 70])
    xlsx.print_setup(ws, "2:2")  # one page wide: the SHA-256 values stay beside their labels
