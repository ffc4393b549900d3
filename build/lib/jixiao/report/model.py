"""A neutral document model: what the report says, independent of .docx, Markdown or HTML.

The builder produces a :class:`Document`; each renderer turns it into one format. Every cell
and sentence is already final text (figures formatted from the calculator's rounded Decimals),
so renderers only lay things out and escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CellKind = Literal["text", "number", "label"]


@dataclass(frozen=True)
class Cell:
    """One table cell. ``rowspan`` > 1 starts a vertical merge; ``covered`` cells lie under one."""

    text: str
    kind: CellKind = "text"
    bold: bool = False
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False


@dataclass(frozen=True)
class Table:
    """A table with a caption above it, one header row and body rows of equal width."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths
    role: str = ""  # e.g. "summary", "lost", "differences": lets tests and styles find it


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the section title."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (first line indented in the document)."""

    text: str
    role: str = ""  # e.g. "total", "first-level", "note"


@dataclass(frozen=True)
class Figure:
    """A chart as PNG bytes with its caption and a text alternative."""

    png: bytes
    caption: str
    alt: str
    width_cm: float = 14.0


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Fonts:
    """Font names written into the document (must exist on Windows/WPS to look right there)."""

    body: str = "仿宋"
    heading: str = "黑体"
    title: str = "宋体"
    table: str = "宋体"
    latin: str = "Times New Roman"


@dataclass(frozen=True)
class Document:
    """The report section: a title (``\\n`` marks a line break) and its blocks in reading order."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    fonts: Fonts = field(default_factory=Fonts)
    lang: str = "zh-CN"

    def text_lines(self) -> list[str]:
        """Every piece of text in reading order (title, headings, paragraphs, captions, cells)."""
        lines = [self.title]
        for block in self.blocks:
            if isinstance(block, Table):
                lines.append(block.caption)
                lines.extend(block.header)
                lines.extend(c.text for row in block.rows for c in row if not c.covered)
            elif isinstance(block, Figure):
                lines.extend([block.caption, block.alt])
            else:
                lines.append(block.text)
        return lines
