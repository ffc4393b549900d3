"""Shapes of real tables: repeated header rows, sub-item rows, placeholder rows, footers."""

from decimal import Decimal as D

from jixiao.authoring.importer import import_table
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet

HEADER = ["一级指标", "二级指标", "分值", "自评得分"]


def test_repeated_header_rows_are_not_indicators(tmp_path):
    rows = [
        HEADER,
        ["投入(40分)", "预算编制", 40, 38],
        HEADER,
        ["产出(60分)", "完成数量", 60, 55],
        ["合计", None, 100, 93],
    ]
    path = write_sheet(tmp_path / "t.xlsx", rows)
    ev = score_file(path, "sheet")
    assert ev.findings == [] and ev.total == D("93.00")
    r = import_table(path)
    assert [f.code for f in r.findings if f.is_error] == []
    assert [i.name for i in r.framework.indicators] == ["投入", "产出"]


def test_footer_rows_after_the_total_and_placeholders_are_not_indicators(tmp_path):
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["产出指标(50分)", "数量指标", "完成面积", 50, 50],
        [None, None, "其中:一期", None, None],
        [None, None, "指标2:", None, None],
        ["效益指标(50分)", "社会效益指标", "群众受益", 50, 45],
        [None, "经济效益指标", None, None, None],
        [None, None, "……", "/", "/"],
        ["合计", None, None, 100, 95],
        ["评价结论", "良好", None, None, None],
        ["存在问题", "无", None, None, None],
        ["填报人", None, None, None, None],
    ]
    path = write_sheet(tmp_path / "t.xlsx", rows)
    ev = score_file(path, "sheet")
    assert ev.findings == [] and ev.total == D("95.00") and ev.grade == "优"
    names = [path for path, _ in ev.framework.framework.walk()]
    assert ("效益指标", "经济效益指标") not in names and ("产出指标", "数量指标", "其中:一期") not in names
    r = import_table(path)  # the same table imports: no footer or placeholder becomes an indicator
    assert [f.code for f in r.findings if f.is_error] == []
    assert [p for p, _ in r.framework.walk()] == names


def test_a_parent_whose_children_exceed_it_is_reported_with_a_child_error(tmp_path):
    rows = [
        HEADER,
        ["产出(50分)", "数量", 30, 30],
        [None, "质量", 30, "三十"],
        ["效益(50分)", "社会", 50, 40],
    ]
    ev = score_file(write_sheet(tmp_path / "t.xlsx", rows), "sheet")
    codes = {(f.code, f.position.cell) for f in ev.findings}
    assert ("children-points-sum", "A2") in codes  # 30 + 30 > 50, whatever the other error
    assert any(code == "score-not-a-number" for code, _ in codes)
    # the complete 一级 is still given
    rows_by_path = {tuple(r["path"]): r for r in ev.to_dict()["indicators"]}
    assert rows_by_path[("效益",)]["complete"] and rows_by_path[("效益",)]["score"] == D(40)
    assert ev.total is None


def test_one_finding_per_merged_label(tmp_path):
    rows = [
        HEADER,
        ["投入", "预算编制", 40, 38],
        ["产出", "完成数量", 20, 20],
        [None, None, 20, 18],
        [None, None, 20, 19],
    ]
    path = write_sheet(tmp_path / "t.xlsx", rows, merges=["B3:B5"])
    ev = score_file(path, "sheet")
    assert [f.code for f in ev.findings].count("indicator-duplicate") == 1
