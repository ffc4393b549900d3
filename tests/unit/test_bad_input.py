"""A fixture per kind of broken or hostile input: each gives a clear SheetError or findings.

Every refusal names the file and says what is wrong in Chinese; nothing here may raise anything
but a JixiaoError. Large or hostile files are generated in the test (tests/hostile.py).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.errors import SheetError, UsageError
from jixiao.read import safety
from jixiao.read.dispatch import load_grids
from jixiao.read.sniff import Kind, identify
from jixiao.scoring.pipeline import score_file
from tests import hostile as H
from tests.builders import SHAOGUAN_ROWS, shaoguan_sheet, write_sheet


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return shaoguan_sheet(tmp_path / "good.xlsx")


def refused(path: Path, *words: str) -> SheetError:
    """Score ``path``, expect a SheetError naming the file and containing ``words``."""
    with pytest.raises(SheetError) as info:
        score_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}："), message
    for word in words:
        assert word in message, message
    assert info.value.exit_code == 1
    return info.value


def codes(ev) -> list[tuple[str, str | None]]:
    return [(f.code, f.cell) for f in ev.findings]


# -- not a workbook at all ------------------------------------------------------------------


def test_empty_file(tmp_path: Path):
    path = tmp_path / "空表.xlsx"
    path.write_bytes(b"")
    refused(path, "空的", "0 字节")


def test_pdf_renamed_xlsx(tmp_path: Path):
    path = tmp_path / "自评表.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    refused(path, "PDF")


def test_text_renamed_xlsx(tmp_path: Path):
    path = tmp_path / "自评表.xlsx"
    path.write_bytes("一级指标,二级指标,分值,自评得分\n履职效能,整体效能,23,22.31\n".encode())
    refused(path, "文本文件", ".csv")


def test_gbk_text_renamed_xlsx(tmp_path: Path):
    path = tmp_path / "自评表.xlsx"
    path.write_bytes("这是一段说明文字，不是表格。\r\n".encode("gbk"))
    refused(path, "文本文件")


def test_html_saved_as_xls(tmp_path: Path):
    path = tmp_path / "系统导出.xls"
    path.write_bytes("<html><body><table><tr><td>一级指标</td></tr></table></body></html>".encode())
    refused(path, "网页文件", "另存为 .xlsx")


def test_excel_2003_xml_saved_as_xls(tmp_path: Path):
    path = tmp_path / "旧表.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    refused(path, "Excel 2003 XML")


def test_random_binary(tmp_path: Path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    refused(path, "无法识别")


def test_truncated_zip(tmp_path: Path, good: Path):
    refused(H.truncated(good, tmp_path / "半截.xlsx"), "损坏", "截断")


def test_corrupt_part(tmp_path: Path, good: Path):
    refused(H.corrupt_part(good, tmp_path / "坏块.xlsx"), "损坏", "xl/worksheets/sheet1.xml")


def test_plain_zip(tmp_path: Path):
    path = tmp_path / "打包.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("说明.txt", "hello")
    refused(path, "普通压缩包")


def test_word_document_renamed(tmp_path: Path):
    path = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    refused(path, "Word 文档")


def test_missing_file_and_folder(tmp_path: Path):
    refused(tmp_path / "没有.xlsx", "不存在")
    refused(tmp_path, "文件夹")


def test_pipe_is_refused_without_blocking(tmp_path: Path):
    import os

    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    refused(fifo, "不是普通文件")


# -- old and other formats ------------------------------------------------------------------


def test_xlsx_with_xls_extension_is_read_by_content(tmp_path: Path, good: Path):
    path = tmp_path / "改名.xls"
    path.write_bytes(good.read_bytes())
    ev = score_file(path)
    assert (ev.result.total, ev.result.grade) == (D("98.81"), "优")


def test_et_extension_asks_to_save_as_xlsx(tmp_path: Path):
    path = tmp_path / "wps.et"
    path.write_bytes(b"\x01\x02 some WPS bytes \x00\x00")
    refused(path, "WPS", "另存为 .xlsx")


@pytest.fixture(scope="module")
def xls_file(tmp_path_factory, soffice) -> Path:
    """The 韶关 sheet (merges, a date, a boolean) saved as Excel 97–2003 by LibreOffice."""
    from tests.conftest import convert_with_soffice

    folder = tmp_path_factory.mktemp("xls")
    source = shaoguan_sheet(folder / "sg.xlsx")
    return convert_with_soffice(soffice, source, "xls", folder)


def test_xls_is_read_with_merges(xls_file: Path):
    assert identify(xls_file) is Kind.XLS
    ev = score_file(xls_file)
    r = ev.result
    assert (r.total, r.rate, r.grade) == (D("98.81"), D("98.81"), "优")
    assert r.find("履职效能", "整体效能").score == D("22.31")
    grid = load_grids(xls_file)[0]
    assert grid.value(4, 1) == "履职效能" and grid.merged_from[(4, 1)] == (3, 1)


def test_et_with_xls_content_asks_to_save_as_xlsx(tmp_path: Path, xls_file: Path):
    path = tmp_path / "wps.et"
    path.write_bytes(xls_file.read_bytes())
    refused(path, "WPS 表格专用格式")


def test_xls_with_date_and_boolean_scores(tmp_path: Path, soffice):
    from tests.conftest import convert_with_soffice

    source = shaoguan_sheet(tmp_path / "bad.xlsx", {"D5": dt.date(2023, 1, 5), "D6": True})
    xls = convert_with_soffice(soffice, source, "xls", tmp_path)
    ev = score_file(xls)
    assert ev.result is None
    assert codes(ev) == [("score-not-a-number", "D5"), ("score-not-a-number", "D6")]


def csv_text() -> str:
    lines = ["韶关市科协 2023 年部门整体支出绩效自评情况总表"]
    for row in SHAOGUAN_ROWS[1:]:
        lines.append(",".join("" if v is None else str(v) for v in row))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_is_read(tmp_path: Path, encoding: str):
    path = tmp_path / "自评.csv"
    path.write_bytes(csv_text().encode(encoding))
    ev = score_file(path)
    assert (ev.result.total, ev.result.grade) == (D("98.81"), "优")
    assert ev.source.sheet == "自评"


def test_csv_tab_separated(tmp_path: Path):
    path = tmp_path / "自评.csv"
    path.write_text(csv_text().replace(",", "\t"), encoding="utf-8")
    assert score_file(path).result.total == D("98.81")


def test_csv_formula_text_is_not_evaluated(tmp_path: Path):
    path = tmp_path / "自评.csv"
    path.write_text(csv_text().replace("22.31", "=22+0.31"), encoding="utf-8")
    ev = score_file(path)
    assert ev.result is None
    assert codes(ev) == [("score-not-a-number", "D3")]
    assert "=22+0.31" in ev.findings[0].message


def test_csv_without_expected_columns(tmp_path: Path):
    path = tmp_path / "名单.csv"
    path.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    refused(path, "表头")


def test_csv_with_nul_bytes(tmp_path: Path):
    path = tmp_path / "坏.csv"
    path.write_bytes(b"a,b\n\x00\x00,1\n")
    refused(path)


# -- encrypted ------------------------------------------------------------------------------


def test_password_protected_workbook(tmp_path: Path, good: Path):
    path = H.encrypted(good, tmp_path / "加密.xlsx")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    refused(path, "密码", "加密")


# -- sheets: missing, empty, several --------------------------------------------------------


def test_named_sheet_missing(tmp_path: Path, good: Path):
    with pytest.raises(UsageError) as info:
        score_file(good, sheet="自评表")
    assert "自评表" in str(info.value) and "评分表" in str(info.value)


def test_all_cells_empty(tmp_path: Path):
    path = write_sheet(tmp_path / "空白.xlsx", [])
    refused(path, "没有找到评分表的表头")


def test_two_identical_candidate_sheets_ask_for_sheet(tmp_path: Path):
    path = shaoguan_sheet(tmp_path / "两张.xlsx", extra_sheets={"副本": SHAOGUAN_ROWS})
    refused(path, "多个工作表", "--sheet", "评分表", "副本")
    ev = score_file(path, sheet="副本")
    assert ev.source.sheet == "副本" and ev.result.total == D("98.81")


def test_candidate_sheet_chosen_by_content(tmp_path: Path):
    other = [["一级指标", "自评得分"], ["办公用品", 3], ["差旅", 2]]
    path = shaoguan_sheet(tmp_path / "多表.xlsx", extra_sheets={"其他": other})
    ev = score_file(path)
    assert ev.source.sheet == "评分表" and ev.result.total == D("98.81")


# -- cells: formulas without values, error values, dates, booleans --------------------------


def test_formula_without_cached_value_is_an_error_not_zero(tmp_path: Path):
    ev = score_file(shaoguan_sheet(tmp_path / "f.xlsx", {"D3": "=20+2.31"}))
    assert ev.result is None
    assert codes(ev) == [("formula-without-value", "D3")]
    assert "=20+2.31" in ev.findings[0].message


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A"])
def test_error_values(tmp_path: Path, error: str):
    ev = score_file(shaoguan_sheet(tmp_path / "e.xlsx", {"D4": error}))
    assert codes(ev) == [("cell-error-value", "D4")]
    assert error in ev.findings[0].message


def test_dates_and_booleans_in_score_cells(tmp_path: Path):
    changes = {"D5": dt.datetime(2023, 1, 5), "D6": False, "D7": dt.time(9, 30)}
    ev = score_file(shaoguan_sheet(tmp_path / "d.xlsx", changes))
    assert ev.result is None
    assert codes(ev) == [
        ("score-not-a-number", "D5"),
        ("score-not-a-number", "D6"),
        ("score-not-a-number", "D7"),
    ]
    assert ev.findings[0].path == ("管理效率", "预算编制")


# -- WPS: wrong stored dimensions -----------------------------------------------------------


def test_wrong_dimension_is_read_in_full(tmp_path: Path, good: Path):
    from openpyxl import load_workbook

    broken = H.wrong_dimension(good, tmp_path / "wps.xlsx")
    streamed = load_workbook(broken, read_only=True).active
    assert (streamed.max_row, streamed.max_column) == (1, 1)  # the trap is really there
    ev = score_file(broken)
    assert (ev.result.total, ev.result.grade) == (D("98.81"), "优")
    assert len(ev.result.find("管理效率").children) == 7


# -- zip bombs, entity bombs, external entities ---------------------------------------------


def test_zip_bomb_refused(tmp_path: Path, good: Path):
    bomb = H.zip_bomb(good, tmp_path / "bomb.xlsx", megabytes=64)
    assert bomb.stat().st_size < 200_000
    refused(bomb, "压缩炸弹", "xl/worksheets/sheet1.xml")


def test_lying_central_directory_refused(tmp_path: Path, good: Path):
    refused(H.lying_sizes(good, tmp_path / "lie.xlsx"), "拒绝读取")


def test_total_size_limit(tmp_path: Path, good: Path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 10_000)
    refused(good, "解压后共", "上限")


def test_worksheet_size_limit(tmp_path: Path, good: Path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_WORKSHEET_XML", 1_000)
    refused(good, "工作表数据过大", "新的工作簿")


def test_entry_count_limit(tmp_path: Path, good: Path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_ENTRIES", 5)
    refused(good, "个部件")


def test_unusual_compression_refused(tmp_path: Path, good: Path):
    path = tmp_path / "bz.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
    refused(path, "压缩方式")


def laughs(good: Path, out: Path) -> Path:
    return H.with_prolog(
        good,
        out,
        "xl/worksheets/sheet1.xml",
        H.BILLION_LAUGHS,
        lambda t: t.replace("<t>", "<t>&lol9;", 1),
    )


def xxe(good: Path, out: Path) -> Path:
    return H.with_prolog(
        good, out, "xl/worksheets/sheet1.xml", H.XXE, lambda t: t.replace("<t>", "<t>&xxe;", 1)
    )


@pytest.mark.parametrize("make", [laughs, xxe], ids=["billion-laughs", "external-entity"])
def test_entity_declarations_refused(tmp_path: Path, good: Path, make):
    refused(make(good, tmp_path / "x.xlsx"), "文档类型声明", "xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("make", [laughs, xxe], ids=["billion-laughs", "external-entity"])
def test_defusedxml_is_the_second_line(tmp_path: Path, good: Path, make, monkeypatch):
    """With jixiao's own scan switched off, openpyxl's defusedxml still refuses, cleanly."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
    monkeypatch.setattr(safety, "_FORBIDDEN_MARKUP", (b"\x00never\x00",))
    err = refused(make(good, tmp_path / "x.xlsx"), "实体", "拒绝读取")
    assert "root:" not in str(err)  # nothing of /etc/passwd came through


