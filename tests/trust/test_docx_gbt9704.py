"""The Word report follows GB/T 9704 where it applies."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from jixiao.cli import main
from tests.conftest import SHEETS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _report(tmp_path: Path) -> zipfile.ZipFile:
    out = tmp_path / "r.docx"
    assert main(["report", str(SHEETS / "shaoguan-2023-kexie.xlsx"), "-o", str(out)]) == 0
    return zipfile.ZipFile(out)


def test_page_grid_and_fonts(tmp_path: Path):
    z = _report(tmp_path)
    doc = etree.fromstring(z.read("word/document.xml"))
    sect = doc.find(f".//{q('sectPr')}")
    mar = sect.find(q("pgMar"))
    mm = lambda v: round(int(v) / 1440 * 25.4)  # noqa: E731
    assert (mm(mar.get(q("top"))), mm(mar.get(q("left")))) == (37, 28)  # 天头, 订口
    size = sect.find(q("pgSz"))
    assert (mm(size.get(q("w"))), mm(size.get(q("h")))) == (210, 297)
    grid = sect.find(q("docGrid"))
    assert grid.get(q("type")) == "linesAndChars"
    assert round(225 / 25.4 * 1440 / int(grid.get(q("linePitch")))) == 22
    # Word's character pitch: the Normal style's 16 pt plus charSpace/4096 pt; 28 of them make
    # the 156 mm line (210 − 28 − 26 mm).
    pitch = 16 + int(grid.get(q("charSpace"))) / 4096
    width = (int(size.get(q("w"))) - int(mar.get(q("left"))) - int(mar.get(q("right")))) / 20
    assert round(width / pitch, 2) == 28.00
    fonts = etree.fromstring(z.read("word/fontTable.xml"))
    alt = {
        f.get(q("name")): f.find(q("altName")).get(q("val"))
        for f in fonts.findall(q("font"))
        if f.find(q("altName")) is not None
    }
    assert alt["仿宋_GB2312"] == "仿宋" and alt["方正小标宋简体"] == "宋体"
    styles = etree.fromstring(z.read("word/styles.xml"))
    normal = next(s for s in styles.findall(q("style")) if s.get(q("styleId")) == "Normal")
    assert normal.find(f"{q('rPr')}/{q('rFonts')}").get(q("eastAsia")) == "仿宋_GB2312"
    assert normal.find(f"{q('rPr')}/{q('sz')}").get(q("val")) == "32"  # 三号 16 pt
    # Condensed by 0.3 pt and off the character grid (LibreOffice spreads 16 pt characters over
    # two cells of a narrower grid), each element where the schema puts it (Word rejects others).
    assert normal.find(f"{q('rPr')}/{q('spacing')}").get(q("val")) == "-6"
    assert normal.find(f"{q('pPr')}/{q('snapToGrid')}").get(q("val")) == "0"
    rpr_order = ["rFonts", "b", "i", "snapToGrid", "color", "spacing", "w", "kern", "sz", "szCs", "lang"]
    ppr_order = ["keepNext", "widowControl", "snapToGrid", "spacing", "ind", "jc"]
    for part, order in (("rPr", rpr_order), ("pPr", ppr_order)):
        tags = [etree.QName(e).localname for e in normal.find(q(part))]
        known = [t for t in tags if t in order]
        assert known == sorted(known, key=order.index), (part, tags)


def test_tables_repeat_headers_and_leave_no_row_alone(tmp_path: Path):
    doc = etree.fromstring(_report(tmp_path).read("word/document.xml"))
    for table in doc.iter(q("tbl")):
        rows = table.findall(q("tr"))
        assert rows[0].find(f"{q('trPr')}/{q('tblHeader')}") is not None
        assert all(r.find(f"{q('trPr')}/{q('cantSplit')}") is not None for r in rows)
        if len(rows) >= 3:
            # The row before the last keeps with the last: the last row never stands alone.
            assert rows[-2].find(f".//{q('keepNext')}") is not None
            assert rows[0].find(f".//{q('keepNext')}") is not None


def test_a_body_line_holds_28_characters_when_rendered(tmp_path: Path, soffice):
    """Rendered by LibreOffice: every full line of a long Chinese paragraph has 28 characters
    (the first, indented two characters, 26), a full page 22 lines, and a table's text is not
    spread over the grid."""
    import subprocess

    from jixiao.report.docx_renderer import render_docx
    from jixiao.report.model import Cell, Document, Paragraph, Table
    from tests.conftest import convert_with_soffice

    sentence = "部门整体支出绩效自评工作按照财政部门的统一部署开展本单位对照评价指标体系逐项核实"
    text = sentence * 40  # 1,600 characters: two pages and more
    row = (Cell("履职效能"), Cell("整体效能"), Cell("22.31", "number"))
    doc = Document(
        title="报告",
        blocks=(
            Paragraph(text),
            Paragraph("得分如下："),
            Table("表1", ("一级指标", "二级指标", "自评得分"), (row,)),
        ),
    )
    source = tmp_path / "grid.docx"
    source.write_bytes(render_docx(doc))
    pdf = convert_with_soffice(soffice, source, "pdf", tmp_path)

    def page(n: int) -> list[str]:
        out = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return [
            line.replace(" ", "") for line in out.splitlines() if line.strip() and line.strip()[0] in sentence
        ]

    first, second = page(1), page(2)
    assert len(first[0]) == 26 and {len(line) for line in first[1:]} == {28}
    assert len(second) == 22 and {len(line) for line in second} == {28}
    everything = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    body = "".join(
        line.replace(" ", "") for line in everything.splitlines() if line.strip()[:1] in set(sentence)
    )
    assert text in body  # nothing lost, and in order
    assert "22.31" in everything and "履职效能" in everything  # table text not split a character per cell
