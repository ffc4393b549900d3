"""Files that are no readable report: a Chinese message naming the file, exit 1, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from jixiao.auditing import audit_report, extract
from jixiao.cli import main
from jixiao.errors import SheetError


def _pdf_with_text(text_lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``text_lines`` (ASCII, Helvetica)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    body = "BT /F1 12 Tf 50 800 Td " + " ".join(f"({t}) Tj 0 -16 Td" for t in text_lines) + " ET"
    stream = DecodedStreamObject()
    stream.set_data(body.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _message(path) -> str:
    with pytest.raises(SheetError) as e:
        audit_report(path)
    assert str(path) in str(e.value)
    return e.value.detail


def test_scanned_pdf_without_text_layer(tmp_path, capsys):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path, "PDF")
    assert "没有文字层" in _message(path) and "OCR" in _message(path)
    assert main(["audit", str(path)]) == 1
    err = capsys.readouterr().err
    assert "scan.pdf" in err and "没有文字层" in err and "Traceback" not in err


def test_text_without_figures_is_no_report(write_text):
    path = write_text("会议纪要\n\n今天天气很好，大家讨论了下一步工作安排。\n")
    assert "没有找到可核对的数字" in _message(path)


def test_gbk_text_is_read(write_text):
    path = write_text("本次自评综合得分为 91 分，绩效等级为“优”。\n", encoding="gbk")
    result = audit_report(path)
    assert [c.text for c in result.claims] == ["本次自评综合得分为 91 分", "绩效等级为“优”"]
    assert result.ok


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.pdf", b"", "文件是空的"),
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "无法识别的文件格式"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Office 文件"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "PDF 文件已损坏"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 30, "文件已损坏或不完整"),
    ],
    ids=["empty", "png", "doc", "truncated-pdf", "broken-docx"],
)
def test_bad_files(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _message(path)


def test_workbook_and_zip_are_refused(tmp_path):
    xlsx = tmp_path / "sheet.docx"
    with zipfile.ZipFile(xlsx, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "Excel 工作簿" in _message(xlsx)
    other = tmp_path / "files.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("a.txt", "x")
    assert "压缩文件" in _message(other)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_pdf_with_text(["Total 98.81"]))
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    assert "密码" in _message(locked)


def test_limits_are_named_constants(tmp_path, monkeypatch):
    path = tmp_path / "big.pdf"
    path.write_bytes(_pdf_with_text(["a line of text that is long enough"]))
    monkeypatch.setattr(extract, "MAX_PDF_PAGES", 0)
    assert "超过上限 0 页" in _message(path)
    monkeypatch.setattr(extract, "MAX_REPORT_BYTES", 100)
    assert "文件过大" in _message(path)


def test_folder_is_refused(tmp_path):
    assert "文件夹" in _message(tmp_path)
