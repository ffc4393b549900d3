"""The 核对结果 workbook: one row per claim for a reviewer to annotate, and the findings."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.auditing import AuditResult
from jixiao.auditing.model import Status
from jixiao.write import xlsx
from jixiao.write.files import write_atomically

STATUS_LABEL = {Status.AGREES: "✓ 一致", Status.DIFFERS: "✗ 不符", Status.UNCHECKED: "未核对"}
_REVIEW_FILL = xlsx.INPUT_FILL
_WIDTHS = [6.0, 14.0, 44.0, 30.0, 10.0, 48.0, 24.0]
LINE_HEIGHT = 16.5
"""Points per wrapped line: the row heights are set, since neither Excel nor LibreOffice
grows a row for wrapped text in a file it did not lay out itself."""


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide."""
    per_line = max(int(width) - 2, 1)
    return sum(max(-(-xlsx.display_width(part) // per_line), 1) for part in (text or "").split("\n"))


def write_audit_workbook(result: AuditResult, out: Path) -> None:
    """Write the 核对结果 workbook to ``out`` atomically."""
    wb = build_audit_workbook(result)
    write_atomically(out, wb.save)


def build_audit_workbook(result: AuditResult) -> Workbook:
    """The workbook in memory: 核对结果 (claims), 问题 (findings)."""
    wb = Workbook()
    wb.properties.creator = "jixiao"
    ws = wb.active
    ws.title = "核对结果"
    xlsx.title_row(ws, 1, f"{result.source.name} 数字核对结果", 7)
    summary = (
        f"共 {len(result.claims)} 处数字，核对 {result.checks} 项：一致 {result.count(Status.AGREES)}，"
        f"不符 {result.count(Status.DIFFERS)}，未核对 {result.count(Status.UNCHECKED)}"
    )
    xlsx.text(ws, 2, 1, summary, border=False, size=10)
    ws.merge_cells("A2:G2")
    xlsx.header_row(ws, 3, ["序号", "位置", "报告原文", "数字", "结果", "核对说明", "复核意见"])
    for i, claim in enumerate(result.claims, start=1):
        row = 3 + i
        figures = "；".join(f"{f.role} {f.printed}" for f in claim.figures)
        xlsx.number(ws, row, 1, i, fmt="0", align="center")
        xlsx.text(ws, row, 2, claim.place, align="center")
        xlsx.text(ws, row, 3, claim.text)
        xlsx.text(ws, row, 4, figures)
        xlsx.text(ws, row, 5, STATUS_LABEL[claim.status], align="center", bold=claim.status is Status.DIFFERS)
        xlsx.text(ws, row, 6, "\n".join(claim.notes) or "没有可对照的数字")
        xlsx.text(ws, row, 7, None, fill=_REVIEW_FILL)
        texts = {3: claim.text, 4: figures, 6: "\n".join(claim.notes)}
        ws.row_dimensions[row].height = LINE_HEIGHT * max(_lines(t, _WIDTHS[c - 1]) for c, t in texts.items())
    last = 3 + len(result.claims)
    xlsx.widths(ws, _WIDTHS)
    ws.freeze_panes = "A4"
    if result.claims:
        ws.auto_filter.ref = f"A3:G{last}"
        choice = DataValidation(type="list", formula1='"确认有误,无误,待核实"', allow_blank=True)
        choice.error = "请选择或直接填写复核意见"
        choice.showErrorMessage = False  # a reviewer may write a sentence instead
        ws.add_data_validation(choice)
        choice.add(f"G4:G{last}")
    xlsx.print_setup(ws, "3:3", landscape=True)

    fs = wb.create_sheet("问题")
    xlsx.header_row(fs, 1, ["序号", "代码", "位置", "指标", "说明"])
    for i, f in enumerate(result.findings, start=1):
        xlsx.number(fs, 1 + i, 1, i, fmt="0", align="center")
        xlsx.text(fs, 1 + i, 2, f.code)
        xlsx.text(fs, 1 + i, 3, f.position.place, align="center")
        xlsx.text(fs, 1 + i, 4, " / ".join(f.path) or None)
        xlsx.text(fs, 1 + i, 5, f.message)
    if not result.findings:
        xlsx.text(fs, 2, 1, "核对的数字全部一致", border=False)
    xlsx.widths(fs, [6, 24, 14, 20, 70])
    xlsx.print_setup(fs, "1:1", landscape=True)
    return wb
