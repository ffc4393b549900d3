"""A total written in a text whose listed parts (其中 …) add up to something else."""

from __future__ import annotations

from pathlib import Path

from jixiao.read.grid import Grid
from jixiao.scoring.checks import check_text_amounts


def _grid(*texts: str, merged: dict | None = None) -> Grid:
    return Grid(Path("表.xlsx"), "表", ["表"], [[t] for t in texts], merged_from=merged or {})


def test_parts_that_do_not_add_up_are_named_with_their_cell():
    (f,) = check_text_amounts(
        _grid(
            "无关", "本项目共完成预算资金89.97万元。其中:30万元用于编制;30万元用于审计;29.99万元用于设计。"
        ),
        "表",
    )
    assert f.code == "text-amounts-mismatch" and f.cell == "A2" and not f.is_error
    assert "89.97万元" in f.message and "30 + 30 + 29.99" in f.message and "0.02万元" in f.message


def test_parts_that_add_up_and_texts_without_a_total_are_left_alone():
    grid = _grid(
        "项目预算资金共计90万元，其中30万元用于编制，30万元用于审计，30万元用于设计。",
        "其中30万元用于编制，20万元用于审计。",  # no total
        "共培训300人次，其中农民200人次。",  # not money
        "共申请资金1万元，其中9000元用于购置，1000元用于维护。",  # 万元 and 元 together
        "共安排资金100万元，其中：工程费80万元（其中材料费50万元），其他费用20万元。",  # a part's part
        "共申请资金90万元，其中编制30万元、审计60万元；共执行80万元，其中编制30万元、审计50万元。",
    )
    assert check_text_amounts(grid, "表") == []


def test_a_merged_text_is_checked_once():
    text = "共申请预算资金100元，其中甲40元，乙50元。"
    grid = _grid(text, text, merged={(2, 1): (1, 1)})
    assert [f.cell for f in check_text_amounts(grid, "表")] == ["A1"]


def test_common_wordings_that_add_up_are_not_flagged():
    grid = _grid(
        "共安排资金100万元，其中人员经费30万元，办公经费30万元，公共服务经费40万元。",  # 共 inside a name
        "共1000000元，其中A 600,000元，B 400,000元。",  # thousands separators
        "共申请资金100万元，实际到位90万元，其中A 50万元，B 40万元。",  # parts of the later amount
        "共到位资金80万元，其中省级资金50万元，市级30万元，其中已拨付20万元。",  # a second 其中
    )
    assert check_text_amounts(grid, "表") == []


def test_a_long_text_is_read_in_linear_time_or_not_at_all():
    # a hostile cell: one 其中 then thousands of totals (was quadratic: 41 s for 8,000)
    assert check_text_amounts(_grid("其中" + "共1元" * 8000), "表") == []
    assert check_text_amounts(_grid(("共申请资金3元，其中甲1元，乙1元。" * 60)[:1990]), "表")  # still read
