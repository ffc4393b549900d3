"""An indicator tree is read from at most MAX_TREE_ROWS rows: scoring by the sheet's own tree and
frameworks import alike (a bound, issue 13)."""

from __future__ import annotations

import pytest

from jixiao.authoring.importer import import_table
from jixiao.errors import SheetError
from jixiao.matching import table_tree
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet


def _rows(n: int) -> list[list[object]]:
    return [["一级指标", "二级指标", "分值", "自评得分"], *(["产出", f"指标{i}", 1, 1] for i in range(n))]


def test_the_bound_is_at_its_edge(tmp_path, monkeypatch):
    monkeypatch.setattr(table_tree, "MAX_TREE_ROWS", 4)
    ev = score_file(write_sheet(tmp_path / "四行.xlsx", _rows(4)), "sheet")
    assert ev.from_sheet and ev.result is not None and ev.result.max == 4
    with pytest.raises(SheetError, match=r"表头以下有 5 行，超过.*上限 4 行") as info:
        score_file(write_sheet(tmp_path / "五行.xlsx", _rows(5)), "sheet")
    assert "五行.xlsx" in str(info.value) and "--framework" in str(info.value)
    assert import_table(write_sheet(tmp_path / "四行体系.xlsx", _rows(4))).framework is not None
    with pytest.raises(SheetError, match="上限 4 行"):
        import_table(write_sheet(tmp_path / "五行体系.xlsx", _rows(5)))  # frameworks import too


def test_the_shipped_bound_leaves_room_for_every_published_sheet():
    assert table_tree.MAX_TREE_ROWS >= 1_000  # the corpus's largest has 43 indicators
