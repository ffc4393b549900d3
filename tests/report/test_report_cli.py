"""``jixiao report``: formats, safety of outputs, sheet text escaped, wording overrides."""

from __future__ import annotations

import pytest

from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS
from tests.report.helpers import docx_paragraphs

SEED = SHEETS / "shaoguan-2023-kexie.xlsx"
NASTY = "<script>alert('x')</script> & =SUM(A1) | *x* [a](b)"


def test_docx_written_and_warnings_named(tmp_path, capsys):
    out = tmp_path / "报告.docx"
    assert main(["report", str(SEED), "-o", str(out)]) == 0
    assert "本部门本次自评综合得分为 98.81 分，绩效等级为“优”。" in docx_paragraphs(out.read_bytes())
    err = capsys.readouterr().err
    assert "E4" in err and "100" in err and "98.81" in err  # the 合计 rate slip, as a warning
    assert f"已写出报告：{out}" in err


def test_existing_output_needs_force_and_input_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "r.docx"
    out.write_bytes(b"old")
    assert main(["report", str(SEED), "-o", str(out)]) == 2
    assert out.read_bytes() == b"old"
    assert "--force" in capsys.readouterr().err
    assert main(["report", str(SEED), "-o", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"PK")
    sheet = shaoguan_sheet(tmp_path / "s.xlsx")
    before = sheet.read_bytes()
    assert main(["report", str(sheet), "-o", str(sheet), "--format", "docx"]) == 2
    assert sheet.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "extra", "fragment"),
    [
        ("r.txt", [], "无法从文件名判断报告格式"),
        ("r.docx", ["--format", "html"], "扩展名与 --format html 不符"),
        ("r.docx", ["--format", "pdf"], "--format 只能是 docx、md 或 html"),
    ],
)
def test_format_problems_are_usage_errors(tmp_path, capsys, name, extra, fragment):
    out = tmp_path / name
    assert main(["report", str(SEED), "-o", str(out), *extra]) == 2
    assert fragment in capsys.readouterr().err
    assert not out.exists()


def test_sheet_with_errors_writes_nothing(tmp_path, capsys):
    sheet = shaoguan_sheet(tmp_path / "bad.xlsx", {"D3": "abc"})
    out = tmp_path / "r.docx"
    assert main(["report", str(sheet), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "D3" in err and "不是数字" in err and "未生成报告" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.xlsx"]


def test_html_escapes_sheet_text(tmp_path):
    sheet = shaoguan_sheet(tmp_path / "s.xlsx", {"F2": "扣分原因", "F3": NASTY})
    out = tmp_path / "r.html"
    assert main(["report", str(sheet), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert (
        "<script>" not in page
        and '<td class="text">&lt;script&gt;alert(&#x27;x&#x27;)'
        "&lt;/script&gt; &amp; =SUM(A1) | *x* [a](b)</td>"
        in page
    )


def test_markdown_escapes_sheet_text_and_writes_the_chart_beside(tmp_path):
    sheet = shaoguan_sheet(tmp_path / "s.xlsx", {"F2": "扣分原因", "F3": NASTY})
    out = tmp_path / "r.md"
    assert main(["report", str(sheet), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert r"| \<script\>alert\('x'\)\</script\> \& =SUM\(A1\) \| \*x\* \[a\]\(b\) |" in text
    chart = tmp_path / "r-chart.png"
    assert chart.read_bytes().startswith(b"\x89PNG") and "](<r-chart.png>)" in text
    assert main(["report", str(sheet), "-o", str(tmp_path / "n.md"), "--no-chart"]) == 0
    assert not (tmp_path / "n-chart.png").exists()
    assert "![" not in (tmp_path / "n.md").read_text(encoding="utf-8")


def test_docx_keeps_sheet_text_as_text(tmp_path):
    sheet = shaoguan_sheet(tmp_path / "s.xlsx", {"F2": "扣分原因", "F3": NASTY})
    out = tmp_path / "r.docx"
    assert main(["report", str(sheet), "-o", str(out)]) == 0
    from tests.report.helpers import docx_tables

    assert docx_tables(out.read_bytes())[1][1][4] == NASTY


def test_templates_option_changes_wording(tmp_path):
    wording = tmp_path / "局.yaml"
    wording.write_text('total: "经自评，本单位综合得分 {total} 分，评价等级“{grade}”。"\n', encoding="utf-8")
    out = tmp_path / "r.docx"
    assert main(["report", str(SEED), "-o", str(out), "--templates", str(wording)]) == 0
    assert "经自评，本单位综合得分 98.81 分，评价等级“优”。" in docx_paragraphs(out.read_bytes())


def test_bad_templates_stop_before_anything_is_written(tmp_path, capsys):
    wording = tmp_path / "bad.yaml"
    wording.write_text('total: "{score}"\n', encoding="utf-8")
    out = tmp_path / "r.docx"
    assert main(["report", str(SEED), "-o", str(out), "--templates", str(wording)]) == 2
    err = capsys.readouterr().err
    assert str(wording) in err and "total: 不认识的占位符 {score}" in err
    assert not out.exists()


def test_missing_cjk_font_warns_and_omits_chart(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("jixiao.report.charts.cjk_font", lambda: None)
    out = tmp_path / "r.md"
    assert main(["report", str(SEED), "-o", str(out)]) == 0
    assert "未找到中文字体" in capsys.readouterr().err
    assert not (tmp_path / "r-chart.png").exists()
