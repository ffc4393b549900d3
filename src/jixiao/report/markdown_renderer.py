"""Render a report :class:`~jixiao.report.model.Document` as Markdown (CommonMark + pipe tables).

Sheet text (indicator names, 扣分原因) and a bureau's wording are escaped so that they show as
written: control characters are made visible (ESC → ␛, U+0085 → ⟨U+0085⟩), Markdown and HTML
characters get a backslash, line breaks inside a table cell become spaces. The chart is linked
as a PNG file written next to the Markdown file.
"""

from __future__ import annotations

import re

from jixiao.read.grid import visible
from jixiao.report.model import Cell, Document, Figure, Heading, Paragraph, Table

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones
# that can change how text renders (emphasis, links, HTML, tables, code, entities).
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE)


def escape_inline(text: str) -> str:
    """Markdown-escape text that sits inside a line (a table cell, after a heading mark)."""
    return _SPECIAL.sub(r"\\\1", visible(text))


def escape(text: str) -> str:
    """Markdown-escape text copied from a sheet so it renders literally, also at a line start."""
    escaped = escape_inline(text)
    # "1." or "-" at the start of a line would start a list.
    escaped = _LINE_START.sub(r"\1\2\\\3", escaped)
    return re.sub(r"^(\s*)([-=])", r"\1\\\2", escaped, flags=re.MULTILINE)


def _cell(text: str) -> str:
    return escape_inline(" ".join(text.split()))


def render_markdown(doc: Document, image_name: str | None = None) -> str:
    """The document as Markdown; ``image_name`` is the chart file's name (no chart if None).

    Only the first chart is linked (one file is written beside the report)."""
    title = escape_inline(doc.title.replace("\n", ""))
    out: list[str] = [f"# {title}", ""]
    first_figure = next((b for b in doc.blocks if isinstance(b, Figure)), None)
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {escape_inline(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += [escape(block.text), ""]
        elif isinstance(block, Table):
            out += [f"**{escape_inline(block.caption)}**", "", *_table(block), ""]
        elif isinstance(block, Figure) and image_name and block is first_figure:  # one chart file
            out += [
                f"![{escape_inline(block.alt)}](<{image_name}>)",
                "",
                f"*{escape_inline(block.caption)}*",
                "",
            ]
    return "\n".join(out).rstrip("\n") + "\n"


def _table(block: Table) -> list[str]:
    align = []
    for k in range(len(block.header)):
        kinds = {row[k].kind for row in block.rows if not row[k].covered}
        align.append("---:" if kinds == {"number"} else ":---:" if kinds == {"label"} else "---")
    lines = [
        "| " + " | ".join(_cell(h) for h in block.header) + " |",
        "| " + " | ".join(align) + " |",
    ]
    for row in block.rows:
        lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return lines


def _md_cell(c: Cell) -> str:
    if c.covered:
        return ""  # Markdown has no merged cells: a group's name shows once, as in the reports
    text = _cell(c.text)
    return f"**{text}**" if c.bold and text else text
