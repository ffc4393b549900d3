"""Importing 指标体系表 in the layouts bureaus publish, and rejecting inconsistent ones."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.authoring.importer import ImportOptions, import_table
from tests.builders import write_sheet

META = ImportOptions(region="广东省某市", year=2024, kind="部门整体支出")


def tree(fw):
    """(path, points) of every indicator, 一级 first."""
    return [("/".join(p), n.points) for p, n in fw.walk()]


def flat(result):
    """The findings as a flat table (code, cell), as frictionless reports do."""
    return [(f.code, f.cell) for f in result.findings]


def imported(tmp_path, rows, merges=(), options=META, **kw):
    path = write_sheet(tmp_path / "table.xlsx", rows, merges=merges, **kw)
    return import_table(path, options)


def test_one_row_header_merged_levels_points_in_column(tmp_path):
    rows = [
        ["某市 2024 年部门整体支出绩效评价指标体系"],
        ["一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准"],
        ["投入", "预算配置", "重点支出安排率", 5, "重点项目支出÷项目总支出", "≥90%得5分；\n低于60%不得分"],
        [None, None, "在职人员控制率", 3, None, "超过100%的，每超过一个百分点扣0.5分，扣完为止"],
        [None, "目标设定", "绩效目标合理性", 2, None, None],
        ["产出", "职责履行", "实际完成率", 90, None, "按完成比例计算得分，满分为止"],
        ["合计", None, None, 100],
    ]
    r = imported(tmp_path, rows, merges=["A3:A5", "B3:B4"])
    assert r.findings == []
    fw = r.framework
    assert tree(fw) == [
        ("投入", D(10)),
        ("投入/预算配置", D(8)),
        ("投入/预算配置/重点支出安排率", D(5)),
        ("投入/预算配置/在职人员控制率", D(3)),
        ("投入/目标设定", D(2)),
        ("投入/目标设定/绩效目标合理性", D(2)),
        ("产出", D(90)),
        ("产出/职责履行", D(90)),
        ("产出/职责履行/实际完成率", D(90)),
    ]
    leaf = fw.indicators[0].children[0].children[0]
    assert leaf.explanation == "重点项目支出÷项目总支出"
    assert leaf.criteria == "≥90%得5分；\n低于60%不得分"
    assert (fw.total_points, fw.year, fw.region) == (D(100), 2024, "广东省某市")
    assert fw.kind == "部门整体支出"
    assert [g.label for g in fw.grades] == ["优", "良", "中", "差"]
    assert any("财预〔2020〕10号" in n for n in r.notes)


def test_two_row_header_weights_in_labels_repeated_cells(tmp_path):
    rows = [
        ["绩效指标", None, None, "分值", "评分标准"],
        ["一级指标", "二级指标", "三级指标", None, None],
        ["投入（20分）", "预算配置(12分)", "1.重点支出安排率", 12, "分档"],
        ["投入（20分）", "目标设定（8分）", "2、绩效目标合理性", 8, None],
        ["过程(80分)", "预算执行(80分)", "预算完成率", "８０分", None],
    ]
    r = imported(tmp_path, rows, merges=["A1:C1", "D1:D2", "E1:E2"])
    assert r.findings == []
    assert tree(r.framework) == [
        ("投入", D(20)),
        ("投入/预算配置", D(12)),
        ("投入/预算配置/重点支出安排率", D(12)),
        ("投入/目标设定", D(8)),
        ("投入/目标设定/绩效目标合理性", D(8)),
        ("过程", D(80)),
        ("过程/预算执行", D(80)),
        ("过程/预算执行/预算完成率", D(80)),
    ]


def test_weights_only_in_labels_no_points_column(tmp_path):
    rows = [
        ["一级指标", "二级指标", "指标解释"],
        ["履职效能（46分）", "整体效能（23分）", "部门整体履职情况"],
        [None, "专项效能（23分）", None],
        ["管理效率（54分）", "预算编制（54分）", None],
    ]
    r = imported(tmp_path, rows, merges=["A2:A3"])
    assert r.findings == []
    assert tree(r.framework) == [
        ("履职效能", D(46)),
        ("履职效能/整体效能", D(23)),
        ("履职效能/专项效能", D(23)),
        ("管理效率", D(54)),
        ("管理效率/预算编制", D(54)),
    ]
    assert r.framework.indicators[0].children[0].explanation == "部门整体履职情况"


def test_levels_from_a_name_header_merged_over_columns(tmp_path):
    rows = [
        ["指标名称", None, None, "分值"],
        ["投入", "目标设定", "绩效目标合理性", 40],
        [None, None, "绩效指标明确性", 60],
    ]
    r = imported(tmp_path, rows, merges=["A1:C1", "A2:A3", "B2:B3"])
    assert r.findings == []
    assert tree(r.framework)[-1] == ("投入/目标设定/绩效指标明确性", D(60))
    assert tree(r.framework)[0] == ("投入", D(100))


def test_one_row_per_indicator_with_subtotals_and_bonus(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "备注"],
        ["投入", None, 30, None],
        [None, "预算配置", 30, "x"],
        ["产出", None, 70, None],
        [None, "职责履行", 70, None],
        ["加减分项", None, "-5～5", None],
        ["总计", None, 100, None],
    ]
    r = imported(tmp_path, rows, merges=["A2:A3", "A4:A5", "A6:B6"])
    assert r.findings == []
    fw = r.framework
    assert tree(fw) == [
        ("投入", D(30)),
        ("投入/预算配置", D(30)),
        ("产出", D(70)),
        ("产出/职责履行", D(70)),
        ("加减分项", None),
    ]
    bonus = fw.indicators[2].bonus
    assert (bonus.minimum, bonus.maximum, bonus.total_may_exceed_max) == (D(-5), D(5), False)


@pytest.mark.parametrize(("text", "limits"), [("±3", (-3, 3)), ("-2~4分", (-2, 4)), (5, (-5, 5))])
def test_bonus_limits_forms(tmp_path, text, limits):
    rows = [["一级指标", "分值"], ["履职", 100], ["加减分", text]]
    r = imported(tmp_path, rows)
    assert r.findings == []
    bonus = r.framework.indicators[1].bonus
    assert (bonus.minimum, bonus.maximum) == (D(limits[0]), D(limits[1]))


def test_metadata_from_the_title_row(tmp_path):
    rows = [["韶关市2025年度部门整体支出绩效评价指标体系"], ["一级指标", "分值"], ["履职效能", 100]]
    r = imported(tmp_path, rows, options=ImportOptions(fallback_id="shaoguan-2025"))
    fw = r.framework
    assert (fw.id, fw.year, fw.region, fw.kind, fw.version) == (
        "shaoguan-2025",
        2025,
        "韶关市",
        "部门整体支出",
        "2025.1",
    )


# -- rejected tables: every inconsistency with its cell -------------------------------------


def test_children_not_adding_up(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值"],
        ["投入", None, 20],
        [None, "预算配置", 12],
        [None, "目标设定", 9],
        ["产出", None, 80],
    ]
    r = imported(tmp_path, rows, merges=["A2:A4"])
    assert r.framework is None
    assert flat(r) == [("children-points-sum", "C2")]
    assert "21" in r.findings[0].message and "20" in r.findings[0].message
    assert r.findings[0].path == ("投入",)


def test_label_weight_contradicts_points_column(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值"],
        ["投入（20分）", None, 25],
        [None, "预算配置", 25],
        ["产出", None, 75],
    ]
    r = imported(tmp_path, rows, merges=["A2:A3"])
    assert flat(r) == [("label-points-conflict", "A2")]
    assert "20" in r.findings[0].message and "25" in r.findings[0].message


def test_repeated_labels_with_different_weights(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值"],
        ["投入(20分)", "预算配置", 10],
        ["投入(15分)", "目标设定", 10],
        ["产出(80分)", "职责履行", 80],
    ]
    r = imported(tmp_path, rows)
    assert flat(r) == [("label-points-inconsistent", "A3")]
    assert "A2" in r.findings[0].message


def test_cell_level_errors_are_all_reported(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值"],
        ["投入", "预算配置", "十分"],
        [None, "目标设定", None],
        [None, "目标设定", 3],
        ["产出", "职责履行", 80],
    ]
    r = imported(tmp_path, rows, merges=["A2:A4"])
    assert r.framework is None
    assert sorted(flat(r)) == [
        ("indicator-duplicate", "B4"),
        ("indicator-points-missing", "C3"),
        ("points-not-a-number", "C2"),
    ]


def test_total_row_that_does_not_add_up(tmp_path):
    rows = [["一级指标", "分值"], ["投入", 20], ["产出", 80], ["合 计", 99]]
    r = imported(tmp_path, rows)
    assert flat(r) == [("table-total-mismatch", "B4")]
    assert "99" in r.findings[0].message and "100" in r.findings[0].message


def test_table_without_header(tmp_path):
    r = imported(tmp_path, [["随便写的"], ["一些", "文字"]])
    assert flat(r) == [("table-no-header", None)]
    assert r.framework is None


def test_missing_metadata_is_a_placeholder_with_a_warning_naming_the_option(tmp_path):
    r = imported(tmp_path, [["一级指标", "分值"], ["履职", 100]], options=ImportOptions())
    assert [f.code for f in r.findings] == ["framework-info-placeholder"] * 3
    assert not any(f.is_error for f in r.findings) and r.ok
    assert any("--year" in f.message for f in r.findings)
    assert any("--region" in f.message for f in r.findings)
    assert any("--kind" in f.message for f in r.findings)
    fw = r.framework
    assert (fw.year, fw.region, fw.kind) == (2000, "待填写", "待填写")


def test_a_total_other_than_100_imports_with_bands_on_its_own_scale(tmp_path):
    rows = [["一级指标", "分值"], ["投入", 30], ["产出", 80], ["合计", 110]]
    r = imported(tmp_path, rows)
    assert r.findings == [] and r.ok
    assert r.framework.total_points == D(110)
    bands = {b.label: (b.minimum, b.maximum) for b in r.framework.grades}
    assert bands["优"] == (D(99), D(110)) and bands["差"] == (D(0), D(66))
    assert any("不是 100" in n for n in r.notes)


def test_structure_and_sums_are_reported_in_one_pass(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值"],
        ["投入", "预算配置", "十分"],
        [None, "目标设定", 3],
        ["产出", "职责履行", 50],
        [None, "履职效益", 20],
        ["产出", None, 60],
    ]
    r = imported(tmp_path, rows, merges=["A2:A3"])
    codes = sorted(f.code for f in r.findings)
    assert "points-not-a-number" in codes and "children-points-sum" in codes


def test_bonus_without_limits(tmp_path):
    rows = [["一级指标", "分值"], ["履职", 100], ["加减分项", None]]
    r = imported(tmp_path, rows)
    assert flat(r) == [("bonus-limits-missing", "A3")]


def test_problems_only_the_framework_check_sees_are_reported_too(tmp_path):
    rows = [["一级指标", "分值"], ["履职", 100.555]]
    r = imported(tmp_path, rows)
    # The 分值 cell for the precision; the assumed grade bands follow the total's own scale.
    assert flat(r) == [("framework-invalid", "B2")]
    assert "精度" in r.findings[0].message
    bad_id = ImportOptions(id="Bad ID", region="x", year=2024, kind="x")
    r = imported(tmp_path, [["一级指标", "分值"], ["履职", 100]], options=bad_id)
    assert [f.code for f in r.findings] == ["framework-invalid"]
    assert r.findings[0].message.startswith("id：")


def test_rule_recognition_is_one_call_per_criteria_text(tmp_path, monkeypatch):
    """Each 评分标准 with a 分值 goes to ``jixiao.rules.evaluate.recognize_rule`` once, with its 分值."""
    calls = []
    # returns None: every text stays text
    monkeypatch.setattr(
        "jixiao.matching.table_tree.recognize_rule", lambda text, points: calls.append((text, points))
    )
    rows = [
        ["一级指标", "二级指标", "分值", "评分标准"],
        ["投入", "预算完成率", 40, "按完成比例计算得分，满分为止"],
        [None, "在职人员控制率", 60, "每超过一个百分点扣0.5分，扣完为止"],
    ]
    r = imported(tmp_path, rows, merges=["A2:A3"])
    assert [f.code for f in r.findings] == ["rule-threshold-unstated"]  # no threshold: a warning
    assert calls == [
        ("按完成比例计算得分，满分为止", D(40)),
        ("每超过一个百分点扣0.5分，扣完为止", D(60)),
    ]
    # Text not recognised as a rule is kept as text.
    assert r.framework.indicators[0].children[1].criteria == "每超过一个百分点扣0.5分，扣完为止"
    assert r.rules_recognised == 0


def test_points_formula_without_a_saved_value(tmp_path):
    rows = [["一级指标", "二级指标", "分值"], ["投入", None, "=SUM(C3:C3)"], [None, "预算", 100]]
    r = imported(tmp_path, rows, merges=["A2:A3"])
    assert flat(r) == [("formula-without-value", "C2")]
    assert "SUM(C3:C3)" in r.findings[0].message


def test_the_sheet_can_be_named(tmp_path):
    other = {"指标": [["一级指标", "分值"], ["履职", 100]]}
    path = write_sheet(tmp_path / "t.xlsx", [["说明"]], extra_sheets=other)
    r = import_table(path, ImportOptions(region="x", year=2024, kind="x", sheet="指标"))
    assert (r.sheet, r.findings) == ("指标", [])
    from jixiao.errors import UsageError

    with pytest.raises(UsageError, match="没有名为“别的”的工作表"):
        import_table(path, ImportOptions(sheet="别的"))
