"""The scoring section of the 自评报告: build a neutral document, render it as .docx, md or html.

    doc = build_report(ReportInput(ev.result, unit=ev.table.unit_name), load_templates())
    Path("报告.docx").write_bytes(render_docx(doc))

Wording comes from ``templates/zh.yaml`` (overridable, see :func:`load_templates`).
"""

from jixiao.report.builder import ReportInput, build_report
from jixiao.report.docx_renderer import render_docx
from jixiao.report.html_renderer import render_html
from jixiao.report.markdown_renderer import render_markdown
from jixiao.report.model import Document
from jixiao.report.templates import Templates, load_templates

__all__ = [
    "Document",
    "ReportInput",
    "Templates",
    "build_report",
    "load_templates",
    "render_docx",
    "render_html",
    "render_markdown",
]