def test_input_file_is_not_modified(tmp_path: Path, good: Path):
    before = (good.read_bytes(), good.stat().st_mtime_ns)
    score_file(good)
    assert (good.read_bytes(), good.stat().st_mtime_ns) == before


# -- tiny files that would take hours: far-away cells, giant merges -------------------------


def _set_cells(path: Path, changes: dict[str, object]) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ref, value in changes.items():
        wb.active[ref] = value
    wb.save(path)
    return path


def test_stray_values_far_right_and_below_are_read(tmp_path: Path):
    far = {"XFD3": "x", "A5000": "填表人：张三"}
    path = _set_cells(shaoguan_sheet(tmp_path / "远处.xlsx"), far)
    ev = score_file(path)
    assert (ev.result.total, ev.result.grade) == (D("98.81"), "优")
    grid = load_grids(path)[0]
    assert (grid.max_row, grid.max_col) == (5000, 16384)
    assert len(grid.rows[10]) == 5  # rows are not padded to the far column


def test_value_in_the_last_row_of_the_sheet_is_refused_quickly(tmp_path: Path):
    path = _set_cells(shaoguan_sheet(tmp_path / "末行.xlsx"), {"XFD1048576": "x"})
    assert path.stat().st_size < 20_000
    refused(path, "XFD1048576", "200000 行")


