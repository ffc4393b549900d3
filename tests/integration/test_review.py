"""Reviewer re-scoring (复核): golden cases for both input forms, finance-scored indicators,
every review finding by code and cell, and the review workbook."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from jixiao.reviewing.compare import Settings
from jixiao.reviewing.pipeline import review_sheet, review_sheets
from tests.builders import write_sheet
from tests.conftest import SHEETS
from tests.review_builders import (
    REVIEW_88,
    SELF_90_5,
    finance_framework,
    finance_sheet,
    scores_only,
)
from tests.review_builders import (
    review_sheet as build_review,
)

FULL = [23, 23, 5, 8, 4, 10, 10, 10, 7]


def codes(review):
    return [(s.finding.code, s.finding.cell, str(s.side)) for s in review.findings]


# -- golden cases -----------------------------------------------------------------------------


def test_one_sheet_grade_changes_under_review(tmp_path):
    reasons = {1: "宣传活动未达预期", 7: "资产卡片不全"}
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons=reasons)
    review = review_sheet(path)
    c = review.comparison
    assert (c.self_result.total, c.self_result.grade) == (D("90.50"), "优")
    assert (c.review_result.total, c.review_result.grade) == (D("88.00"), "良")
    assert (c.final_result.total, c.final_result.rate, c.final_result.grade) == (D("88.00"), D("88.00"), "良")
    assert c.grade_changed is True
    assert [
        (d.path, d.self_score, d.review_score, d.delta, d.review_cell, d.review_reason) for d in c.differences
    ] == [
        (("履职效能", "专项效能"), D("20.00"), D("18.00"), D("-2.00"), "F4", "宣传活动未达预期"),
        (("管理效率", "资产管理"), D("6.50"), D("6.00"), D("-0.50"), "F10", "资产卡片不全"),
    ]
    first = {ln.path: ln for ln in c.lines}[("履职效能",)]
    assert (first.self_score, first.final_score, first.delta) == (D("40.00"), D("38.00"), D("-2.00"))
    assert (first.self_rate, first.final_rate) == (D("86.96"), D("82.61"))
    # -2 exceeds the default tolerance of 1; -0.5 does not.
    assert codes(review) == [("self-above-review", "F4", "review")]


def test_one_sheet_no_difference(tmp_path):
    path = build_review(tmp_path / "s.xlsx", FULL, FULL)
    review = review_sheet(path)
    c = review.comparison
    assert c.final_result.total == c.self_result.total == D("100.00")
    assert c.grade_changed is False and c.differences == [] and review.findings == []


def test_two_files_different_layouts(tmp_path):
    # The reviewer's file: 序号 column, 评价得分/评价意见, 权重, 管理效率 first, a title and a note.
    rows = [
        ["复核评分表（第三方评价机构）"],
        ["单位：韶关市科协"],
        ["序号", "一级指标", "二级指标", "权重", "评价意见", "评价得分"],
        [1, "管理效率（54分）", "预算编制", 5, None, 5],
        [2, None, "预算执行", 8, None, 8],
        [3, None, "信息公开", 4, None, 4],
        [4, None, "绩效管理", 10, "绩效目标不细化", 9],
        [5, None, "采购管理", 10, None, 10],
        [6, None, "资产管理", 10, None, 9.5],
        [7, None, "运行成本", 7, None, 7],
        [8, "履职效能（46分）", "整体效能", 23, "两项指标未完成", "20.8"],
        [9, None, "专项效能", 23, None, "２３"],
    ]
    reviewed = write_sheet(tmp_path / "reviewed.xlsx", rows, merges=["B4:B10", "B11:B12"])
    review = review_sheets(SHEETS / "shaoguan-2023-kexie.xlsx", reviewed)
    c = review.comparison
    assert review.framework.id == "shaoguan-2023"
    assert (c.self_result.total, c.self_result.grade) == (D("98.81"), "优")
    assert (c.final_result.total, c.final_result.grade) == (D("96.30"), "优")
    assert c.grade_changed is False
    assert [(d.path, d.delta, d.review_cell) for d in c.differences] == [
        (("履职效能", "整体效能"), D("-1.51"), "F11"),
        (("管理效率", "绩效管理"), D("-1.00"), "F7"),
    ]
    # The seed sheet's 合计 rate slip is still reported, about the department's file.
    assert codes(review) == [
        ("reported-rate-mismatch", "E4", "self"),
        ("self-above-review", "F11", "review"),
    ]


def test_two_files_reviewer_sheet_with_only_a_score_column(tmp_path):
    self_path = scores_only(tmp_path / "self.xlsx", SELF_90_5)
    reviewed = scores_only(tmp_path / "reviewed.xlsx", REVIEW_88, header="得分")
    review = review_sheets(self_path, reviewed)
    assert review.comparison.final_result.grade == "良"
    assert review.comparison.grade_changed is True


# -- finance-scored indicators (财政赋分) -------------------------------------------------------


def test_finance_score_overrides_the_department(tmp_path):
    fw = finance_framework(tmp_path)
    # The department wrote 30 for 预算执行率; finance gives 24. The reviewer agrees elsewhere.
    path = finance_sheet(tmp_path / "f.xlsx", [30, 30, 20, 20], [30, 24, 20, 20])
    review = review_sheet(path, fw)
    c = review.comparison
    assert (c.self_result.total, c.final_result.total) == (D("100.00"), D("94.00"))
    line = {ln.path: ln for ln in c.lines}[("预算管理", "预算执行率")]
    assert line.finance and (line.self_score, line.final_score) == (D("30.00"), D("24.00"))
    # Finance scores need no 复核意见 and are not a reviewer's deduction: only the override shows.
    assert codes(review) == [("finance-score-differs", "F4", "review")]
    assert "30" in review.findings[0].finding.message and "24" in review.findings[0].finding.message


def test_finance_score_is_never_filled_from_self(tmp_path):
    fw = finance_framework(tmp_path)
    path = finance_sheet(tmp_path / "f.xlsx", [30, 30, 20, 20], [30, None, None, 20])
    review = review_sheet(path, fw, settings=Settings(fill_from_self=True))
    assert not review.ok and review.comparison.final_result is None
    assert codes(review) == [
        ("finance-score-missing", "F4", "review"),
        ("review-filled-from-self", "F5", "review"),
    ]


def test_shaoguan_marks_no_indicator_as_finance_scored(shaoguan):
    assert all(str(node.scored_by) == "self" for _, node in shaoguan.framework.walk())


def test_framework_rejects_an_unknown_scored_by(tmp_path):
    from jixiao.errors import FrameworkError
    from jixiao.framework.load import parse_framework
    from tests.review_builders import FINANCE_FRAMEWORK

    with pytest.raises(FrameworkError) as e:
        parse_framework(FINANCE_FRAMEWORK.replace("scored_by: finance", "scored_by: bureau"))
    assert "indicators[0].children[1].scored_by" in str(e.value)


# -- findings, one by one ---------------------------------------------------------------------


def test_blank_review_is_an_error_without_fill(tmp_path):
    review_scores = [*FULL]
    review_scores[4] = None
    path = build_review(tmp_path / "s.xlsx", FULL, review_scores)
    review = review_sheet(path)
    assert not review.ok
    assert codes(review) == [("review-score-missing", "F7", "review")]
    assert review.comparison.final_result is None and review.comparison.grade_changed is None


def test_blank_review_filled_from_self_when_asked(tmp_path):
    review_scores = [*SELF_90_5]
    review_scores[4] = None
    review_scores[1] = 18
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, review_scores, reasons={1: "未达标"})
    review = review_sheet(path, settings=Settings(fill_from_self=True))
    c = review.comparison
    assert codes(review) == [
        ("self-above-review", "F4", "review"),
        ("review-filled-from-self", "F7", "review"),
    ]
    assert c.review_result is None  # the reviewer's own total is incomplete
    assert c.final_result.total == D("88.50")
    filled = {ln.path: ln for ln in c.lines}[("管理效率", "信息公开")]
    assert filled.filled and filled.review_score is None and filled.final_score == D("4.00")


def test_reviewer_deduction_without_reason(tmp_path):
    review_scores = [*FULL]
    review_scores[7] = 9.5
    path = build_review(tmp_path / "s.xlsx", FULL, review_scores)
    assert codes(review_sheet(path)) == [("review-deduction-without-reason", "F10", "review")]


@pytest.mark.parametrize(
    ("tolerance", "expected"),
    [("1", []), ("0.99", [("self-above-review", "F3", "review")])],
)
def test_self_above_review_tolerance(tmp_path, tolerance, expected):
    review_scores = [*FULL]
    review_scores[0] = 22
    path = build_review(tmp_path / "s.xlsx", FULL, review_scores, reasons={0: "扣 1 分"})
    review = review_sheet(path, settings=Settings(tolerance=D(tolerance)))
    assert codes(review) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [(25, "review-score-above-max"), (-1, "review-score-below-min"), ("约 20", "review-score-not-a-number")],
)
def test_bad_review_scores(tmp_path, value, code):
    review_scores = [*FULL]
    review_scores[1] = value
    path = build_review(tmp_path / "s.xlsx", FULL, review_scores, reasons={1: "x"})
    review = review_sheet(path)
    assert codes(review) == [(code, "F4", "review")]
    assert "复核得分" in review.findings[0].finding.message
    assert not review.ok


def test_a_department_error_stops_the_review(tmp_path):
    self_scores = [*FULL]
    self_scores[2] = 6  # above 分值 5
    path = build_review(tmp_path / "s.xlsx", self_scores, FULL)
    review = review_sheet(path)
    assert codes(review) == [("score-above-max", "D5", "self")]
    assert review.comparison is None and not review.ok


def test_sheet_without_a_review_column(tmp_path):
    from jixiao.errors import SheetError

    path = scores_only(tmp_path / "s.xlsx", FULL)
    with pytest.raises(SheetError, match="没有复核得分列"):
        review_sheet(path)


def _third_level(path, names, review=False):
    header = ["一级指标", "二级指标", "三级指标", "分值", "复核得分" if review else "自评得分"]
    rows = [
        ["标题"],
        header,
        ["履职效能", "整体效能", names[0][0], names[0][1], names[0][2]],
        [None, None, names[1][0], names[1][1], names[1][2]],
        [None, "专项效能", None, 23, 23],
        ["管理效率", "预算编制", None, 5, 5],
        [None, "预算执行", None, 8, 8],
        [None, "信息公开", None, 4, 4],
        [None, "绩效管理", None, 10, 10],
        [None, "采购管理", None, 10, 10],
        [None, "资产管理", None, 10, 10],
        [None, "运行成本", None, 7, 7],
    ]
    return write_sheet(path, rows, merges=["A3:A5", "B3:B4", "A6:A12"])


def test_indicator_on_one_side_only(tmp_path):
    mine = _third_level(tmp_path / "self.xlsx", [("宣传覆盖率", 10, 10), ("活动场次", 13, 13)])
    theirs = _third_level(tmp_path / "rev.xlsx", [("宣传覆盖率", 10, 10), ("活动人次", 13, 12)], review=True)
    review = review_sheets(mine, theirs)
    assert codes(review) == [
        ("indicator-only-in-review", "E4", "review"),
        ("indicator-only-in-self", "E4", "self"),
    ]
    assert review.findings[0].finding.path == ("履职效能", "整体效能", "活动人次")
    assert review.findings[1].finding.path == ("履职效能", "整体效能", "活动场次")
    assert not review.ok


def test_review_points_differ(tmp_path):
    mine = _third_level(tmp_path / "self.xlsx", [("宣传覆盖率", 10, 10), ("活动场次", 13, 13)])
    theirs = _third_level(tmp_path / "rev.xlsx", [("宣传覆盖率", 12, 10), ("活动场次", 11, 11)], review=True)
    review = review_sheets(mine, theirs)
    assert codes(review) == [
        ("review-points-differ", "E3", "review"),
        ("review-points-differ", "E4", "review"),
    ]


# -- the review workbook ------------------------------------------------------------------------


def test_review_workbook(tmp_path):
    from jixiao.write.review import write_review

    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons={1: "x"})
    wb = load_workbook(path)
    wb.active["G4"].value = "=HYPERLINK(1)"
    wb.active["G4"].data_type = "s"  # text typed with a leading "=", not a formula
    wb.save(path)
    review = review_sheet(path)
    out = tmp_path / "out.xlsx"
    write_review(review, out, "2024-01-01T00:00:00Z")
    wb = load_workbook(out)
    assert wb.sheetnames == ["复核对比", "问题", "信息", "核验记录"]
    ws = wb["复核对比"]
    summary = [[ws.cell(r, c).value for c in range(1, 5)] for r in range(4, 8)]
    assert summary == [
        ["自评", 90.5, 90.5, "优"],
        ["复核", 88, 88, "良"],
        ["最终", 88, 88, "良"],
        ["等级变化", "优 → 良", None, None],
    ]
    rows = {
        ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(3, 13)] for r in range(10, ws.max_row + 1)
    }
    assert rows["专项效能"] == [23, 20, 18, 18, -2, 86.96, 78.26, "自评说明", "=HYPERLINK(1)", None]
    assert ws.cell(9 + 1, 1).value == "履职效能"
    # The reviewer's text is text, not a formula.
    cell = next(ws.cell(r, 11) for r in range(10, ws.max_row + 1) if ws.cell(r, 2).value == "专项效能")
    assert cell.data_type == "s"
    # Differences are highlighted by conditional formatting on the 差额 column, not by fills.
    ranges = {str(cf.sqref): [r.operator for r in cf.rules] for cf in ws.conditional_formatting}
    assert ranges == {f"G10:G{ws.max_row}": ["lessThan", "greaterThan"], "B7": [None]}
    found = wb["问题"]
    assert [found.cell(3, c).value for c in range(1, 5)] == ["警告", "self-above-review", "s.xlsx", "F4"]


def test_review_score_with_too_many_decimals(tmp_path):
    review_scores = [*FULL]
    review_scores[0] = 22.555
    path = build_review(tmp_path / "s.xlsx", FULL, review_scores, reasons={0: "x"})
    review = review_sheet(path)
    assert codes(review) == [("review-score-precision", "F3", "review")]
    # Exact in the sum, rounded half up for display only.
    assert review.comparison.final_result.total == D("99.56")
