"""jixiao on the real-world corpus: each published sheet scored from its own tree (sheet-tree mode).

The figures asserted are the hand-checked ones of tests/data/realworld/expected.yaml (read from
there, never restated here): the 一级 subtotals, the funds score, the total where the copy has
one, and the slips the sources print. A finding of an arithmetic kind must be a recorded slip
(nothing flagged falsely); errors are allowed only inside the parts the copy lost (cut off).
Where jixiao cannot yet do what a fixture asks, the test is marked xfail(strict=True) with the
reason, so it fails loudly the day it starts to pass.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl.utils import column_index_from_string, get_column_letter

from jixiao.matching.table_tree import display_name
from jixiao.scoring.evaluation import Evaluation, indicator_rows
from jixiao.scoring.pipeline import score_file
from jixiao.values import name_key

CORPUS = Path(__file__).resolve().parents[1] / "data" / "realworld"
ALL = {
    e["file"]: e for e in yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["fixtures"]
}
# A sheet holding several tables side by side is refused as a whole (tested below); each of its
# tables is scored when chosen by its columns.
SIDE_BY_SIDE = {name: e for name, e in ALL.items() if e.get("side_by_side")}
EXPECTED = {name: e for name, e in ALL.items() if name not in SIDE_BY_SIDE}

# Findings that say the sheet's own arithmetic is wrong: each must be a recorded slip.
SLIP_CODES = frozenset(
    {
        "reported-score-mismatch",
        "reported-points-mismatch",
        "reported-rate-mismatch",
        "rule-score-mismatch",
        "children-points-sum",
        "label-points-conflict",
        "label-points-mismatch",
        "points-mismatch",
        "funds-total-zero",
        "execution-rate-undefined",
        "spent-above-budget",
        "grade-mismatch",
        "text-amounts-mismatch",
    }
)

# What jixiao cannot do yet, fixture by fixture (the report lists them).
NOT_YET: dict[str, str] = {}
FIGURES_NOT_YET: dict[str, str] = {}


def _params(entries: list[dict[str, Any]], not_yet: dict[str, str]) -> list[Any]:
    """One case per fixture; what jixiao cannot do yet is xfail(strict=True) with its reason."""
    return [
        pytest.param(
            e,
            id=e["file"],
            marks=[pytest.mark.xfail(strict=True, reason=not_yet[e["file"]])] if e["file"] in not_yet else [],
        )
        for e in entries
    ]


def _slip_cells(entry: dict[str, Any]) -> set[str]:
    return {s["cell"].split(":")[0] for s in entry["slips"]}


@pytest.fixture(scope="module")
def scored() -> dict[str, Evaluation]:
    return {name: score_file(CORPUS / name, "sheet") for name in EXPECTED}


def _rows(ev: Evaluation) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(name_key(p) for p in row["path"]): row for row in indicator_rows(ev)}


def _level1(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in entry.get("level1") or [] if i.get("points") is not None or "score" in i]


CASES = [e for e in EXPECTED.values() if "table" in e]


@pytest.mark.parametrize("entry", _params(CASES, FIGURES_NOT_YET))
def test_level1_subtotals_are_the_hand_checked_ones(entry, scored) -> None:
    ev = scored[entry["file"]]
    assert ev.from_sheet and ev.framework.id == "sheet"
    rows = _rows(ev)
    if entry["table"].get("level1_col") is None:
        leaves = [r for r in rows.values() if r["path"][0] != "预算执行率" and len(r["path"]) == 1]
        expected = entry["leaves"]
        assert sum((r["max"] for r in leaves if r["max"] is not None), Decimal(0)) >= Decimal(
            expected["points"]
        )
        done = [r for r in leaves if r["complete"]]
        assert sum((r["score"] for r in done), Decimal(0)) == Decimal(expected["score"])
        return
    for item in _level1(entry):
        key = (name_key(display_name(item["name"])),)
        row = rows[key]
        if item.get("complete", True) and item.get("score") is None:
            # published unscored: the 分值 is the hand-checked one, no subtotal can be complete
            assert row["max"] == Decimal(item["points"]) and not row["complete"], item["name"]
        elif item.get("complete", True):
            assert row["complete"], item["name"]
            assert row["max"] == Decimal(item["points"]), item["name"]
            assert row["score"] == Decimal(item["score"]), item["name"]
        elif item.get("label_points") is not None:
            # cut off in the copy: the 分值 the label states, no subtotal claimed as complete
            assert row["max"] == Decimal(item["label_points"]), item["name"]


@pytest.mark.parametrize("entry", [e for e in CASES if e.get("funds")], ids=lambda e: e["file"])
def test_funds_score(entry, scored) -> None:
    ev = scored[entry["file"]]
    row = _rows(ev).get(("预算执行率",))
    assert row is not None and row["max"] == Decimal(entry["funds"]["points"])
    slip_here = entry["funds"]["score_cell"] in _slip_cells(entry) or any(
        s["cell"].startswith(("G7", "C7")) for s in entry["slips"]
    )
    printed = entry["funds"]["score"]
    if slip_here:
        # the printed funds score is a slip: jixiao must not take it
        assert not row["complete"] or row["score"] != Decimal(printed)
    elif printed is not None:
        assert row["complete"] and row["score"] == Decimal(printed)


@pytest.mark.parametrize(
    "entry", [e for e in CASES if e["score_total"]["computed"] is not None], ids=lambda e: e["file"]
)
def test_total_where_the_copy_has_one(entry, scored) -> None:
    ev = scored[entry["file"]]
    assert ev.total == Decimal(entry["score_total"]["computed"])
    assert ev.framework.framework.total_points == Decimal(entry["points_total"]["computed"])
    if entry.get("grade"):
        assert ev.grade == entry["grade"]


@pytest.mark.parametrize("entry", _params(list(EXPECTED.values()), NOT_YET))
def test_exactly_the_recorded_slips_are_found(entry, scored) -> None:
    ev = scored[entry["file"]]
    cut = {name_key(display_name(i["name"])) for i in entry.get("level1") or [] if i.get("complete") is False}
    # A 一级 the copy cuts off does not add up to its label: that is the copy, not a slip.
    found = {
        f.position.cell
        for f in ev.findings
        if f.code in SLIP_CODES
        and not (f.path and name_key(f.path[0]) in cut and f.code == "children-points-sum")
    }
    assert found == _slip_cells(entry)


@pytest.mark.parametrize("entry", CASES, ids=lambda e: e["file"])
def test_errors_only_where_the_copy_is_cut_or_a_slip_stands(entry, scored) -> None:
    ev = scored[entry["file"]]
    cut = {name_key(display_name(i["name"])) for i in entry.get("level1") or [] if i.get("complete") is False}
    if (entry.get("leaves") or {}).get("complete") is False or entry["score_total"]["printed"] is None:
        cut.add("*")  # the copy ends inside the table: its last rows may be cut mid-row
    slips = _slip_cells(entry)
    unscored = all(i.get("score") is None for i in entry.get("level1") or [{}])
    for f in ev.errors:
        if f.position.cell in slips or f.code in SLIP_CODES:
            continue
        if unscored and f.code in ("score-missing", "indicator-points-missing"):
            # a sheet published without scores (an 指标体系 with the 部门特性指标 rows left to
            # each department): every 得分 and those rows' 分值 are empty in the source
            continue
        if "*" in cut and f.position.cell and _last_rows(entry, f.position.cell):
            continue
        assert f.path and name_key(f.path[0]) in cut, (f.code, f.position.cell, f.message)


def _last_rows(entry: dict[str, Any], cell: str) -> bool:
    """Whether a cell lies in the last rows of the copy (the row cut mid-way, and a score-less
    sheet published unscored, whose every 得分 is empty by the source)."""
    row = int("".join(ch for ch in cell if ch.isdigit()))
    notes = " ".join(entry.get("notes") or [])
    return (
        row >= entry["table"]["last_row"]
        or "unscored" in notes
        or "published with the scoring cells empty" in notes
    )


def test_figureless_copy_is_not_scored_as_zero(scored) -> None:
    ev = scored["hubei-hbeu-xuesheng-zizhu.xlsx"]
    assert ev.total is None and ev.errors
    assert not any(r["complete"] and r["score"] == 0 for r in indicator_rows(ev))


def test_every_output_says_the_tree_came_from_the_sheet(scored) -> None:
    ev = scored["yunnan-yongde-minglang-2022.xlsx"]
    data = ev.to_dict()
    assert data["framework_from_sheet"] is True
    fw = data["provenance"]["framework"]
    assert fw["from_sheet"] is True and fw["grades_assumed"] is True
    assert fw["save_command"] == "jixiao frameworks import yunnan-yongde-minglang-2022.xlsx -o 框架.yaml"
    assert any("财预〔2020〕10号" in n for n in fw["notes"])


def test_a_total_other_than_100_is_scored_on_its_own_scale(scored) -> None:
    ev = scored["sichuan-zhongjiang-shuili-2022.xlsx"]
    assert ev.framework.framework.total_points == Decimal(110)
    assert any("不是 100" in n for n in ev.sheet_tree.notes)
    top = max(b.maximum for b in ev.framework.framework.grades)
    assert top == Decimal(110)


def test_partial_results_keep_the_complete_subtotals(scored) -> None:
    ev = scored["anhui-tangxi-weituo-2022.xlsx"]
    assert ev.result is None and ev.total is None and ev.grade is None
    data = ev.to_dict()
    assert data["partial"] is True and data["total"] is None and data["grade"] is None
    by_path = {tuple(r["path"]): r for r in data["indicators"]}
    assert by_path[("产出指标",)]["complete"] and by_path[("产出指标",)]["score"] == Decimal(50)
    assert by_path[("预算执行率",)]["complete"] is False and by_path[("预算执行率",)]["score"] is None


IMPORTABLE = ["sichuan-dazhou-bumen-tixi.xlsx"]


@pytest.mark.parametrize("name", IMPORTABLE)
def test_import_of_a_real_indicator_table_checks_clean(name, tmp_path) -> None:
    from jixiao.authoring.importer import import_table

    result = import_table(CORPUS / name)
    assert result.ok, [f.message for f in result.findings]
    assert not [f for f in result.findings if f.is_error]
    fw = result.framework
    assert fw is not None and fw.total_points == Decimal(EXPECTED[name]["points_total"]["computed"])
    # what the table could not say is a warning with a placeholder, one per field
    placeholders = [f for f in result.findings if f.code == "framework-info-placeholder"]
    assert len(placeholders) == 3
    assert all(f.message.startswith("表中没有") for f in placeholders)


ROUND_TRIP = [
    name for name, e in EXPECTED.items() if e["score_total"]["computed"] is not None and not e["slips"]
]


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_the_offered_save_command_gives_a_framework_that_scores_the_same(name, tmp_path) -> None:
    """`jixiao frameworks import 表.xlsx -o 框架.yaml` (the command sheet-tree mode offers), then
    scoring with that file, gives the total the sheet's own tree gave."""
    from jixiao.cli import main

    out = tmp_path / "框架.yaml"
    assert main(["frameworks", "import", str(CORPUS / name), "-o", str(out)]) == 0
    ev = score_file(CORPUS / name, out)
    assert not ev.from_sheet and ev.errors == []
    assert ev.total == Decimal(EXPECTED[name]["score_total"]["computed"])


