"""``jixiao report`` with review results (复核, issue 3): self and final side by side."""

from __future__ import annotations

from jixiao.cli import main
from jixiao.report.from_review import review_input
from jixiao.reviewing.pipeline import review_sheet
from tests.report.helpers import (
    calculator_figures,
    docx_paragraphs,
    docx_tables,
    docx_texts,
    numbers_in,
)
from tests.review_builders import (
    REVIEW_88,
    SELF_90_5,
    finance_framework,
    finance_sheet,
    scores_only,
)
from tests.review_builders import review_sheet as build_review

REASONS = {1: "宣传活动未达预期", 7: "资产卡片不全"}


def test_one_sheet_review_grade_change_and_differences(tmp_path):
    sheet = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons=REASONS)
    out = tmp_path / "r.docx"
    assert main(["report", str(sheet), "--review", "-o", str(out)]) == 0
    data = out.read_bytes()
    paragraphs = docx_paragraphs(data)
    assert (
        "本部门自评综合得分为 90.5 分，绩效等级为“优”；经复核，最终得分为 88 分，绩效等级为“良”。"
        in paragraphs
    )
    assert "复核后绩效等级由“优”调整为“良”。" in paragraphs
    assert "各二级指标复核得分率（%）" in paragraphs  # the chart shows the final rates
    assert (
        "（一）履职效能情况。指标分值 46 分，自评得分 40 分，复核得分 38 分，复核得分率 82.61%。"
        in paragraphs
    )
    summary, differences = docx_tables(data)
    assert summary[0] == ["一级指标", "二级指标", "分值", "自评得分", "复核得分", "差异", "复核得分率（%）"]
    assert summary[1][2:] == ["100", "90.5", "88", "-2.5", "88"]
    assert differences[1:] == [
        ["履职效能／专项效能", "23", "20", "18", "-2", "宣传活动未达预期"],
        ["管理效率／资产管理", "10", "6.5", "6", "-0.5", "资产卡片不全"],
    ]
    review = review_sheet(sheet)
    c = review.comparison
    allowed = calculator_figures(c.self_result, c.final_result)
    assert [f for f in numbers_in(docx_texts(data)) if f not in allowed] == []


def test_two_files_review_in_markdown(tmp_path):
    mine = scores_only(tmp_path / "self.xlsx", SELF_90_5)
    theirs = scores_only(tmp_path / "review.xlsx", REVIEW_88, header="复核得分")
    out = tmp_path / "r.md"
    assert main(["report", str(mine), str(theirs), "-o", str(out), "--no-chart"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "经复核，最终得分为 88 分，绩效等级为“良”。" in text
    assert "| 履职效能／专项效能 | 23 | 20 | 18 | -2 | （评分表未填写） |" in text


def test_finance_scored_indicator_explained(tmp_path):
    framework = finance_framework(tmp_path)
    # The department wrote 30 for 预算执行率; the finance bureau's score 27 counts.
    sheet = finance_sheet(tmp_path / "s.xlsx", [28, 30, 18, 20], [28, 27, 18, 20])
    out = tmp_path / "r.docx"
    assert main(["report", str(sheet), "--review", "-f", str(framework), "-o", str(out)]) == 0
    differences = docx_tables(out.read_bytes())[1]
    assert differences[1:] == [
        ["预算管理／预算执行率", "30", "30", "27", "-3", "财政赋分（以财政部门评分为准）"]
    ]


def test_review_input_carries_reasons_and_unit(tmp_path):
    sheet = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons=REASONS)
    data = review_input(review_sheet(sheet))
    assert data.final_reasons == {
        ("履职效能", "专项效能"): "宣传活动未达预期",
        ("管理效率", "资产管理"): "资产卡片不全",
    }
    assert data.final_result is not None and data.final_result.grade == "良"


def test_review_errors_write_nothing(tmp_path, capsys):
    blank = build_review(tmp_path / "s.xlsx", SELF_90_5, [20, None, 5, 8, 4, 10, 10, 6, 7])
    out = tmp_path / "r.docx"
    assert main(["report", str(blank), "--review", "-o", str(out)]) == 1
    assert "复核有错误，未生成报告" in capsys.readouterr().err
    assert not out.exists()
    assert main(["report", str(blank), "--review", "--fill-from-self", "-o", str(out)]) == 0
    assert out.exists()


def test_review_usage_errors(tmp_path, capsys):
    plain = scores_only(tmp_path / "self.xlsx", SELF_90_5)
    out = tmp_path / "r.docx"
    assert main(["report", str(plain), "--review", "-o", str(out)]) == 1
    assert "没有复核得分列" in capsys.readouterr().err
    assert main(["report", str(plain), "--fill-from-self", "-o", str(out)]) == 2
    assert "--fill-from-self 只用于复核" in capsys.readouterr().err
    assert main(["report", str(plain), str(plain), str(plain), "-o", str(out)]) == 2
    assert not out.exists()


def test_review_report_adds_a_self_vs_review_chart(tmp_path, monkeypatch):
    from docx import Document

    sheet = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons=REASONS)
    plain_out, review_out = tmp_path / "self.docx", tmp_path / "review.docx"
    assert main(["report", str(sheet), "-o", str(plain_out)]) == 0
    assert main(["report", str(sheet), "--review", "-o", str(review_out)]) == 0
    before = len(Document(str(plain_out)).inline_shapes)
    assert before == 1 and len(Document(str(review_out)).inline_shapes) == before + 1
    paragraphs = docx_paragraphs(review_out.read_bytes())
    assert "各二级指标复核得分率（%）" in paragraphs
    assert "各二级指标自评与复核得分率对比（%）" in paragraphs  # the new chart's caption names 复核
    texts = docx_texts(review_out.read_bytes())
    assert any("自评" in t and "复核" in t and "专项效能" in t for t in texts)  # its alt text
    monkeypatch.setattr("jixiao.report.charts.cjk_font", lambda: None)
    bare = tmp_path / "bare.docx"
    assert main(["report", str(sheet), "--review", "-o", str(bare)]) == 0
    assert len(Document(str(bare)).inline_shapes) == 0  # no CJK font: no chart at all, as today
