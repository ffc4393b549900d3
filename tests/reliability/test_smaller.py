"""Smaller reliability cases: no "-0.00", a bounded sheet listing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.errors import SheetError
from jixiao.scoring.pipeline import score_file
from jixiao.values import quantize
from tests.builders import write_sheet


@pytest.mark.parametrize("value", ["-0.001", "-0.004999", "-0", "-0.00"])
def test_a_rounded_zero_has_no_sign(value):
    q = quantize(Decimal(value), 2)
    assert format(q, "f") == "0.00"


def test_a_workbook_of_many_candidate_sheets_lists_only_some(tmp_path):
    rows = [["一级指标", "分值", "自评得分"], ["履职效能", 46, 45]]
    extra = {f"表{i}": rows for i in range(60)}
    path = write_sheet(tmp_path / "many.xlsx", rows, extra_sheets=extra)
    with pytest.raises(SheetError) as info:
        score_file(path, "shaoguan-2023")
    message = str(info.value)
    assert "共 61 个" in message, message
    assert "表59" not in message


def test_a_three_decimal_bonus_gets_the_precision_warning(tmp_path, guangzhou):
    from tests.integration.test_defects import _guangzhou_with_bonus

    ev = score_file(_guangzhou_with_bonus(tmp_path, -0.125), guangzhou)
    assert any(f.code == "score-precision" for f in ev.findings), [f.code for f in ev.findings]
    ok = score_file(_guangzhou_with_bonus(tmp_path, -0.5), guangzhou)
    assert not any(f.code == "score-precision" for f in ok.findings)
