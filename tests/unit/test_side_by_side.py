"""Two score tables side by side on one sheet are never read as one (nor only the left one)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.errors import SheetError, UsageError
from jixiao.scoring.evaluation import indicator_rows
from jixiao.scoring.pipeline import score_file

# 甲's header on row 2, 乙's two rows lower (its title rows are longer): not one header row.
LOWER = """甲单位评分表,,,,,乙单位评分表
一级指标,三级指标,分值,自评得分,,,,,
产出,指标1,50,50,,说明：乙单位,,,
效益,指标2,50,40,,一级指标,三级指标,分值,自评得分
,,,,,产出,指标1,60,60
,,,,,效益,指标2,40,20
"""

SAME_ROW = """一级指标,三级指标,分值,自评得分,,一级指标,三级指标,分值,自评得分
产出,指标1,50,50,,产出,指标1,60,60
效益,指标2,50,40,,效益,指标2,40,20
"""


@pytest.mark.parametrize("text", [LOWER, SAME_ROW], ids=["header-lower", "same-header-row"])
def test_refused_with_each_tables_cells_and_how_to_choose(tmp_path, text):
    path = tmp_path / "两表.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        score_file(path)
    message = str(caught.value)
    assert "并排有 2 张评分表" in message
    assert '--sheet "两表!A:D"' in message and '--sheet "两表!F:I"' in message
    assert "A1:D" in message and ("F1:I6" in message or "F1:I3" in message)


@pytest.mark.parametrize("text", [LOWER, SAME_ROW], ids=["header-lower", "same-header-row"])
def test_each_table_is_scored_when_chosen_by_its_columns(tmp_path, text):
    path = tmp_path / "两表.csv"
    path.write_text(text, encoding="utf-8")
    left = score_file(path, "sheet", sheet="两表!A:D")
    right = score_file(path, "sheet", sheet="两表!F:I")
    assert (left.total, right.total) == (Decimal(90), Decimal(80))
    cells = {r["cell"] for r in indicator_rows(right) if r.get("cell")}
    assert cells and all(c.startswith("I") for c in cells)  # the sheet's own cells, not shifted


def test_a_range_naming_no_sheet_is_a_usage_error(tmp_path):
    path = tmp_path / "两表.csv"
    path.write_text(SAME_ROW, encoding="utf-8")
    with pytest.raises(UsageError, match="没有名为“别的表”的工作表"):
        score_file(path, sheet="别的表!A:D")
    with pytest.raises(SheetError, match="K:M 列中"):
        score_file(path, sheet="两表!K:M")


def test_a_result_of_one_table_verifies_against_its_sheet(tmp_path):
    from jixiao.cli import main

    path = tmp_path / "两表.csv"
    path.write_text(LOWER, encoding="utf-8")
    out = tmp_path / "结果.xlsx"
    assert main(["score", str(path), "--sheet", "两表!F:I", "-f", "sheet", "-o", str(out)]) == 0
    assert main(["verify", str(out), str(path)]) == 0  # the record names the part: 两表!F:I
