"""A total printed in the block above the table ("自评得分 | 98") is compared like a 合计 row."""

from __future__ import annotations

from decimal import Decimal

from jixiao.scoring.pipeline import score_file

BODY = (
    "一级指标,二级指标,三级指标,分值,自评得分\n"
    "产出指标(20分),数量指标,指标1,10,10\n"
    ",,指标2,10,{second}\n"
    "效益指标(10分),社会效益,指标3,10,{third}\n"
)


def _sheet(tmp_path, total: str, second: str = "9", third: str = "8"):
    path = tmp_path / "表.csv"
    path.write_text(f"项目名称,某项目\n自评得分,{total}\n" + BODY.format(second=second, third=third), "utf-8")
    return path


def _slips(ev):
    return [(f.position.cell, f.message) for f in ev.findings if f.code == "reported-score-mismatch"]


def test_a_header_total_that_agrees_is_not_flagged(tmp_path):
    ev = score_file(_sheet(tmp_path, "27"), "sheet")
    assert ev.total == Decimal(27) and _slips(ev) == []


def test_a_header_total_that_disagrees_is_flagged_at_its_cell(tmp_path):
    ev = score_file(_sheet(tmp_path, "29"), "sheet")
    assert ev.total == Decimal(27)
    assert [cell for cell, _ in _slips(ev)] == ["B2"]


def test_a_header_total_out_of_reach_is_flagged_while_a_score_is_empty(tmp_path):
    # 10 + 9 filled, 指标3 empty (at most 10): 30 cannot be reached, 25 can
    ev = score_file(_sheet(tmp_path, "30", third=""), "sheet")
    assert ev.total is None
    [(cell, message)] = _slips(ev)
    assert cell == "B2" and "至多 29" in message
    assert _slips(score_file(_sheet(tmp_path, "25", third=""), "sheet")) == []
    [(cell, message)] = _slips(score_file(_sheet(tmp_path, "18", third=""), "sheet"))
    assert "至少 19" in message
