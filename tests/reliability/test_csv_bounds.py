"""A CSV file is bounded in rows and cells, and refused fast past the bound."""

from __future__ import annotations

import time

import pytest

from jixiao.errors import SheetError
from jixiao.read import legacy


def test_csv_rows_bound_at_its_edge(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy, "MAX_CSV_ROWS", 100)
    path = tmp_path / "a.csv"
    path.write_text("一级指标,分值,自评得分\n" + "x,1,1\n" * 99, encoding="utf-8")
    assert legacy.load_csv_grid(path)[0].max_row == 100
    path.write_text("一级指标,分值,自评得分\n" + "x,1,1\n" * 100, encoding="utf-8")
    with pytest.raises(SheetError, match="第 101 行"):
        legacy.load_csv_grid(path)


def test_a_million_short_rows_are_refused_fast(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"a,1\n" * 1_000_000)
    start = time.perf_counter()
    with pytest.raises(SheetError, match="行的上限"):
        legacy.load_csv_grid(path)
    assert time.perf_counter() - start < 5
