"""A hidden sheet is not a candidate for scoring (unless named with --sheet)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from jixiao.scoring.pipeline import score_file
from tests.builders import SHAOGUAN_ROWS, shaoguan_sheet


def test_hidden_copy_is_not_a_candidate(tmp_path: Path):
    path = shaoguan_sheet(tmp_path / "s.xlsx", extra_sheets={"旧表": [list(r) for r in SHAOGUAN_ROWS]})
    wb = load_workbook(path)
    wb["旧表"].sheet_state = "hidden"
    wb.save(path)
    ev = score_file(path)
    assert ev.source.sheet == "评分表"
    assert score_file(path, sheet="旧表").source.sheet == "旧表"
