"""Invisible characters and traditional characters in names are folded when matching, and said."""

from __future__ import annotations

from pathlib import Path

from jixiao.scoring.pipeline import score_file
from tests.builders import shaoguan_sheet


def test_zero_width_space_and_bom_are_folded_and_reported(tmp_path: Path):
    path = shaoguan_sheet(tmp_path / "s.xlsx", {"B5": "预算\u200b编制", "B6": "\ufeff预算执行"})
    ev = score_file(path, "shaoguan-2023")
    assert ev.result is not None and str(ev.result.total) == "98.81"
    folded = [f for f in ev.findings if f.code == "name-folded"]
    assert [f.position.cell for f in folded] == ["B5", "B6"]
    assert "[U+200B]" in folded[0].message and "不可见字符" in folded[0].message
    assert "已按“预算编制”匹配" in folded[0].message
    assert not [f for f in ev.findings if f.is_error]


def test_traditional_characters_are_folded_and_reported(tmp_path: Path):
    path = shaoguan_sheet(tmp_path / "s.xlsx", {"A3": "履職效能", "B10": "資產管理"})
    ev = score_file(path, "shaoguan-2023")
    assert ev.result is not None and str(ev.result.total) == "98.81"
    folded = {f.position.cell: f.message for f in ev.findings if f.code == "name-folded"}
    assert set(folded) == {"A3", "B10"}
    assert "繁体字" in folded["B10"] and "已按“资产管理”匹配" in folded["B10"]