def test_a_sheet_tree_result_verifies_against_its_sheet(tmp_path) -> None:
    from jixiao.cli import main

    sheet = CORPUS / "yunnan-yongde-minglang-2022.xlsx"
    out = tmp_path / "结果.xlsx"
    assert main(["score", str(sheet), "--framework", "sheet", "-o", str(out)]) == 0
    assert main(["verify", str(out), str(sheet)]) == 0
    other = CORPUS / "anhui-tianchang-shuili-2022.xlsx"
    assert main(["verify", str(out), str(other)]) != 0  # another sheet is not the one scored


def test_the_indicator_sheet_after_a_basic_data_sheet_is_scored_and_named() -> None:
    """A 基础数据表 first, the 指标表 second: no --sheet needed, and the notes say which was used."""
    ev = score_file(CORPUS / "bumen-jichushuju-2018.xlsx")  # automatic: no framework fits
    assert ev.table.sheet == "部门整体支出绩效评价指标表"
    assert ev.from_sheet
    notes = ev.to_dict()["provenance"]["framework"]["notes"]
    assert any("评分用的是“部门整体支出绩效评价指标表”" in n and "基础数据表" in n for n in notes)
    # every level's 分值 column is headed 得分: the note says how the columns were read
    assert any("按该级指标的分值读" in n and "I列按自评得分读" in n for n in notes)


