"""Import of tables printed 权重 × 百分制: each 一级 has a weight in percent and its children are
scored per 100 inside it; the 一级 score is the children's sum × the weight (issue 12)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.authoring import dump_framework, import_table
from jixiao.authoring.importer import ImportOptions
from jixiao.cli import main
from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet

OPTIONS = ImportOptions(region="某市", year=2020, kind="项目支出")

# The weight printed three ways a bureau prints it: in the 分值 column as text, as a number in
# a percent format, and inside the 一级 label.
LAYOUTS = {
    "percent text": (
        [
            ["一级指标", "二级指标", "分值", "评分标准"],
            ["投入", None, "30%", None],
            [None, "预算编制", 60, "科学合理得60分"],
            [None, "资金到位", 40, "到位率×40"],
            ["产出", None, "70%", None],
            [None, "完成数量", 100, "按完成比例计算得分"],
        ],
        [],
        {},
    ),
    "percent format": (
        [
            ["一级指标", "二级指标", "分值"],
            ["投入", None, 0.3],
            [None, "预算编制", 60],
            [None, "资金到位", 40],
            ["产出", None, 0.7],
            [None, "完成数量", 100],
        ],
        [],
        {"C2": "0%", "C5": "0%"},
    ),
    "percent in the label": (
        [
            ["一级指标", "二级指标", "分值"],
            ["投入（30%）", "预算编制", 60],
            [None, "资金到位", 40],
            ["产出（权重70%）", "完成数量", 100],
        ],
        ["A2:A3"],
        {},
    ),
}


# The label layout filled in by a department, children scored per 100: 投入 (54.5 + 40) ÷ 100 × 30
# = 28.35, 产出 81.3 ÷ 100 × 70 = 56.91, total 85.26 (良).
FILLED = [
    ["一级指标", "二级指标", "分值", "自评得分"],
    ["投入（30%）", "预算编制", 60, 54.5],
    [None, "资金到位", 40, 40],
    ["产出（权重70%）", "完成数量", 100, 81.3],
]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_weights_in_percent_over_children_per_100(tmp_path, layout):
    rows, merges, formats = LAYOUTS[layout]
    table = write_sheet(tmp_path / "t.xlsx", rows, merges=merges, number_formats=formats)
    result = import_table(table, OPTIONS)
    assert result.ok, [f.message for f in result.findings]
    fw = result.framework
    assert [(n.name, n.points, n.children_scale) for n in fw.indicators] == [
        ("投入", D(30), D(100)),
        ("产出", D(70), D(100)),
    ]
    assert [c.points for c in fw.indicators[0].children] == [D(60), D(40)]
    assert any("按百分制计分" in note for note in result.notes)


def test_import_checks_clean_and_scores_a_filled_sheet_exactly(tmp_path, capsys):
    rows, merges, _ = LAYOUTS["percent in the label"]
    table = write_sheet(tmp_path / "体系.xlsx", rows, merges=merges)
    out = tmp_path / "weighted-2020.yaml"
    assert (
        main(["frameworks", "import", str(table), "-o", str(out), "--region", "某市", "--year", "2020"]) == 0
    )
    assert main(["frameworks", "check", str(out)]) == 0
    assert "通过" in capsys.readouterr().out
    # The bureau's table filled in by a department: children scored per 100.
    sheet = write_sheet(tmp_path / "自评.xlsx", FILLED, merges=["A2:A3"])
    ev = score_file(sheet, load_framework(out))
    assert ev.findings == []
    r = ev.result
    # 投入 (54.5 + 40) ÷ 100 × 30 = 28.35; 产出 81.3 ÷ 100 × 70 = 56.91; total 85.26 → 良
    assert r.find("投入").score == D("28.35") and r.find("投入").rate == D("94.50")
    assert r.find("产出").score == D("56.91") and r.find("产出").rate == D("81.30")
    assert (r.total, r.grade) == (D("85.26"), "良")


def test_weighted_export_then_import_is_the_same(tmp_path):
    rows, merges, _ = LAYOUTS["percent text"]
    result = import_table(write_sheet(tmp_path / "t.xlsx", rows, merges=merges), OPTIONS)
    assert result.framework is not None
    fw_file = tmp_path / "w.yaml"
    fw_file.write_text(dump_framework(result.framework), encoding="utf-8")
    table = tmp_path / "export.xlsx"
    assert main(["frameworks", "export", str(fw_file), "-o", str(table)]) == 0
    back = import_table(table, OPTIONS)
    assert back.framework is not None
    assert [n.children_scale for n in back.framework.indicators] == [D(100), D(100)]


def test_a_percent_whose_children_add_up_to_it_is_plain_points(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值"],
        ["投入", None, "30%"],
        [None, "预算编制", 20],
        [None, "资金到位", 10],
        ["产出", None, "70%"],
        [None, "完成数量", 70],
    ]
    result = import_table(write_sheet(tmp_path / "t.xlsx", rows), OPTIONS)
    assert result.ok
    assert [(n.points, n.children_scale) for n in result.framework.indicators] == [
        (D(30), None),
        (D(70), None),
    ]


def test_children_per_100_that_do_not_add_up_are_reported_at_their_cell(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值"],
        ["投入", None, "30%"],
        [None, "预算编制", 60],
        [None, "资金到位", 30],
        ["产出", None, "70%"],
        [None, "完成数量", 100],
    ]
    result = import_table(write_sheet(tmp_path / "t.xlsx", rows), OPTIONS)
    assert not result.ok
    got = [(f.code, f.position.cell, f.message) for f in result.findings if f.severity.value == "error"]
    assert got == [("children-points-sum", "C2", "下级指标分值合计 90，应等于本指标分值 30")]


def test_a_weight_column_in_percent_with_plain_numbers(tmp_path):
    rows = [
        ["一级指标", "二级指标", "权重（%）"],
        ["投入", None, 30],
        [None, "预算编制", 60],
        [None, "资金到位", 40],
        ["产出", None, 70],
        [None, "完成数量", 100],
    ]
    result = import_table(write_sheet(tmp_path / "t.xlsx", rows), OPTIONS)
    assert result.ok, [f.message for f in result.findings]
    assert [(n.points, n.children_scale) for n in result.framework.indicators] == [
        (D(30), D(100)),
        (D(70), D(100)),
    ]


def test_the_sheets_own_tree_reads_the_weights_as_the_import_does(tmp_path):
    """Scoring with --framework sheet (or with no framework) uses the importer's reading: the
    same sheet gives 85.26 良, not 175 of 200."""
    sheet = write_sheet(tmp_path / "自评.xlsx", FILLED, merges=["A2:A3"])
    ev = score_file(sheet, "sheet")
    assert ev.from_sheet and not [f for f in ev.findings if f.is_error]
    r = ev.result
    assert r.max == D(100)
    assert r.find("投入").score == D("28.35") and r.find("产出").score == D("56.91")
    assert (r.total, r.grade) == (D("85.26"), "良")
    assert any("按百分制计分" in note for note in ev.sheet_tree.notes)


@pytest.mark.parametrize("layout", ["percent text", "percent format"])
def test_a_sheet_printing_the_weight_in_the_points_column_is_scored(tmp_path, layout):
    """The weight as the bureau printed it in the 分值 column ("30%", or 0.3 shown as 30%) is the
    一级's 分值, with its framework and by the sheet's own tree."""
    rows, merges, formats = LAYOUTS[layout]
    out = tmp_path / "weighted-2020.yaml"
    table = write_sheet(tmp_path / "体系.xlsx", rows, merges=merges, number_formats=formats)
    options = ["--region", "某市", "--year", "2020"]
    assert main(["frameworks", "import", str(table), "-o", str(out), *options]) == 0
    scores = {3: 54.5, 4: 40, 6: 81.3}  # 预算编制, 资金到位, 完成数量
    filled = [[*row[:3], "自评得分" if i == 1 else scores.get(i)] for i, row in enumerate(rows, start=1)]
    sheet = write_sheet(tmp_path / "自评.xlsx", filled, merges=merges, number_formats=formats)
    for framework in (load_framework(out), "sheet"):
        ev = score_file(sheet, framework)
        assert not [f for f in ev.findings if f.is_error], [f.message for f in ev.findings]
        assert (ev.result.total, ev.result.grade) == (D("85.26"), "良")


def test_a_percent_weight_over_children_adding_up_to_it_scores_as_points(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "自评得分"],
        ["投入", None, "30%", None],
        [None, "预算编制", 20, 18],
        [None, "资金到位", 10, 10],
        ["产出", None, 0.7, None],
        [None, "完成数量", 70, 63],
    ]
    sheet = write_sheet(tmp_path / "自评.xlsx", rows, number_formats={"C5": "0%"})
    ev = score_file(sheet, "sheet")
    assert not [f for f in ev.findings if f.is_error], [f.message for f in ev.findings]
    assert (ev.result.total, ev.result.grade) == (D("91.00"), "优")
