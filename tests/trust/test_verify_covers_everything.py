"""verify covers every sheet a reader sees (问题, 图表, 信息) and the 核验记录 itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.scoring.pipeline import score_file
from jixiao.verifying import verify
from jixiao.write.result import write_result
from tests.builders import shaoguan_sheet

T1 = "2026-01-02T03:04:05Z"


@pytest.fixture
def scored(tmp_path: Path):
    # A 得分率 typed wrong gives the 问题 sheet a finding to delete.
    sheet = shaoguan_sheet(tmp_path / "sheet.xlsx", {"E3": 90})
    out = tmp_path / "result.xlsx"
    write_result(score_file(sheet), out, T1)
    return sheet, out


def _edit(out: Path, sheet: str, edit) -> None:
    wb = load_workbook(out)
    edit(wb[sheet])
    wb.save(out)


def test_untouched_result_passes(scored):
    sheet, out = scored
    verdict = verify(out, [sheet])
    assert verdict.ok, [c.details for c in verdict.checks]
    assert "问题" in verdict.checks[-1].message and "信息" in verdict.checks[-1].message


def test_record_is_on_its_own_hidden_sheet(scored):
    _, out = scored
    wb = load_workbook(out)
    assert wb["核验记录"].sheet_state == "hidden"
    assert all(c.value != "核验记录" for row in wb["信息"].iter_rows() for c in row)


def test_deleted_findings_are_noticed(scored):
    sheet, out = scored
    _edit(out, "问题", lambda ws: ws.delete_rows(3, ws.max_row))
    verdict = verify(out, [sheet])
    assert not verdict.ok
    assert any("“问题”工作表" in d for d in verdict.checks[-1].details)


def test_edited_chart_data_is_noticed(scored):
    sheet, out = scored
    _edit(out, "图表", lambda ws: ws.cell(3, 3, 100))
    verdict = verify(out, [sheet])
    assert not verdict.ok
    assert any("“图表”工作表 C3" in d for d in verdict.checks[-1].details)


def test_edited_info_sheet_is_noticed(scored):
    sheet, out = scored
    _edit(out, "信息", lambda ws: ws.cell(4, 2, "0" * 64))
    verdict = verify(out, [sheet])
    assert not verdict.ok
    assert any("“信息”工作表被改动过" in d for d in verdict.checks[-1].details)


def test_edited_record_is_noticed_even_when_figures_agree(scored):
    sheet, out = scored

    def edit(ws):
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "produced_at")
        ws.cell(row, 3).value = "2020-01-01T00:00:00Z"

    _edit(out, "核验记录", edit)
    verdict = verify(out, [sheet])
    assert not verdict.ok
    assert any("“核验记录”工作表被改动过" in d for d in verdict.checks[-1].details)
