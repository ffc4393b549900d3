"""One defect per sheet: each gives its finding code at its cell, nothing stops at the first."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from jixiao.scoring.pipeline import score_file
from tests.builders import shaoguan_sheet, write_sheet


def flat(ev):
    return [(f.code, f.cell) for f in ev.findings]


def errors(ev):
    return [(f.code, f.cell) for f in ev.findings if f.is_error]


def test_clean_sheet_has_no_findings(tmp_path):
    ev = score_file(shaoguan_sheet(tmp_path / "s.xlsx"), "shaoguan-2023")
    assert ev.findings == [] and ev.result.total == D("98.81")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"D3": 23.5}, [("score-above-max", "D3")]),
        ({"D4": -1}, [("score-below-min", "D4")]),
        ({"D5": "五分"}, [("score-not-a-number", "D5")]),
        ({"D6": None}, [("score-missing", "D6")]),
        ({"D7": "#DIV/0!"}, [("cell-error-value", "D7")]),
        ({"D8": True}, [("score-not-a-number", "D8")]),
        ({"D9": datetime(2023, 5, 1)}, [("score-not-a-number", "D9")]),
        ({"C10": 12}, [("points-mismatch", "C10")]),
        ({"C11": "七"}, [("points-not-a-number", "C11")]),
        ({"B11": "运营成本"}, [("indicator-unknown", "B11")]),
        ({"B10": "资产管理（12分）"}, [("label-points-mismatch", "B10")]),
    ],
)
def test_defect(tmp_path, changes, expected):
    ev = score_file(shaoguan_sheet(tmp_path / "s.xlsx", changes), "shaoguan-2023")
    assert errors(ev) == expected
    assert ev.result is None
    for f in ev.findings:
        assert f.message and f.path, f


def test_not_a_number_says_why_in_the_users_terms(tmp_path):
    changes = {"D8": True, "D9": datetime(2023, 5, 1)}
    ev = score_file(shaoguan_sheet(tmp_path / "s.xlsx", changes), "shaoguan-2023")
    assert [f.message for f in ev.findings] == [
        "自评得分“TRUE”是逻辑值（TRUE/FALSE），不是数字",
        "自评得分“2023-05-01”是日期或时间，不是数字（请检查单元格格式）",
    ]


def test_unknown_name_suggests_the_closest(tmp_path):
    ev = score_file(shaoguan_sheet(tmp_path / "s.xlsx", {"B11": "运营成本"}), "shaoguan-2023")
    assert len(ev.findings) == 1  # the missing 运行成本 is the typo's consequence: said once
    unknown = ev.findings[0]
    assert "最接近的是“运行成本”" in unknown.message
    assert "表中没有“运行成本”" in unknown.message
    # An unknown name next to a sibling that IS present leaves that sibling alone.
    ev = score_file(
        shaoguan_sheet(tmp_path / "t.xlsx", {"A12": "管理效率", "B12": "运营成本", "C12": 1, "D12": 1}),
        "shaoguan-2023",
    )
    assert [(f.code, f.cell) for f in ev.findings] == [("indicator-unknown", "B12")]


def test_all_defects_reported_together(tmp_path):
    ev = score_file(shaoguan_sheet(tmp_path / "s.xlsx", {"D3": 30, "D5": "x", "C10": 11}), "shaoguan-2023")
    assert errors(ev) == [("score-above-max", "D3"), ("score-not-a-number", "D5"), ("points-mismatch", "C10")]


def test_duplicate_row(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "自评得分"],
        ["履职效能", "整体效能", 23, 22.31],
        ["履职效能", "专项效能", 23, 23],
        ["履职效能", "整体效能", 23, 20],
    ]
    ev = score_file(write_sheet(tmp_path / "d.xlsx", rows), "shaoguan-2023")
    dup = [f for f in ev.findings if f.code == "indicator-duplicate"]
    assert [(f.cell, f.path) for f in dup] == [("B4", ("履职效能", "整体效能"))]
    assert "B2" in dup[0].message


def test_formula_without_cached_value_is_an_error_not_zero(tmp_path):
    path = shaoguan_sheet(tmp_path / "s.xlsx", {"D3": "=20+2.31"})
    ev = score_file(path, "shaoguan-2023")
    assert errors(ev) == [("formula-without-value", "D3")]
    assert "=20+2.31" in ev.findings[0].message


def test_department_children_must_add_up(tmp_path):
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "自评得分"],
        ["履职效能", "整体效能", "重点工作完成率", 15, 14.31],
        ["履职效能", "整体效能", "工作质量", 7, 7],
        ["履职效能", "专项效能", None, 23, 23],
        ["管理效率", "预算编制", None, 5, 5],
        ["管理效率", "预算执行", None, 8, 8],
        ["管理效率", "信息公开", None, 4, 4],
        ["管理效率", "绩效管理", None, 10, 10],
        ["管理效率", "采购管理", None, 10, 10],
        ["管理效率", "资产管理", None, 10, 9.5],
        ["管理效率", "运行成本", None, 7, 7],
    ]
    ev = score_file(write_sheet(tmp_path / "c.xlsx", rows), "shaoguan-2023")
    assert errors(ev) == [("children-points-sum", "B2")]
    assert "22" in ev.findings[0].message and "23" in ev.findings[0].message
    rows[2][3] = 8
    rows[2][4] = 8
    ok = score_file(write_sheet(tmp_path / "c2.xlsx", rows), "shaoguan-2023")
    assert ok.result.find("履职效能", "整体效能").score == D("22.31")
    assert ok.result.find("履职效能", "整体效能", "工作质量").from_sheet


def test_department_indicator_without_points(tmp_path, guangzhou):
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "自评得分"],
        ["管理效能", "资金管理", "预算执行率", None, 3],
    ]
    ev = score_file(write_sheet(tmp_path / "p.xlsx", rows), guangzhou)
    assert ("points-missing", "D2") in errors(ev)


def test_bonus_outside_limits(tmp_path):
    ev = score_file(_guangzhou_with_bonus(tmp_path, 8), "guangzhou-2021")
    assert [c for c, _ in errors(ev)] == ["bonus-out-of-range"]
    assert "-5" in ev.findings[0].message and "5" in ev.findings[0].message


def test_reported_subtotal_and_grade_mismatches_are_warnings(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "自评得分", "得分率（%）"],
        ["履职效能（46分）", None, 46, 45, 98.5],
        ["履职效能（46分）", "整体效能", 23, 22.31, 97],
        ["履职效能（46分）", "专项效能", 23, 23, 100],
        ["管理效率", "预算编制", 5, 5, 100],
        [None, "预算执行", 8, 8, 100],
        [None, "信息公开", 4, 4, 100],
        [None, "绩效管理", 10, 10, 100],
        [None, "采购管理", 10, 10, 100],
        [None, "资产管理", 10, 9.5, 96],
        [None, "运行成本", 7, 7, 100],
        ["合计", None, 100, 98.81, 98.81],
        [],
        ["绩效等级：良"],
    ]
    ev = score_file(write_sheet(tmp_path / "r.xlsx", rows, merges=["A5:A11"]), "shaoguan-2023")
    assert ev.result is not None and ev.result.total == D("98.81")
    assert flat(ev) == [
        ("reported-score-mismatch", "D2"),
        ("reported-rate-mismatch", "E10"),
        ("reported-grade-mismatch", "A14"),
    ]
    assert all(not f.is_error for f in ev.findings)


def test_deduction_without_reason_is_a_warning(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "自评得分", "扣分原因"],
        ["履职效能", "整体效能", 23, 22.31, None],
        [None, "专项效能", 23, 23, None],
        ["管理效率", "预算编制", 5, 5, None],
        [None, "预算执行", 8, 8, None],
        [None, "信息公开", 4, 4, None],
        [None, "绩效管理", 10, 10, None],
        [None, "采购管理", 10, 10, None],
        [None, "资产管理", 10, 9.5, "固定资产账实不符"],
        [None, "运行成本", 7, 7, None],
    ]
    ev = score_file(write_sheet(tmp_path / "w.xlsx", rows, merges=["A2:A3", "A4:A10"]), "shaoguan-2023")
    assert flat(ev) == [("deduction-without-reason", "D2")]
    assert ev.result.find("管理效率", "资产管理").reason == "固定资产账实不符"


def test_input_file_is_not_modified(tmp_path):
    path = shaoguan_sheet(tmp_path / "s.xlsx", {"D3": 99})
    before = path.read_bytes()
    score_file(path, "shaoguan-2023")
    assert path.read_bytes() == before
    assert load_workbook(path).active["D3"].value == 99


def _guangzhou_with_bonus(tmp_path, bonus):
    rows = [["一级指标", "二级指标", "分值", "自评得分"]]
    for name in ("资金管理", "采购管理", "信息公开管理", "资产管理", "成本管理"):
        rows.append(["管理效能", name, 8, 8])
    rows.append(["管理效能", "绩效管理", 10, 10])
    for name, pts in (
        ("服务科技工作者", 10),
        ("服务创新驱动发展战略", 10),
        ("服务公民科学素质", 10),
        ("服务党和政府科学决策", 10),
        ("发展高等职业教育", 10),
    ):
        rows.append(["履职效能", name, pts, pts])
    rows.append(["加减分项", None, None, bonus])
    return write_sheet(tmp_path / "g.xlsx", rows)


def test_label_weight_against_department_points(tmp_path, guangzhou):
    # 广州's 二级 分值 come from the sheet; a label weight that contradicts the 分值 column is
    # still a contradiction, whichever of the two is right.
    rows = [["一级指标", "二级指标", "分值", "自评得分"], ["管理效能", "资金管理（12分）", 13, 12]]
    ev = score_file(write_sheet(tmp_path / "lw.xlsx", rows), guangzhou)
    assert ("label-points-mismatch", "B2") in errors(ev)
    assert "12" in next(f.message for f in ev.findings if f.code == "label-points-mismatch")
