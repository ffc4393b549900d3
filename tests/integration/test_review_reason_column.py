"""Two-file review: the reviewer's reason comes from 复核意见 whatever the score column is called."""

from __future__ import annotations

from jixiao.reviewing.pipeline import review_sheets
from tests.builders import write_sheet
from tests.review_builders import SELF_90_5, SHAOGUAN_LEAVES, scores_only


def _reviewer(path, header, reasons):
    rows = [["韶关市科协 2023 年部门整体支出绩效复核表"], header]
    for i, ((first, second, points), score) in enumerate(zip(SHAOGUAN_LEAVES, SELF_90_5, strict=True)):
        score = 7 if second == "预算执行" else score
        rows.append([i + 1, first, second, points, score, *reasons.get(second, ("",) * (len(header) - 5))])
    return write_sheet(path, rows, merges=["B3:B4", "B5:B11"])


def _line(review, name):
    return next(line for line in review.comparison.lines if line.path[-1] == name)


def test_reason_from_review_reason_column_when_scores_are_headed_defen(tmp_path):
    mine = scores_only(tmp_path / "self.xlsx", SELF_90_5)
    theirs = _reviewer(
        tmp_path / "rv.xlsx",
        ["序号", "一级指标", "二级指标", "分值", "得分", "复核意见"],
        {"预算执行": ("执行率偏低",)},
    )
    review = review_sheets(mine, theirs)
    line = _line(review, "预算执行")
    assert (line.self_score, line.review_score) == (8, 7)
    assert line.review_reason == "执行率偏低"
    assert line.review_cell == "E6"
    assert "review-deduction-without-reason" not in {s.finding.code for s in review.findings}


def test_reason_falls_back_to_kouyuan_column(tmp_path):
    mine = scores_only(tmp_path / "self.xlsx", SELF_90_5)
    theirs = _reviewer(
        tmp_path / "rv.xlsx",
        ["序号", "一级指标", "二级指标", "分值", "得分", "扣分原因"],
        {"预算执行": ("执行率偏低",)},
    )
    line = _line(review_sheets(mine, theirs), "预算执行")
    assert line.review_reason == "执行率偏低"
