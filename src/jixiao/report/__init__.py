"""The scoring section of the 自评报告: build a neutral document, render it as .docx, md or html.

    data = report_input(ev)
    doc = build_report(data, load_templates())
    Path("报告.docx").write_bytes(render_docx(doc))

Wording comes from ``templates/zh.yaml`` (overridable, see :func:`load_templates`). Names are
imported on first use, so ``jixiao score`` (which only needs :mod:`.excel_chart`) does not load
python-docx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.report.builder import ReportInput, build_report, report_input
    from jixiao.report.docx_renderer import render_docx
    from jixiao.report.html_renderer import render_html
    from jixiao.report.markdown_renderer import render_markdown
    from jixiao.report.model import Document
    from jixiao.report.wording import Templates, load_templates

_WHERE = {
    "Document": "model",
    "ReportInput": "builder",
    "Templates": "wording",
    "build_report": "builder",
    "report_input": "builder",
    "load_templates": "wording",
    "render_docx": "docx_renderer",
    "render_html": "html_renderer",
    "render_markdown": "markdown_renderer",
}

__all__ = [
    "Document",
    "ReportInput",
    "Templates",
    "build_report",
    "load_templates",
    "render_docx",
    "render_html",
    "render_markdown",
    "report_input",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"jixiao.report.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'jixiao.report' has no attribute {name!r}")