def test_row_limit_is_a_setting(tmp_path: Path, monkeypatch):
    from jixiao.read import grid

    monkeypatch.setattr(grid, "MAX_ROWS", 10)
    refused(shaoguan_sheet(tmp_path / "s.xlsx"), "“评分表”在 B11 仍有内容", "10 行")


def _with_merge(good: Path, out: Path, ref: str) -> Path:
    def change(name: str, data: bytes) -> bytes | None:
        if name != "xl/worksheets/sheet1.xml":
            return None
        extra = f'<mergeCells count="3"><mergeCell ref="{ref}"/>'.encode()
        return data.replace(b'<mergeCells count="2">', extra)

    return H.rewrite_zip(good, out, change)


def test_giant_merged_range_refused(tmp_path: Path, good: Path):
    path = _with_merge(good, tmp_path / "merge.xlsx", "F20:XFD1048576")
    assert path.stat().st_size < 20_000
    refused(path, "合并单元格的范围过大", "xl/worksheets/sheet1.xml")


def test_merged_range_beyond_the_data_is_harmless(tmp_path: Path, good: Path):
    ev = score_file(_with_merge(good, tmp_path / "merge.xlsx", "F1:H30"))
    assert ev.result.total == D("98.81")


# -- numbers beyond exact arithmetic (found by the fuzz and property tests) -----------------


def test_huge_score_is_not_a_number(tmp_path: Path):
    ev = score_file(shaoguan_sheet(tmp_path / "huge.xlsx", {"D3": 1e26}))
    assert codes(ev) == [("score-not-a-number", "D3")]


def test_reported_total_with_fifty_decimals_is_compared_not_crashed(tmp_path: Path):
    total_row = {"A12": "合计", "C12": 100, "D12": 98.81, "E12": 1.2345e-30}
    ev = score_file(shaoguan_sheet(tmp_path / "tiny.xlsx", total_row))
    assert ev.result.total == D("98.81")
    assert codes(ev) == [("reported-rate-mismatch", "E12")]
