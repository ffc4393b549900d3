"""Sheets as people really lay them out: title rows, two-row headers, variants, one name column."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.errors import SheetError, UsageError
from jixiao.scoring.pipeline import score_file
from tests.builders import SHAOGUAN_ROWS, write_sheet

SG_SECONDS = [r[1] for r in SHAOGUAN_ROWS[2:]]
SG_POINTS = [r[2] for r in SHAOGUAN_ROWS[2:]]
SG_SCORES = [r[3] for r in SHAOGUAN_ROWS[2:]]
SG_FIRST = ["履职效能"] * 2 + ["管理效率"] * 7


def test_title_rows_and_two_row_header(tmp_path):
    rows = [
        ["2023年度部门整体支出绩效自评表"],
        ["填报单位：韶关市科学技术协会", None, None, "填报日期：2024年3月"],
        [],
        ["绩效指标", None, "指标分值", "自评分", "扣分原因和其他说明"],
        ["一级指标", "二级指标", None, None, None],
    ]
    rows += [
        [f, s, p, sc, None] for f, s, p, sc in zip(SG_FIRST, SG_SECONDS, SG_POINTS, SG_SCORES, strict=True)
    ]
    path = write_sheet(tmp_path / "t.xlsx", rows, merges=["A4:B4", "C4:C5", "D4:D5", "E4:E5"])
    ev = score_file(path)
    assert max(ev.table.header_rows) == 5  # merged 分值 cells make row 5 a full header too
    assert ev.table.unit_name == "韶关市科学技术协会"
    assert ev.result.total == D("98.81")
    # the 扣分原因 column exists, so the two deductions without a reason are flagged
    assert [(f.code, f.cell) for f in ev.findings] == [
        ("deduction-without-reason", "D6"),
        ("deduction-without-reason", "D13"),
    ]


@pytest.mark.parametrize(
    ("points_header", "score_header"),
    [("分值", "自评得分"), ("权重", "得分"), ("标准分", "自评分"), ("分值(分)", "自评得分（分）")],
)
def test_header_variants(tmp_path, points_header, score_header):
    rows = [["一级指标", "二级指标", points_header, score_header]]
    rows += [[f, s, p, sc] for f, s, p, sc in zip(SG_FIRST, SG_SECONDS, SG_POINTS, SG_SCORES, strict=True)]
    assert score_file(write_sheet(tmp_path / "v.xlsx", rows)).result.total == D("98.81")


def test_text_full_width_and_units(tmp_path):
    scores = ["２２．３１", "23分", " 5 ", "8.00", "４分", 10, "10", "９.５分", "7"]
    rows = [["一级指标", "二级指标", "分值", "自评得分"]]
    rows += [[f, s, p, sc] for f, s, p, sc in zip(SG_FIRST, SG_SECONDS, SG_POINTS, scores, strict=True)]
    ev = score_file(write_sheet(tmp_path / "f.xlsx", rows), "shaoguan-2023")
    assert ev.findings == [] and ev.result.total == D("98.81")


def test_blank_continuation_cells_and_numbered_labels(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "自评得分"],
        ["一、履职效能（46分）", "1.整体效能", 23, 22.31],
        [None, "2.专项效能", 23, 23],
        ["二、管理效率（54分）", "（1）预算编制", 5, 5],
    ]
    rows += [[None, s, p, sc] for s, p, sc in zip(SG_SECONDS[3:], SG_POINTS[3:], SG_SCORES[3:], strict=True)]
    ev = score_file(write_sheet(tmp_path / "n.xlsx", rows), "shaoguan-2023")
    assert ev.findings == [] and ev.result.total == D("98.81")


def test_single_name_column(tmp_path):
    rows = [
        ["指标名称", "分值", "得分"],
        ["履职效能", 46, None],
        ["整体效能", 23, 22.31],
        ["专项效能", 23, 23],
        ["管理效率", 54, None],
    ]
    rows += [[s, p, sc] for s, p, sc in zip(SG_SECONDS[2:], SG_POINTS[2:], SG_SCORES[2:], strict=True)]
    ev = score_file(write_sheet(tmp_path / "one.xlsx", rows), "shaoguan-2023")
    assert ev.findings == [] and ev.result.total == D("98.81")


def test_department_three_levels_under_shaoguan(tmp_path):
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"],
        ["履职效能", "整体效能", "重点任务完成率", 13, 12.31, "一项任务延期"],
        [None, None, "工作质量", 10, 10, None],
    ]
    rows += [
        [f, s, None, p, sc, None]
        for f, s, p, sc in zip(SG_FIRST[1:], SG_SECONDS[1:], SG_POINTS[1:], SG_SCORES[1:], strict=True)
    ]
    rows[-2][5] = "资产盘点不及时"
    path = write_sheet(tmp_path / "three.xlsx", rows, merges=["A2:A4", "B2:B3"])
    ev = score_file(path)
    assert ev.findings == []
    node = ev.result.find("履职效能", "整体效能", "重点任务完成率")
    assert (node.points, node.score, node.from_sheet, node.cell) == (D(13), D("12.31"), True, "E2")


def test_percent_formatted_rate_cells(tmp_path):
    rows = [["一级指标", "二级指标", "分值", "自评得分", "得分率"]]
    rows += [
        [f, s, p, sc, D(sc) / D(p)]
        for f, s, p, sc in zip(SG_FIRST, SG_SECONDS, SG_POINTS, SG_SCORES, strict=True)
    ]
    rows[1][4] = 0.96  # 97% really: caught
    formats = {f"E{r}": "0%" for r in range(2, 11)}
    ev = score_file(write_sheet(tmp_path / "pct.xlsx", rows, number_formats=formats))
    assert [(f.code, f.cell) for f in ev.findings] == [("reported-rate-mismatch", "E2")]
    assert "96" in ev.findings[0].message


def test_several_sheets_choose_by_content_or_by_name(tmp_path):
    rows = [["一级指标", "二级指标", "分值", "自评得分"]]
    rows += [[f, s, p, sc] for f, s, p, sc in zip(SG_FIRST, SG_SECONDS, SG_POINTS, SG_SCORES, strict=True)]
    path = write_sheet(
        tmp_path / "multi.xlsx", [["说明", "本表为自评表"]], title="封面", extra_sheets={"自评表": rows}
    )
    ev = score_file(path)
    assert ev.source.sheet == "自评表" and ev.result.total == D("98.81")
    assert score_file(path, sheet="自评表").result.total == D("98.81")
    with pytest.raises(SheetError, match="封面"):
        score_file(path, sheet="封面")
    with pytest.raises(UsageError, match="自评表"):
        score_file(path, sheet="不存在")


def test_two_candidate_sheets_ask_for_sheet(tmp_path):
    rows = [["一级指标", "二级指标", "分值", "自评得分"]]
    rows += [[f, s, p, sc] for f, s, p, sc in zip(SG_FIRST, SG_SECONDS, SG_POINTS, SG_SCORES, strict=True)]
    path = write_sheet(tmp_path / "two.xlsx", rows, title="初稿", extra_sheets={"终稿": rows})
    with pytest.raises(SheetError, match="--sheet"):
        score_file(path)


def test_no_header_is_a_clear_error(tmp_path):
    path = write_sheet(tmp_path / "none.xlsx", [["项目", "金额"], ["办公费", 12]])
    with pytest.raises(SheetError, match="没有找到评分表的表头") as info:
        score_file(path)
    assert "none.xlsx" in str(info.value)


def _sg_rows(header=("一级指标", "二级指标", "分值", "自评得分")):
    return [list(header)] + [
        [f, s, p, sc] for f, s, p, sc in zip(SG_FIRST, SG_SECONDS, SG_POINTS, SG_SCORES, strict=True)
    ]


@pytest.mark.parametrize(
    "extra",
    [
        ["说明：", "资产管理扣0.5分"],
        ["审核人：", None, None, "2024年3月1日"],
        ["填表人：张三", None, "联系电话：12345678"],
    ],
)
def test_note_and_signature_rows_under_the_table(tmp_path, extra):
    rows = [*_sg_rows(), [], extra]
    ev = score_file(write_sheet(tmp_path / "n.xlsx", rows), "shaoguan-2023")
    assert ev.findings == [] and ev.result.total == D("98.81")


def test_subtotal_rows_are_checked_not_scored(tmp_path):
    rows = _sg_rows()
    rows.insert(1, ["履职效能", "小计", 46, 45.31])
    rows.insert(4, ["管理效率", "小计", 54, 53])  # wrong: the group adds up to 53.5
    ev = score_file(write_sheet(tmp_path / "sub.xlsx", rows), "shaoguan-2023")
    assert ev.result.total == D("98.81")
    assert [(f.code, f.cell, f.path) for f in ev.findings] == [
        ("reported-score-mismatch", "D5", ("管理效率",))
    ]


def test_filled_sheet_beside_a_blank_copy_is_chosen(tmp_path):
    blank = [[f, s, p, None] for f, s, p, _ in _sg_rows()[1:]]
    path = write_sheet(
        tmp_path / "q.xlsx", _sg_rows(), title="自评表", extra_sheets={"空白模板": [_sg_rows()[0], *blank]}
    )
    ev = score_file(path)
    assert ev.source.sheet == "自评表" and ev.result.total == D("98.81")


@pytest.mark.parametrize("header", ["单位自评分", "评分", "自评评分"])
def test_more_score_header_variants(tmp_path, header):
    rows = _sg_rows(("一级指标", "二级指标", "分值", header))
    assert score_file(write_sheet(tmp_path / "h.xlsx", rows)).result.total == D("98.81")


def test_decimal_comma_is_not_guessed(tmp_path):
    rows = _sg_rows()
    rows[1][3] = "22,31"
    ev = score_file(write_sheet(tmp_path / "c.xlsx", rows), "shaoguan-2023")
    assert [(f.code, f.cell) for f in ev.findings] == [("score-not-a-number", "D2")]
    assert "22,31" in ev.findings[0].message and "逗号" in ev.findings[0].message


def test_a_note_word_alone_starts_a_note_row(tmp_path):
    rows = [*_sg_rows(), ["备注", "预算执行率为100%"], ["审核人：", "李四", None, "2024年3月1日"]]
    ev = score_file(write_sheet(tmp_path / "notes.xlsx", rows), "shaoguan-2023")
    assert ev.findings == [] and ev.result.total == D("98.81")


def test_reviewer_only_sheet_is_named_as_such(tmp_path):
    rows = _sg_rows(("一级指标", "二级指标", "分值", "复核得分"))
    with pytest.raises(SheetError, match="jixiao review") as info:
        score_file(write_sheet(tmp_path / "rv.xlsx", rows))
    assert "没有自评得分列" in str(info.value)


def test_a_result_workbook_is_not_scored_again(tmp_path):
    from jixiao.write.result import write_result

    ev = score_file(write_sheet(tmp_path / "s.xlsx", _sg_rows()))
    write_result(ev, tmp_path / "result.xlsx")
    with pytest.raises(SheetError, match="jixiao 生成的结果文件"):
        score_file(tmp_path / "result.xlsx")