def test_two_tables_side_by_side_are_refused_with_both_ranges_and_how_to_choose() -> None:
    from jixiao.errors import SheetError

    [(name, entry)] = SIDE_BY_SIDE.items()
    with pytest.raises(SheetError) as caught:
        score_file(CORPUS / name, "sheet")
    message = str(caught.value)
    for span in entry["side_by_side"]:
        first, last = span["columns"].split(":")
        assert f"{first}1:{last}{span['last_row']}" in message  # the table's cells
        assert f'--sheet "项目支出绩效自评表!{span["columns"]}"' in message  # how to choose it
        assert span["title"] in message  # which unit's or project's table it is
    with pytest.raises(SheetError, match="并排有 2 张评分表"):
        score_file(CORPUS / name)  # automatic choice too: never the left one silently


def test_each_table_side_by_side_scores_as_it_does_alone() -> None:
    [(name, entry)] = SIDE_BY_SIDE.items()
    for span in entry["side_by_side"]:
        chosen = score_file(CORPUS / name, "sheet", sheet=f"项目支出绩效自评表!{span['columns']}")
        alone = score_file(CORPUS / span["from"], "sheet")
        assert _figures(chosen) == _figures(alone)
        shift = column_index_from_string(span["columns"].split(":")[0]) - 1
        assert sorted(_cells(chosen)) == sorted(_moved(c, shift) for c in _cells(alone))


def _figures(ev: Evaluation) -> list[tuple[Any, ...]]:
    return [(tuple(r["path"]), r["max"], r["score"], r["complete"]) for r in indicator_rows(ev)]


def _cells(ev: Evaluation) -> list[tuple[str, str | None]]:
    return [(f.code, f.position.cell) for f in ev.findings]


def _moved(finding: tuple[str, str | None], shift: int) -> tuple[str, str | None]:
    code, cell = finding
    if not cell:
        return finding
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = cell[len(letters) :]
    return code, f"{get_column_letter(column_index_from_string(letters) + shift)}{digits}"
