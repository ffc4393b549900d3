"""Read back what the report renderers wrote: text, numbers, tables, fonts."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from lxml import etree

from jixiao.report.numbers import fixed, plain
from jixiao.scoring.result import ScoreResult

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def docx_xml(data: bytes) -> etree._Element:
    """The main part (word/document.xml) of a .docx."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def docx_texts(data: bytes) -> list[str]:
    """Every piece of text a reader can see or hear: runs, and the chart's title and alt text."""
    root = docx_xml(data)
    texts = [t.text or "" for t in root.iter(f"{{{W}}}t")]
    for pr in root.iter(f"{{{WP}}}docPr"):
        texts += [pr.get("descr", ""), pr.get("title", "")]
    return texts


def numbers_in(texts: list[str]) -> list[str]:
    """Every figure written in the texts (98.5% → "98.5")."""
    return [m for t in texts for m in NUMBER.findall(t)]


def calculator_figures(*results: ScoreResult) -> set[str]:
    """Every figure the calculator produced (and every 分值), as the report may write it."""
    values: set[Decimal] = set()
    for r in results:
        values |= {r.total, r.rate, r.max, r.weighted}
        if r.bonus is not None:
            values.add(r.bonus)
        for n in r.walk():
            values |= {n.score, n.lost}
            values |= {v for v in (n.points, n.rate) if v is not None}
    if len(results) == 2:
        first, final = results
        values.add(final.total - first.total)
        by_path = {n.path: n for n in final.walk()}
        values |= {by_path[n.path].score - n.score for n in first.walk() if n.path in by_path}
    values |= {abs(v) for v in values}
    shown = {plain(v) for v in values} | {fixed(v, 2) for v in values}
    return {s.lstrip("-") for s in shown}


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """Each table as rows of cell texts (a merged cell repeats its text, as Word shows it)."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def docx_paragraphs(data: bytes) -> list[str]:
    """The body paragraphs' texts, in order (tables excluded)."""
    from docx import Document

    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]
