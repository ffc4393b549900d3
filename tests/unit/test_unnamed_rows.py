"""A row with a 分值 and a 得分 but no name is read between named siblings, never after the last."""

from __future__ import annotations

from decimal import Decimal

from jixiao.read.dispatch import load_grids
from jixiao.read.table import read_table
from jixiao.scoring.pipeline import score_file

HEADER = "一级指标,二级指标,三级指标,分值,自评得分\n"


def _csv(tmp_path, body: str):
    path = tmp_path / "表.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_nameless_row_between_siblings_counts_towards_its_parent(tmp_path):
    path = _csv(
        tmp_path,
        "产出指标(30分),数量指标,指标1,10,10\n"
        ",,,10,8\n"  # the name lost in the copy
        ",,指标3,10,9\n"
        "合计,,,30,27\n",
    )
    table = read_table(load_grids(path)[0])
    assert [r.row for r in table.rows] == [2, 3, 4]
    assert table.rows[1].labels[-1][0].text == "第3行（无指标名称）"
    assert any("第 3 行有分值和得分但没有指标名称" in n for n in table.notes)
    ev = score_file(path, "sheet")
    assert ev.total == Decimal(27) and not ev.errors
    assert any("无指标名称" in n for n in ev.sheet_tree.notes)


def test_bare_figures_below_the_last_indicator_are_not_an_indicator(tmp_path):
    path = _csv(tmp_path, "产出指标(20分),数量指标,指标1,10,10\n,,指标2,10,9\n,,,20,19\n")
    table = read_table(load_grids(path)[0])
    assert [r.row for r in table.rows] == [2, 3]
    assert table.notes == []
    assert score_file(path, "sheet").total == Decimal(19)


def test_a_nameless_row_before_a_row_of_another_level_is_not_read(tmp_path):
    path = _csv(
        tmp_path,
        "产出指标(20分),数量指标,指标1,10,10\n,,,5,5\n效益指标(10分),社会效益,指标2,10,9\n",
    )
    assert [r.row for r in read_table(load_grids(path)[0]).rows] == [2, 4]
