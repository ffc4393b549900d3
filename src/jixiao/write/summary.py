"""The summary workbook of ``jixiao batch``: 汇总, 等级分布 (with a chart), 指标得分率, 扣分原因, 错误.

汇总 has one row per scored department (unit name, file, framework, total, 得分率, grade,
一级 subtotals, rank, number of warnings); 等级分布 counts departments per grade with a native
Excel bar chart; 指标得分率 gives the average, minimum and maximum 得分率 of every indicator
across departments, lowest average first; 扣分原因 every deduction reason a counted department
wrote, with its indicator; 错误 lists every file that could not be scored, with
its findings, and every file skipped (jixiao's own earlier outputs) with the reason. 排名 is
the rank within the framework; with several frameworks each 一级 column names its framework
and those columns stand right of 框架内排名 and 警告数, outside the print area.
Every text taken from a sheet or a file name is written as text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from jixiao.batch.run import FileOutcome
from jixiao.batch.summary import BatchSummary, Resubmission, framework_label
from jixiao.matching.sheet_tree import SHEET_FRAMEWORK_ID
from jixiao.read.mark import OUTPUT_CREATOR
from jixiao.values import quantize
from jixiao.write import xlsx
from jixiao.write.files import write_atomically

SHEETS = ("汇总", "等级分布", "指标得分率", "错误")
REASONS_SHEET = "扣分原因"
"""Every 扣分原因 the counted units wrote, one per row (summaries before it lack this sheet)."""
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
SEVERITY = {"error": "错误", "warning": "警告"}
RATE_PLACES = 2


def write_summary(summary: BatchSummary, out: Path, produced_at: str | None = None) -> None:
    """Write the summary workbook to ``out`` (atomically)."""
    wb = build_summary_workbook(summary, produced_at)
    write_atomically(out, wb.save)


def build_summary_workbook(summary: BatchSummary, produced_at: str | None = None) -> Workbook:
    """The summary workbook in memory (small: figures only, no department's workbook)."""
    wb = Workbook()
    wb.properties.creator = OUTPUT_CREATOR  # marks jixiao's own output: a later batch skips it
    ws = wb.active
    ws.title = SHEETS[0]
    _summary_sheet(ws, summary, produced_at)
    if len(summary.frameworks) > 1:
        # The combined table is for filtering; each framework also gets a sheet a person can
        # print and read (its own 一级 columns only, wrapped, with borders).
        for fid in summary.frameworks:
            _framework_sheet(wb.create_sheet(framework_sheet_name(fid)), summary, fid)
    _grades_sheet(wb.create_sheet(SHEETS[1]), summary)
    _indicators_sheet(wb.create_sheet(SHEETS[2]), summary)
    _reasons_sheet(wb.create_sheet(REASONS_SHEET), summary)
    _errors_sheet(wb.create_sheet(SHEETS[3]), summary)
    return wb


BOXED_ROWS = 2000
"""Up to this many rows a table gets borders and wrapped text; a province's batch stays fast."""


def _put(ws: Any, row: int, col: int, value: Any, fmt: str | None = None, *, boxed: bool = False) -> None:
    # Data cells of long tables are written plainly (no per-cell style objects: thousands of
    # rows stay fast); text is forced to text so a name starting with "=" never becomes a formula.
    align = "left" if isinstance(value, str) or value is None else "right"
    cell = xlsx.text(ws, row, col, value, styled=boxed, align=align, size=10)
    if not isinstance(value, str) and fmt and value is not None:
        cell.number_format = fmt


_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def framework_sheet_name(fid: str) -> str:
    """The sheet of one framework's departments (Excel allows 31 characters, no []:*?/\\)."""
    safe = framework_label(fid) if fid == SHEET_FRAMEWORK_ID else _SHEET_UNSAFE.sub("-", fid)
    name = f"汇总（{safe}）"
    return name if len(name) <= 31 else name[:30] + "）"


_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _framework_sheet(ws: Any, s: BatchSummary, fid: str) -> None:
    """One framework's departments, ranked: 排名 | 单位名称 | 总分 | 得分率 | 等级 | 一级 | 文件."""
    counted = [o for o in s.counted if (o.framework_id or "") == fid]
    ranks = s.ranks()
    counted.sort(key=lambda o: (ranks[id(o)], str(o.path)))
    firsts = [name for f, name in s.first_levels if f == fid]
    title = counted[0].framework_title if counted and counted[0].framework_title else fid
    columns = [
        "排名",
        "单位名称",
        "总分",
        "得分率（%）",
        "等级",
        *(f"{n}（得分）" for n in firsts),
        "警告数",
        "文件",
    ]
    xlsx.title_row(ws, 1, f"{title}：{len(counted)} 个单位", len(columns))
    xlsx.header_row(ws, 2, columns)
    for r, o in enumerate(counted, start=3):
        by_name = {x.name: x.score for x in o.subtotals}
        values = [ranks[id(o)], o.unit, o.total, o.rate, o.grade, *(by_name.get(n) for n in firsts)]
        values += [o.warnings, o.file_name]
        for c, value in enumerate(values, start=1):
            fmt = "0" if c in (1, len(values) - 1) else xlsx.SCORE_FORMAT
            _put(ws, r, c, value, fmt, boxed=True)
        ws.cell(r, 5).alignment = _CENTRED
    xlsx.widths(
        ws, [6, 30, 9, 11, 7, *[max(10, min(16, xlsx.display_width(n) // 2 + 6)) for n in firsts], 7, 24]
    )
    _fit_rows(ws, 2, 2 + len(counted))
    ws.freeze_panes = "C3"
    xlsx.print_setup(ws, "2:2", landscape=True)


def _summary_sheet(ws: Any, s: BatchSummary, produced_at: str | None) -> None:
    columns = s.summary_columns()
    rows = s.summary_rows()
    mixed = len(s.frameworks) > 1
    # Several frameworks: each row fills only its own framework's 一级 columns, which stand
    # last (BatchSummary.summary_columns). On paper the combined table is the list of every
    # unit with its total, grade and rank, so the print area stops before them (on screen they
    # stay for filtering); each framework's own sheet prints its 一级 subtotals.
    printed = 8 if mixed else len(columns)
    kinds = s.kinds
    # 部门整体支出 or 项目支出 when the batch holds one kind; both kinds: just 绩效自评汇总.
    title = f"{kinds[0] if len(kinds) == 1 and kinds[0] else '部门整体支出'}绩效自评汇总"
    if len(kinds) > 1:
        title = "绩效自评汇总"
    xlsx.title_row(ws, 1, title, printed)
    note = f"共 {len(s.scored) + len(s.failed) + len(s.skipped)} 个文件：已评分 {len(s.scored)} 个"
    note += f"，未能评分 {len(s.failed)} 个（见“错误”工作表）" if s.failed else ""
    if s.skipped:
        why = "、".join(dict.fromkeys(_skip_kind(o.skipped) for o in s.skipped))
        note += f"，跳过 {len(s.skipped)} 个（{why}，见“错误”工作表）"
    resubmitted = s.resubmissions()
    if resubmitted:
        older = sum(len(r.older) for r in resubmitted)
        note += f"；{len(resubmitted)} 个单位重复报送" + (
            "（均计入排名）" if s.count_resubmissions else f"，较早的 {older} 个文件未计入排名和统计"
        )
    if mixed:
        note += (
            "；排名只在同一评价框架内比较；本表打印前 8 列，各框架的一级指标得分在右侧各列，"
            "按框架打印的汇总表见各“汇总（…）”工作表"
        )
    if produced_at:
        note += f"；生成时间（UTC）{produced_at}"
    xlsx.header_row(ws, 3, columns)
    numeric = {"总分", "得分率（%）"} | {c for c in columns if c.endswith("（得分）")}
    formats = [xlsx.SCORE_FORMAT if c in numeric else "0" for c in columns]
    boxed = len(rows) <= BOXED_ROWS
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value, formats[c - 1], boxed=boxed)
        if boxed:
            ws.cell(r, 6).alignment = _CENTRED  # 等级
    if mixed:
        firsts = [14] * (len(columns) - 8)
        xlsx.widths(ws, [24, 30, 16, 9, 9, 6, 11, 8, *firsts])
    else:
        firsts = [max(17, min(40, xlsx.display_width(c) + 2)) for c in columns[6:-2]]
        xlsx.widths(ws, [28, 30, 16, 9, 12, 8, *firsts, 12, 8])
    # The note wraps inside the printed width (a long unwrapped line ran off the page).
    xlsx.text(ws, 2, 1, note, border=False, size=10)
    if printed > 1:
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=printed)
    width = sum(ws.column_dimensions[_col(c)].width for c in range(1, printed + 1))
    ws.row_dimensions[2].height = 15 * max(1, -(-xlsx.display_width(note) // int(width)))
    if boxed:
        _fit_rows(ws, 3, 3 + len(rows))
    ws.freeze_panes = "B4"
    if s.counted:
        ws.auto_filter.ref = f"A3:{_col(len(columns))}{3 + len(s.counted)}"
    xlsx.print_setup(ws, "3:3", landscape=True)
    if mixed:
        ws.print_area = f"A1:{_col(printed)}{3 + len(rows)}"


def _grades_sheet(ws: Any, s: BatchSummary) -> None:
    from openpyxl.chart import BarChart, Reference

    by_kind = s.grade_counts_by_kind()
    # Several kinds (部门整体支出 and 项目支出): each gets its own count and share columns.
    kinds = [k for k, _ in by_kind] if len(by_kind) > 1 else []
    titles = ["等级", "单位数", "占比（%）"]
    for kind in kinds:
        titles += [f"{kind or '未注明'}：单位数", f"{kind or '未注明'}：占比（%）"]
    xlsx.title_row(ws, 1, "等级分布", len(titles))
    xlsx.header_row(ws, 2, titles)
    counts = s.grade_counts()
    total = len(s.counted)
    columns = [(counts, total)] + [(c, sum(n for _, n in c)) for k, c in by_kind if k in kinds]
    for i, (label, _) in enumerate(counts, start=3):
        xlsx.text(ws, i, 1, label, align="center")
        for j, (column, size) in enumerate(columns):
            count = dict(column).get(label, 0)
            xlsx.number(ws, i, 2 + 2 * j, count, "0")
            share = quantize(Decimal(count) * 100 / size, RATE_PLACES) if size else None
            xlsx.number(ws, i, 3 + 2 * j, share)
    last = 2 + len(counts)
    xlsx.text(ws, last + 1, 1, "合计", bold=True, fill=xlsx.TOTAL_FILL, align="center")
    for j, (_, size) in enumerate(columns):
        xlsx.number(ws, last + 1, 2 + 2 * j, size, "0", bold=True, fill=xlsx.TOTAL_FILL)
        share_total = Decimal(100) if size else None
        xlsx.number(ws, last + 1, 3 + 2 * j, share_total, bold=True, fill=xlsx.TOTAL_FILL)
    xlsx.widths(ws, [10, 10, 12, *[18, 20] * len(kinds)])
    if counts:
        chart = BarChart()
        chart.type = "col"
        chart.title = "各等级单位数"
        chart.y_axis.title = "单位数"
        chart.x_axis.title = "等级"
        chart.legend = None
        chart.add_data(Reference(ws, min_col=2, min_row=2, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=last))
        # openpyxl hides axes unless told otherwise (delete=True by default in 3.1).
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.majorGridlines = None
        chart.width, chart.height = 12, 7.5
        ws.add_chart(chart, f"A{last + 3}")
    xlsx.print_setup(ws, "2:2")


def _indicators_sheet(ws: Any, s: BatchSummary) -> None:
    stats = s.indicator_rows()
    depth = max((len(x.path) for x in stats), default=1)
    titles = [
        "评价框架",
        *LEVEL_NAMES[:depth],
        "单位数",
        "平均得分率（%）",
        "最低得分率（%）",
        "最高得分率（%）",
        "平均扣分",
    ]
    xlsx.title_row(ws, 1, "各指标得分率（平均得分率最低的在前）", len(titles))
    xlsx.header_row(ws, 2, titles)
    for r, x in enumerate(stats, start=3):
        _put(ws, r, 1, framework_label(x.framework_id))
        for level in range(depth):
            _put(ws, r, 2 + level, x.path[level] if level < len(x.path) else None)
        c = 2 + depth
        _put(ws, r, c, x.count, "0")
        average = x.average
        _put(
            ws,
            r,
            c + 1,
            quantize(average, RATE_PLACES) if average is not None else None,
            xlsx.SCORE_FORMAT,
        )
        _put(ws, r, c + 2, x.minimum, xlsx.SCORE_FORMAT)
        _put(ws, r, c + 3, x.maximum, xlsx.SCORE_FORMAT)
        _put(ws, r, c + 4, quantize(x.lost_sum / x.count, RATE_PLACES), xlsx.SCORE_FORMAT)
    xlsx.widths(ws, [16, *[18] * depth, 8, 14, 14, 14, 10])
    ws.freeze_panes = ws.cell(row=3, column=2 + depth)
    if stats:
        ws.auto_filter.ref = f"A2:{_col(len(titles))}{2 + len(stats)}"
    xlsx.print_setup(ws, "2:2", landscape=True)


def _reasons_sheet(ws: Any, s: BatchSummary) -> None:
    """单位名称 | 评价框架 | 指标 | 扣分原因 | 文件, in the order the units were scored: what a
    bureau reads, and what ``jixiao report 汇总.xlsx`` counts the common reasons from."""
    titles = ["单位名称", "评价框架", "指标", "扣分原因", "文件"]
    xlsx.title_row(ws, 1, "各单位填写的扣分原因（计入排名和统计的单位）", len(titles))
    xlsx.header_row(ws, 2, titles)
    lines = [
        [o.unit or o.file_stem, framework_label(o.framework_id), " / ".join(path), reason, o.file_name]
        for o in s.counted
        for path, reason in o.reasons
    ]
    boxed = len(lines) <= BOXED_ROWS
    for r, values in enumerate(lines, start=3):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value, boxed=boxed)
    if not lines:
        xlsx.text(ws, 3, 1, "各单位的评分表中没有填写扣分原因", border=False)
    xlsx.widths(ws, [24, 16, 30, 56, 30])
    if boxed:
        _fit_rows(ws, 2, 2 + len(lines))
    ws.freeze_panes = "A3"
    if lines:
        ws.auto_filter.ref = f"A2:E{2 + len(lines)}"
    xlsx.print_setup(ws, "2:2", landscape=True)


def _errors_sheet(ws: Any, s: BatchSummary) -> None:
    titles = ["文件", "级别", "代码", "单元格", "指标", "说明"]
    xlsx.title_row(ws, 1, "未能评分、跳过和重复报送的文件", len(titles))
    xlsx.header_row(ws, 2, titles)
    row = 3
    lines: list[list[Any]] = []
    for o in s.failed:
        lines.append([str(o.path), "错误", None, None, None, o.error])
        for f in o.findings:
            where = f.position.label(with_sheet=True) or None
            lines.append(
                [str(o.path), SEVERITY[str(f.severity)], f.code, where, " / ".join(f.path) or None, f.message]
            )
    lines += [[str(o.path), "跳过", None, None, None, o.skipped] for o in s.skipped]
    for r in s.resubmissions():
        for o in r.older:
            note = resubmission_note(r, o, counted=s.count_resubmissions)
            lines.append([str(o.path), "重复报送", None, None, None, note])
    boxed = len(lines) <= BOXED_ROWS  # borders and wrapped text, inside the printed page
    for values in lines:
        for c, value in enumerate(values, start=1):
            _put(ws, row, c, value, boxed=boxed)
        row += 1
    if not s.failed and not s.skipped and not s.resubmissions():
        xlsx.text(ws, row, 1, "所有文件均已评分", border=False)
    xlsx.widths(ws, [30, 9, 18, 12, 20, 60])
    if boxed:
        _fit_rows(ws, 2, row - 1)
    ws.freeze_panes = "A3"
    xlsx.print_setup(ws, "2:2", landscape=True)


def resubmission_note(r: Resubmission, older: FileOutcome, *, counted: bool) -> str:
    """One line about a resubmitted file: which file counts instead, and why they are one unit."""
    what = f"与 {r.kept.file_name} 是同一单位的报送（{r.reason}）"
    if counted:
        return f"{what}；按要求两份都计入排名和统计"
    return f"{what}；以较新的 {r.kept.file_name} 为准，本文件未计入排名和统计"


def _skip_kind(reason: str | None) -> str:
    return "jixiao 生成的结果文件" if reason == "jixiao 生成的结果文件" else "非评分表附件"


def _fit_rows(ws: Any, first: int, last: int, size: float = 10) -> None:
    """Row heights that show every wrapped line (neither Excel nor LibreOffice grows a row
    whose height a file leaves unset when it prints or converts it)."""
    from math import ceil

    from openpyxl.utils import get_column_letter

    widths = {
        c: (ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, ws.max_column + 1)
    }
    for r in range(first, last + 1):
        lines = 1
        for c, width in widths.items():
            value = ws.cell(r, c).value
            if isinstance(value, str):
                lines = max(lines, ceil(xlsx.display_width(value) / max(width - 1, 1)))
        ws.row_dimensions[r].height = max(15, size * 1.5 * lines)


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)
