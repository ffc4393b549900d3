"""A 一级 with nothing under it is a table cut short, not a placeholder: no total, no grade."""

from __future__ import annotations

from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet

HEADER = ["一级指标", "二级指标", "分值", "自评得分"]


def test_a_bare_level1_label_at_the_end_withholds_the_total(tmp_path):
    rows = [
        HEADER,
        ["产出指标", "数量指标", 50, 50],
        [None, "质量指标", 50, 48],
        ["效益指标", None, None, None],
    ]
    ev = score_file(write_sheet(tmp_path / "表.xlsx", rows), "sheet")
    (f,) = [f for f in ev.findings if f.is_error]
    assert (f.code, f.cell) == ("level1-empty", "A4") and "效益指标" in f.message
    assert ev.total is None and ev.grade is None


def test_a_blank_bonus_row_is_not_a_missing_part(tmp_path):
    from decimal import Decimal

    for name in ("加分项", "扣分项"):
        rows = [HEADER, ["产出指标", "数量指标", 50, 50], [None, "质量指标", 50, 46]]
        rows.append([name, None, None, None])
        ev = score_file(write_sheet(tmp_path / f"{name}.xlsx", rows), "sheet")
        assert not [f for f in ev.findings if f.is_error], [f.message for f in ev.findings]
        assert ev.total == Decimal("96.00")
