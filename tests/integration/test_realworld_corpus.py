"""The real-world corpus agrees with its hand-checked expectations, read without jixiao.

Each fixture in tests/data/realworld/ is a published score sheet rebuilt by build.py; expected.yaml
holds the figures checked by hand. These tests open the fixtures with openpyxl only and recompute
the sums the expectations state, so a fixture and its expectations cannot drift apart. Tests that
run jixiao on the corpus build on this.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

CORPUS = Path(__file__).resolve().parents[1] / "data" / "realworld"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["fixtures"]
LABEL_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]")


def _ids(entry: dict[str, Any]) -> str:
    return str(entry["file"])


def _sheet(entry: dict[str, Any]):
    wb = load_workbook(CORPUS / entry["file"])
    return wb[entry["sheet"]] if entry.get("sheet") else wb.worksheets[0]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _groups(entry: dict[str, Any]) -> dict[str | None, dict[str, Decimal]]:
    """Sum the points and score columns of the indicator rows per 一级 (forward-filled)."""
    ws = _sheet(entry)
    table = entry["table"]
    level1_col = table.get("level1_col")
    sums: dict[str | None, dict[str, Decimal]] = {}
    current: str | None = None
    seen_labels: set[str] = set()
    for r in range(table["first_row"], table["last_row"] + 1):
        if level1_col:
            name = ws[f"{level1_col}{r}"].value
            if name is not None:
                current = str(name)
        bucket = sums.setdefault(current, {"points": Decimal(0), "score": Decimal(0)})
        if table.get("points_from") == "labels":
            cell = ws[f"{table['label_col']}{r}"]
            match = LABEL_WEIGHT.search(_text(cell.value))
            if match and cell.coordinate not in seen_labels:
                seen_labels.add(cell.coordinate)
                bucket["points"] += Decimal(match.group(1))
        elif table.get("points_col"):
            bucket["points"] += _number(ws[f"{table['points_col']}{r}"].value) or 0
        if table.get("score_col"):
            bucket["score"] += _number(ws[f"{table['score_col']}{r}"].value) or 0
    return sums


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_fixture_is_small_and_built(entry: dict[str, Any]) -> None:
    path = CORPUS / entry["file"]
    assert path.exists(), f"{path.name} missing: run tests/data/realworld/build.py"
    assert path.stat().st_size < 20_000


def test_every_fixture_has_expectations_and_a_source() -> None:
    files = {p.name for p in CORPUS.glob("*.xlsx")}
    assert files == {e["file"] for e in EXPECTED}
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for name in files:
        assert name in sources, f"{name} has no entry in SOURCES.md"


def test_build_is_deterministic(tmp_path: Path) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("realworld_build", CORPUS / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    for written in module.build(tmp_path):
        assert written.read_bytes() == (CORPUS / written.name).read_bytes(), f"{written.name} is stale"


@pytest.mark.parametrize("entry", [e for e in EXPECTED if "table" in e], ids=_ids)
def test_level1_sums_match(entry: dict[str, Any]) -> None:
    sums = _groups(entry)
    ws = _sheet(entry)
    level1_col = entry["table"].get("level1_col")
    if level1_col is None:
        leaves = entry["leaves"]
        assert sums[None]["points"] == Decimal(leaves["points"])
        assert sums[None]["score"] == Decimal(leaves["score"])
        return
    assert set(sums) - {None} == {item["name"] for item in entry["level1"]}
    for item in entry["level1"]:
        got = sums[item["name"]]
        if item.get("points") is not None:
            assert got["points"] == Decimal(item["points"]), item["name"]
        if "score" in item:
            expected = Decimal(item["score"]) if item["score"] is not None else Decimal(0)
            assert got["score"] == expected, item["name"]
        if item.get("label_points") is not None:
            match = LABEL_WEIGHT.search(item["name"])
            assert match and Decimal(match.group(1)) == Decimal(item["label_points"])
            if item.get("complete", True) and item.get("points") is not None:
                assert Decimal(item["label_points"]) == Decimal(item["points"]), item["name"]
    # 一级 names in expected.yaml are exactly as the sheet prints them
    printed = {
        str(ws[f"{level1_col}{r}"].value)
        for r in range(entry["table"]["first_row"], entry["table"]["last_row"] + 1)
        if ws[f"{level1_col}{r}"].value is not None
    }
    assert printed == {item["name"] for item in entry["level1"]}


@pytest.mark.parametrize("entry", [e for e in EXPECTED if "table" in e], ids=_ids)
def test_totals_follow_from_the_parts(entry: dict[str, Any]) -> None:
    ws = _sheet(entry)
    funds = entry.get("funds") or {}
    if funds:
        assert _number(ws[funds["points_cell"]].value) == Decimal(funds["points"])
        score = _number(ws[funds["score_cell"]].value)
        assert score == (Decimal(funds["score"]) if funds["score"] is not None else None)
    items = entry.get("level1") or []
    complete = items and all(i.get("complete", True) for i in items)
    computed = entry["points_total"]["computed"]
    if complete and computed is not None:
        parts = [Decimal(i.get("points") or i["label_points"]) for i in items]
        assert sum(parts, Decimal(funds.get("points") or 0)) == Decimal(computed)
    score_computed = entry["score_total"]["computed"]
    if complete and score_computed is not None:
        parts = [Decimal(i["score"]) for i in items]
        assert sum(parts, Decimal(funds.get("score") or 0)) == Decimal(score_computed)


@pytest.mark.parametrize("entry", [e for e in EXPECTED if e.get("printed")], ids=_ids)
def test_printed_cells(entry: dict[str, Any]) -> None:
    ws = _sheet(entry)
    for ref, value in entry["printed"].items():
        cell = ws[ref].value
        number = _number(cell)
        if number is not None:
            assert number == Decimal(value), ref
        else:
            assert _text(cell) == value, ref


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_printed_totals_that_disagree_are_recorded_as_slips(entry: dict[str, Any]) -> None:
    for key in ("points_total", "score_total"):
        total = entry[key]
        known = total["printed"] is not None and total["computed"] is not None
        if known and Decimal(total["printed"]) != Decimal(total["computed"]):
            assert entry["slips"], f"{entry['file']}: {key} disagrees but no slip is recorded"
    for slip in entry["slips"]:
        first = slip["cell"].split(":")[0]
        column_index_from_string(re.sub(r"\d", "", first))  # a real cell address
        assert slip["what"]


@pytest.mark.parametrize("entry", [e for e in EXPECTED if e.get("no_figures")], ids=_ids)
def test_figureless_copy_has_no_numbers(entry: dict[str, Any]) -> None:
    ws = _sheet(entry)
    for row in ws.iter_rows():
        for cell in row:
            assert _number(cell.value) is None, cell.coordinate


def test_corpus_spread() -> None:
    provinces = {e["province"] for e in EXPECTED}
    forms = {e["form"] for e in EXPECTED}
    assert len(EXPECTED) >= 12
    assert len(provinces) >= 8
    assert {"project-national", "project-sichuan", "department", "other"} <= forms
