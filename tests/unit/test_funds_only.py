"""A sheet holding only the funds block (预算执行率) is scored on it, and its slips are found."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.errors import SheetError
from jixiao.scoring.evaluation import indicator_rows
from jixiao.scoring.pipeline import score_file

FUNDS = "项目资金(万元),年初预算数,全年预算数,全年执行数,分值,执行率,得分\n"


def _sheet(tmp_path, line: str, header: str = FUNDS):
    path = tmp_path / "资金.csv"
    path.write_text(
        f"项目支出绩效自评表\n项目名称,某项目\n{header}{line}其中:本年财政拨款,100,100,90\n", "utf-8"
    )
    return path


def test_a_funds_block_alone_is_scored_by_its_execution_rate(tmp_path):
    ev = score_file(_sheet(tmp_path, "年度资金总额,100,100,90,10,90%,9\n"))
    assert ev.from_sheet and ev.total == Decimal(9) and not ev.errors
    assert [tuple(r["path"]) for r in indicator_rows(ev)] == [("预算执行率",)]
    assert any("只有资金情况一块" in n for n in ev.sheet_tree.notes)


def test_a_wrong_funds_score_alone_is_found(tmp_path):
    ev = score_file(_sheet(tmp_path, "年度资金总额,100,100,90,10,90%,10\n"))
    assert {f.position.cell for f in ev.findings if f.code == "rule-score-mismatch"} == {"G4"}


def test_amounts_without_a_points_or_score_column_are_no_score_sheet(tmp_path):
    path = _sheet(
        tmp_path, "年度资金总额,100,100,90\n", header="项目资金(万元),年初预算数,全年预算数,全年执行数\n"
    )
    with pytest.raises(SheetError, match="没有找到评分表的表头"):
        score_file(path)
