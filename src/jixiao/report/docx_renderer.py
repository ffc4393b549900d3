"""Render a report :class:`~jixiao.report.model.Document` as a Word document (python-docx).

Typography follows Chinese government documents (GB/T 9704): A4, margins 37/35/28/26 mm (天头
37, 订口 28), body in 仿宋_GB2312 三号 (16 pt, falling back to 仿宋) on a grid of 22 lines × 28
characters (see ``_grid``) with a two-character first-line indent, the title in 二号小标宋,
level-1 headings in 三号黑体, tables in 宋体 with single borders, header rows repeated, rows never
split and never one alone on a page, figures right-aligned. Font names are written as East Asian
fonts (``w:rFonts/@w:eastAsia``) so Word and WPS pick them for Chinese text.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, Twips

from jixiao.read.grid import visible
from jixiao.report.model import Cell, Document, Figure, Fonts, Heading, Paragraph, Table

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
HEADING_SIZE = Pt(16)
TABLE_SIZE = Pt(10.5)  # 五号
CAPTION_SIZE = Pt(12)  # 小四
TEXT_WIDTH_CM = 15.6  # A4 210 mm − 28 − 26 mm
_CONTROL = re.compile("[\ufffe\uffff]")


# GB/T 9704 names 仿宋_GB2312 and 小标宋; machines without them (most new Windows, WPS) have
# 仿宋 and 宋体. The font table says so (w:altName), so Word and WPS fall back instead of
# substituting a Latin font.
FALLBACKS = {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "小标宋": "宋体", "楷体_GB2312": "楷体"}
# 版心 225 mm high, 156 mm wide: 22 lines of 28 characters of 三号 (GB/T 9704 7.2).
LINES_PER_PAGE = 22
SHORT_TABLE = 8  # rows; a table this short never breaks across pages
TEXT_HEIGHT_TWIPS = round(225 / 25.4 * 1440)
# 22 lines in the 225 mm 版心: 579 twips (28.95 pt), rounded down: 580 (28.98 pt rounded to the
# twip Word stores) made 22 lines 0.2 pt too tall for the page, and paragraphs that do not snap
# to the grid then got 21.
LINE = Twips(TEXT_HEIGHT_TWIPS // LINES_PER_PAGE)
CHARS_PER_LINE = 28
CHAR_PITCH_PT = TEXT_WIDTH_CM * 10 / 25.4 * 72 / CHARS_PER_LINE  # 15.79 pt
CHAR_SPACE = round((CHAR_PITCH_PT - BODY_SIZE.pt) * 4096)  # −848, in 4096ths of a point
# LibreOffice (7.4) gives every 16 pt character two cells of a grid narrower than 16 pt (14 a
# line), so paragraphs do not snap to the character grid; instead the text is condensed by
# 0.3 pt (w:spacing, twentieths of a point): 28 × 15.7 = 439.6 pt fit the 442.2 pt line and 29
# do not, in Word, WPS and LibreOffice alike. Lines keep their exact spacing (LINE).
CONDENSE_TWENTIETHS = -6
RPR_AFTER_SPACING = (
    *("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd"),
    *("w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish"),
    "w:oMath",
)
PPR_AFTER_SNAP = (
    *("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc"),
    *("w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle"),
    *("w:rPr", "w:sectPr", "w:pPrChange"),
)


def render_docx(doc: Document) -> bytes:
    """The document as .docx bytes."""
    word = new_document()
    _page(word, doc.fonts)
    _styles(word, doc.fonts)
    _font_fallbacks(word, doc.fonts)
    props = word.core_properties
    props.title = doc.title
    props.author = "jixiao"
    props.last_modified_by = "jixiao"
    props.comments = ""
    # Fixed dates: the same figures give the same document (python-docx would stamp "now").
    props.created = props.modified = datetime(2000, 1, 1)
    props.revision = 1

    _title(word, doc.title, doc.fonts)
    for k, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            _heading(word, block, doc.fonts)
        elif isinstance(block, Paragraph):
            # A sentence introducing a table or chart stays on the same page as it.
            following = doc.blocks[k + 1] if k + 1 < len(doc.blocks) else None
            _paragraph(word, block, doc.fonts, isinstance(following, Table | Figure))
        elif isinstance(block, Table):
            _table(word, block, doc.fonts)
        elif isinstance(block, Figure):
            _figure(word, block, doc.fonts)
    buf = io.BytesIO()
    word.save(buf)
    return buf.getvalue()


def set_fonts(run_or_style: object, east_asian: str, latin: str) -> None:
    """Name the Chinese (eastAsia) and Latin fonts of a run or style."""
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = latin
    rpr = run_or_style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")


def _page(word, fonts: Fonts) -> None:
    section = word.sections[0]
    _page_number(section, fonts)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _grid(section)


def _grid(section) -> None:
    """The document grid of GB/T 9704: 22 lines × 28 characters in the 版心.

    ``w:charSpace`` is what Word writes for "每行 28 字": the character pitch is the Normal
    style's size (16 pt) plus charSpace/4096 pt, here 156 mm ÷ 28 = 15.79 pt (charSpace −848).
    Page setup in Word and WPS then shows 22 × 28.
    """
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(TEXT_HEIGHT_TWIPS // LINES_PER_PAGE))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect_pr.append(grid)


def _font_fallbacks(word, fonts: Fonts) -> None:
    """Declare each named Chinese font with its common substitute (w:altName) in the font table."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    try:
        part = word.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    root = etree.fromstring(part.blob)
    used = {fonts.body, fonts.heading, fonts.title, fonts.table}
    for name in sorted(n for n in used if n in FALLBACKS):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), FALLBACKS[name])
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if "仿宋" in name or "楷" in name else "roman")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section, fonts: Fonts) -> None:
    """Page numbers centred at the foot, as government documents print them: — 1 —."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    p._p.append(field)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    field.append(r)
    p._p.append(p.add_run(" —")._r)
    for run in p.runs:
        set_fonts(run, fonts.table, fonts.latin)
        run.font.size = Pt(14)  # 四号


def _styles(word, fonts: Fonts) -> None:
    normal = word.styles["Normal"]
    set_fonts(normal, fonts.body, fonts.latin)
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    # The document language tells Word/WPS to use Chinese line breaking and punctuation rules.
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    # Word refuses elements out of the schema's order (CT_RPr, CT_PPr sequences).
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE_TWENTIETHS))
    rpr.insert_element_before(spacing, *RPR_AFTER_SPACING)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    normal.element.get_or_add_pPr().insert_element_before(snap, *PPR_AFTER_SNAP)


def xml_safe(text: str) -> str:
    """Text XML can hold, control characters shown as everywhere else (VT → ␋, U+0085 → ⟨U+0085⟩).

    A sheet cell may carry a vertical tab, a --templates wording file any control character;
    U+FFFE/U+FFFF (not characters at all) are dropped.
    """
    return _CONTROL.sub("", visible(text))


def _run(paragraph, text: str, east_asian: str, latin: str, size: Pt, bold: bool = False):
    run = paragraph.add_run(xml_safe(text))
    set_fonts(run, east_asian, latin)
    run.font.size = size
    run.font.bold = bold
    return run


def _title(word, text: str, fonts: Fonts) -> None:
    p = word.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(36)
    p.paragraph_format.space_after = Pt(14)
    for k, line in enumerate(text.split("\n")):
        # 小标宋 is a heavy face already; a plain 宋体 title is set in bold instead.
        run = _run(p, line, fonts.title, fonts.latin, TITLE_SIZE, bold="小标宋" not in fonts.title)
        if k:
            run._r.addprevious(_break())


def _break():
    return OxmlElement("w:br")


def _heading(word, block: Heading, fonts: Fonts) -> None:
    p = word.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6)
    _run(p, block.text, fonts.heading, fonts.latin, HEADING_SIZE)


def _paragraph(word, block: Paragraph, fonts: Fonts, keep_with_next: bool) -> None:
    p = word.add_paragraph()
    p.paragraph_format.keep_with_next = keep_with_next
    p.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(p, block.text, fonts.body, fonts.latin, BODY_SIZE)


def _caption(word, text: str, fonts: Fonts, before: bool) -> None:
    p = word.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(22)
    fmt.keep_with_next = before
    fmt.space_before = Pt(6) if before else Pt(0)
    fmt.space_after = Pt(0) if before else Pt(6)
    _run(p, text, fonts.heading, fonts.latin, CAPTION_SIZE)


def _borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "6" if edge.startswith("inside") else "8")  # eighths of a point
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # Word rejects a file whose tblPr children are out of schema order: borders go before these.
    later = [tbl_pr.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    following = next((el for el in later if el is not None), None)
    if following is not None:
        following.addprevious(borders)
    else:
        tbl_pr.append(borders)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def _write_cell(cell, c: Cell | None, text: str, fonts: Fonts, *, header: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(2)
    kind = c.kind if c else "text"
    if header or kind == "label":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind == "number":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    bold = header or bool(c and c.bold)
    _run(
        p,
        text,
        fonts.heading if header else fonts.table,
        fonts.latin,
        TABLE_SIZE,
        bold=False if header else bold,
    )


def _table(word, block: Table, fonts: Fonts) -> None:
    _caption(word, block.caption, fonts, before=True)
    ncols = len(block.header)
    table = word.add_table(rows=1 + len(block.rows), cols=ncols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    widths = block.widths or (1.0,) * ncols
    scale = TEXT_WIDTH_CM / sum(widths)
    for i, w in enumerate(widths):
        # Both the grid (LibreOffice, WPS) and each cell (Word) carry the width.
        table.columns[i].width = Cm(w * scale)
        for cell in table.columns[i].cells:
            cell.width = Cm(w * scale)
    header = table.rows[0]
    _repeat_header(header)
    for cell in header.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True
    for i, title in enumerate(block.header):
        _write_cell(header.cells[i], None, title, fonts, header=True)
    merges: list[tuple[int, int, int, int]] = []
    last = len(block.rows)
    for r, row in enumerate(block.rows, start=1):
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        # Never one row alone on a page: the first row stays with the header, the last with the
        # row before it (keep-with-next on the rows before them).
        # A short table (a grade distribution) is kept whole on one page.
        if r == 1 or r == last - 1 or (last <= SHORT_TABLE and r < last):
            for cell in table.rows[r].cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
        for k, c in enumerate(row):
            if c.covered:
                continue
            _write_cell(table.cell(r, k), c, c.text, fonts)
            if c.rowspan > 1 or c.colspan > 1:
                merges.append((r, k, r + c.rowspan - 1, k + c.colspan - 1))
    for r0, c0, r1, c1 in merges:
        keep = table.cell(r0, c0).text
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        # merge() concatenates the paragraphs of the merged cells; keep only the first.
        for extra in merged.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        assert merged.text == keep


def _figure(word, block: Figure, fonts: Fonts) -> None:
    p = word.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6)
    run = p.add_run()
    shape = run.add_picture(io.BytesIO(block.png), width=Cm(min(block.width_cm, TEXT_WIDTH_CM)))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", xml_safe(block.alt))
    doc_pr.set("title", xml_safe(block.caption))
    _caption(word, block.caption, fonts, before=False)
