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
    assert grid.get(q("type")) == "lines"
    assert round(225 / 25.4 * 1440 / int(grid.get(q("linePitch")))) == 22
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
