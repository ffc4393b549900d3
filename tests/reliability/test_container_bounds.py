"""Every container bound applies in the one pass, whatever the XML's quoting or the part's place."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from jixiao.errors import SheetError
from jixiao.read import dispatch, grid, safety
from jixiao.scoring.pipeline import score_file
from tests.builders import shaoguan_sheet
from tests.hostile import rewrite_zip

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def good(tmp_path) -> Path:
    return shaoguan_sheet(tmp_path / "good.xlsx")


def _in_sheet(src: Path, out: Path, edit) -> Path:
    return rewrite_zip(src, out, lambda name, data: edit(data.decode()).encode() if name == SHEET else None)


def _add_merge(text: str, element: str) -> str:
    text = re.sub(r"<mergeCells[^>]*>.*?</mergeCells>", "", text)
    return text.replace("</sheetData>", f"</sheetData><mergeCells>{element}</mergeCells>")


@pytest.mark.parametrize(
    "element",
    [
        "<mergeCell ref='G1:XFD1048576'/>",
        '<mergeCell ref="$G$1:$XFD$1048576"/>',
        '<mergeCell ref="g1:xfd1048576"/>',
        '<mergeCell  ref = "G1:XFD1048576" />',
        '<mergeCell xmlns:foo="urn:foo" foo:x="1" ref="G1:XFD1048576"/>',
        '<mergeCell ref="G:XFD"/>',
        '<mergeCell ref="1:1048576"/>',
    ],
)
def test_a_huge_merge_is_refused_however_written(good, tmp_path, element):
    bad = _in_sheet(good, tmp_path / "m.xlsx", lambda t: _add_merge(t, element))
    for reader in ("calamine", "openpyxl"):
        start = time.perf_counter()
        with pytest.raises(SheetError) as info:
            dispatch.load_grids(bad, reader=reader)
        assert time.perf_counter() - start < 5
        assert "合并单元格" in str(info.value)


def test_merged_area_bound_at_its_edge(good, tmp_path, monkeypatch):
    # the builder merges A3:A4 and A5:A11 (9 cells); one more 1×N range brings the total to N + 9
    path = _in_sheet(
        good,
        tmp_path / "m.xlsx",
        lambda t: t.replace("</mergeCells>", '<mergeCell ref="G1:G100"/></mergeCells>'),
    )
    monkeypatch.setattr(safety, "MAX_MERGED_CELLS", 109)
    dispatch.load_grids(path)
    monkeypatch.setattr(safety, "MAX_MERGED_CELLS", 108)
    with pytest.raises(SheetError, match="合并单元格"):
        dispatch.load_grids(path)


def _move_sheet(src: Path, out: Path) -> Path:
    """The worksheet stored at xl/data/sheet1.xml, as the relationships allow."""

    def change(name: str, data: bytes) -> bytes | None:
        if name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            return data.replace(b"worksheets/sheet1.xml", b"data/sheet1.xml")
        return None

    rewrite_zip(src, out, change)
    import zipfile

    moved = out.with_suffix(".moved.xlsx")
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name = "xl/data/sheet1.xml" if info.filename == SHEET else info.filename
            zout.writestr(name, zin.read(info))
    return moved


def test_a_worksheet_stored_elsewhere_is_read_and_bounded(good, tmp_path, monkeypatch):
    moved = _move_sheet(good, tmp_path / "x.xlsx")
    assert score_file(moved, "shaoguan-2023").total is not None  # read where the rels say
    import zipfile

    with zipfile.ZipFile(moved) as zf:
        size = zf.getinfo("xl/data/sheet1.xml").file_size
    monkeypatch.setattr(safety, "MAX_WORKSHEET_XML", size)
    dispatch.load_grids(moved)
    monkeypatch.setattr(safety, "MAX_WORKSHEET_XML", size - 1)
    for reader in ("calamine", "openpyxl"):
        with pytest.raises(SheetError, match="工作表数据过大"):
            dispatch.load_grids(moved, reader=reader)


def _styles(count: int):
    def change(name: str, data: bytes) -> bytes | None:
        if name != "xl/styles.xml":
            return None
        text = data.decode()
        xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
        return re.sub(
            r"<cellXfs[^>]*>.*?</cellXfs>", f'<cellXfs count="{count}">{xfs}</cellXfs>', text, flags=re.S
        ).encode()

    return change


def test_cell_styles_bound_at_its_edge(good, tmp_path, monkeypatch):
    path = rewrite_zip(good, tmp_path / "s.xlsx", _styles(50))
    monkeypatch.setattr(safety, "MAX_CELL_STYLES", 50)
    dispatch.load_grids(path)
    monkeypatch.setattr(safety, "MAX_CELL_STYLES", 49)
    for reader in ("calamine", "openpyxl"):
        with pytest.raises(SheetError, match="单元格样式"):
            dispatch.load_grids(path, reader=reader)


def test_millions_of_cell_styles_are_refused_fast(good, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_RATIO", 10**9)  # let the part through the ratio check
    path = rewrite_zip(good, tmp_path / "s.xlsx", _styles(1_000_000))
    start = time.perf_counter()
    with pytest.raises(SheetError, match="单元格样式"):
        dispatch.load_grids(path)
    assert time.perf_counter() - start < 5


def test_formula_without_value_and_a_cell_at_xfd1048576(good, tmp_path):
    def edit(text: str) -> str:
        text = re.sub(r'<c r="D3"[^>]*>.*?</c>', '<c r="D3"><f>SUM(C3:C3)*0.97</f></c>', text, count=1)
        return text.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"/></row></sheetData>')

    path = _in_sheet(good, tmp_path / "f.xlsx", edit)
    start = time.perf_counter()
    ev = score_file(path, "shaoguan-2023")
    assert time.perf_counter() - start < 10
    codes = {(f.code, f.position.cell if f.position else None) for f in ev.findings}
    assert ("formula-without-value", "D3") in codes, codes


def test_grid_cells_bound_at_its_edge(good, tmp_path, monkeypatch):
    path = _in_sheet(
        good,
        tmp_path / "w.xlsx",
        lambda t: t.replace("</sheetData>", '<row r="12"><c r="Z12" t="n"><v>1</v></c></row></sheetData>'),
    )
    area = sum(len(r) for r in dispatch.load_grids(path)[0].rows)
    monkeypatch.setattr(grid, "MAX_GRID_CELLS", area)
    dispatch.load_grids(path)
    monkeypatch.setattr(grid, "MAX_GRID_CELLS", area - 1)
    with pytest.raises(SheetError, match="Z12"):
        dispatch.load_grids(path)


def test_one_value_per_row_far_right_is_refused_not_gigabytes(good, tmp_path):
    rows = "".join(f'<row r="{r}"><c r="XFD{r}" t="n"><v>1</v></c></row>' for r in range(12, 1012))
    path = _in_sheet(good, tmp_path / "far.xlsx", lambda t: t.replace("</sheetData>", rows + "</sheetData>"))
    with pytest.raises(SheetError, match="内容范围过大"):
        dispatch.load_grids(path)


def test_the_container_is_opened_once(good, monkeypatch):
    """Recognising outputs, the checks and the reader share one open and one inflate per part."""
    import zipfile

    from jixiao.read.mark import is_jixiao_output

    opened, inflated = [], []
    real_init, real_read = zipfile.ZipFile.__init__, zipfile.ZipFile.read

    def init(self, *a, **k):
        opened.append(a[0])
        real_init(self, *a, **k)

    def read(self, name, *a, **k):
        inflated.append(getattr(name, "filename", name))
        return real_read(self, name, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", init)
    monkeypatch.setattr(zipfile.ZipFile, "read", read)
    assert not is_jixiao_output(good)
    dispatch.load_grids(good)
    assert len(inflated) == len(set(inflated)), inflated
    assert len(opened) == 1, opened  # sniff and the reader use the package opened for the mark


def test_an_xlsb_is_named(tmp_path):
    import zipfile

    path = tmp_path / "a.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
        zf.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")
        zf.writestr("xl/_rels/workbook.bin.rels", "<Relationships/>")
    with pytest.raises(SheetError, match=r"\.xlsb"):
        dispatch.load_grids(path)


def test_strict_ooxml_gets_a_plain_message(good, tmp_path):
    def change(name: str, data: bytes) -> bytes | None:
        if name.endswith(".xml") or name.endswith(".rels"):
            return data.replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            ).replace(
                b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
        return None

    path = rewrite_zip(good, tmp_path / "strict.xlsx", change)
    with pytest.raises(SheetError) as info:
        score_file(path)
    assert "Strict" in str(info.value) and "另存为" in str(info.value)
    from jixiao.read import ooxml

    assert ooxml.STRICT_MESSAGE in str(info.value)
