"""Render a report :class:`~jixiao.report.model.Document` as one self-contained HTML page.

Every piece of text goes through :func:`escape` (control characters made visible, then
:func:`html.escape`), so sheet text such as ``<script>`` or ESC [2J shows as written; the chart
is embedded as a ``data:`` URI so the page is one file.
"""

from __future__ import annotations

import base64
import html

from jixiao.read.grid import visible
from jixiao.report.model import Cell, Document, Figure, Fonts, Heading, Paragraph, Table


def escape(text: str) -> str:
    """Text as HTML that shows as written: control characters visible (ESC → ␛), ``<&"'`` escaped."""
    return html.escape(visible(text))


def _css(fonts: Fonts) -> str:
    def family(name: str, generic: str) -> str:
        return f'"{name}", "{fonts.latin}", {generic}'

    return f"""
body {{ font-family: {family(fonts.body, "serif")}; font-size: 16pt; line-height: 28pt;
  max-width: 46em; margin: 2em auto; padding: 0 1em; color: #000; }}
h1 {{ font-family: {family(fonts.title, "serif")}; font-size: 22pt; line-height: 1.4;
  text-align: center; }}
h2, h3 {{ font-family: {family(fonts.heading, "sans-serif")}; font-size: 16pt;
  font-weight: normal; text-indent: 2em; margin: 0.4em 0; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
table {{ border-collapse: collapse; margin: 0.3em auto 1em; width: 100%;
  font-family: {family(fonts.table, "serif")}; font-size: 10.5pt; line-height: 1.5; }}
caption {{ font-family: {family(fonts.heading, "sans-serif")}; font-size: 12pt; padding: 0.3em; }}
th, td {{ border: 1px solid #000; padding: 2px 6px; vertical-align: middle; }}
th {{ font-weight: normal; font-family: {family(fonts.heading, "sans-serif")}; }}
td.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.label {{ text-align: center; }}
td.bold {{ font-weight: bold; }}
figure {{ text-align: center; margin: 1em 0; }}
figure img {{ max-width: 80%; }}
figcaption {{ font-family: {family(fonts.heading, "sans-serif")}; font-size: 12pt; }}
"""


def render_html(doc: Document) -> str:
    """The document as an HTML page (UTF-8)."""
    title = escape(doc.title.replace("\n", ""))
    heading = "<br>".join(escape(line) for line in doc.title.split("\n"))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(doc.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="generator" content="jixiao">',
        f"<title>{title}</title>",
        f"<style>{_css(doc.fonts)}</style>",
        "</head>",
        "<body>",
        f"<h1>{heading}</h1>",
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 2), 6)
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            role = f' class="{escape(block.role)}"' if block.role else ""
            parts.append(f"<p{role}>{escape(block.text)}</p>")
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Figure):
            data = base64.b64encode(block.png).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.alt)}">'
                f"<figcaption>{escape(block.caption)}</figcaption></figure>"
            )
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _table(block: Table) -> str:
    role = f' class="{escape(block.role)}"' if block.role else ""
    rows = [f"<table{role}>", f"<caption>{escape(block.caption)}</caption>", "<thead><tr>"]
    rows += [f'<th scope="col">{escape(h)}</th>' for h in block.header]
    rows.append("</tr></thead><tbody>")
    for row in block.rows:
        rows.append("<tr>" + "".join(_td(c) for c in row if not c.covered) + "</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _td(c: Cell) -> str:
    classes = [c.kind] + (["bold"] if c.bold else [])
    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
        f' colspan="{c.colspan}"' if c.colspan > 1 else ""
    )
    return f'<td class="{" ".join(classes)}"{span}>{escape(c.text)}</td>'
