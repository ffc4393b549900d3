"""Self and final (review) scores side by side, built from two results for the same indicators.

The review workflow itself (issue 3) produces the final scores; here a second sheet stands in
for the reviewer's figures so the builder's side-by-side layout is checked on real results.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.report import ReportInput, build_report, load_templates, render_docx
from jixiao.report.model import Paragraph, Table
from jixiao.scoring.pipeline import score_file
from tests.builders import shaoguan_sheet
from tests.report.helpers import (
    calculator_figures,
    docx_paragraphs,
    docx_tables,
    docx_texts,
    numbers_in,
)


@pytest.fixture()
def pair(tmp_path):
    self_ev = score_file(shaoguan_sheet(tmp_path / "self.xlsx"))
    reviewed = shaoguan_sheet(
        tmp_path / "review.xlsx",
        {
            "D3": 20,
            "E3": None,
            "F2": "扣分原因",
            "F3": "复核：部分重点任务未按期完成",
            "D10": 10,
            "E10": None,
        },
    )
    final_ev = score_file(reviewed)
    return self_ev.result, final_ev.result


def test_side_by_side_table_sentences_and_differences(pair):
    self_r, final_r = pair
    doc = build_report(ReportInput(self_r, final_r, unit="测试单位"), load_templates(), chart=False)
    summary = next(b for b in doc.blocks if isinstance(b, Table) and b.role == "summary")
    assert summary.header == (
        "一级指标",
        "二级指标",
        "分值",
        "自评得分",
        "复核得分",
        "差异",
        "复核得分率（%）",
    )
    rows = [[c.text for c in row] for row in summary.rows]
    assert rows[0] == ["合计", "", "100", "98.81", "97", "-1.81", "97"]
    assert rows[1] == ["履职效能", "整体效能", "23", "22.31", "20", "-2.31", "86.96"]
    assert rows[8] == ["管理效率", "资产管理", "10", "9.5", "10", "0.5", "100"]
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert (
        "本部门自评综合得分为 98.81 分，绩效等级为“优”；经复核，最终得分为 97 分，绩效等级为“优”。"
    ) in texts
    assert not any("调整为" in t for t in texts)
    assert (
        "（一）履职效能情况。指标分值 46 分，自评得分 45.31 分，复核得分 43 分，复核得分率 93.48%。"
    ) in texts
    diffs = next(b for b in doc.blocks if isinstance(b, Table) and b.role == "differences")
    assert [[c.text for c in row] for row in diffs.rows] == [
        ["履职效能／整体效能", "23", "22.31", "20", "-2.31", "复核：部分重点任务未按期完成"],
        ["管理效率／资产管理", "10", "9.5", "10", "0.5", "（评分表未填写）"],
    ]


def test_grade_change_is_said_and_every_figure_is_calculated(tmp_path):
    self_r = score_file(shaoguan_sheet(tmp_path / "self.xlsx")).result
    final_r = score_file(shaoguan_sheet(tmp_path / "r.xlsx", {"D3": 10, "E3": None})).result
    assert (final_r.total, final_r.grade) == (Decimal("86.50"), "良")
    data = render_docx(build_report(ReportInput(self_r, final_r), load_templates()))
    assert "复核后绩效等级由“优”调整为“良”。" in docx_paragraphs(data)
    assert docx_tables(data)[0][1][:5] == ["合计", "合计", "100", "98.81", "86.5"]
    allowed = calculator_figures(self_r, final_r)
    assert [f for f in numbers_in(docx_texts(data)) if f not in allowed] == []


def test_identical_review_says_so(tmp_path):
    r = score_file(shaoguan_sheet(tmp_path / "self.xlsx")).result
    doc = build_report(ReportInput(r, r), load_templates(), chart=False)
    assert "各项指标的复核得分与自评得分一致。" in doc.text_lines()


def test_reviewer_reasons_given_apart_from_the_final_result(pair):
    self_r, final_r = pair
    reasons = {("履职效能", "整体效能"): "复核意见：任务完成率 87%"}
    doc = build_report(ReportInput(self_r, final_r, None, reasons), load_templates(), chart=False)
    diffs = next(b for b in doc.blocks if isinstance(b, Table) and b.role == "differences")
    assert [row[5].text for row in diffs.rows] == ["复核意见：任务完成率 87%", "（评分表未填写）"]
