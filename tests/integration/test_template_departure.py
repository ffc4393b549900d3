"""A sheet detected as a template framework but departing from it is scored by its own tree.

The national 项目支出 form and the generic 部门整体 system are templates: every place adapts the
weights and writes its own 三级 indicators. Real sheets (tests/data/realworld) are matched to the
national form by their 一级/二级 names, then depart from it: a 四川 70/20 split, 一级 labels that
lost their names. Such a sheet is scored from the tree it carries, with one warning listing the
departures; `--framework` still holds it to the template, and a region's own framework (not a
template) is never left this way.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from jixiao.scoring.pipeline import score_file
from tests.conftest import SHEETS

CORPUS = Path(__file__).resolve().parents[1] / "data" / "realworld"
EXPECTED = {
    e["file"]: e for e in yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["fixtures"]
}


def _codes(ev) -> list[str]:
    return [f.code for f in ev.findings]


def test_a_sheet_that_lost_its_level1_names_is_scored_from_its_own_tree():
    entry = EXPECTED["anhui-tianchang-shuili-2022.xlsx"]
    ev = score_file(CORPUS / entry["file"])
    assert ev.from_sheet and ev.framework.id == "sheet"
    # the hand-checked total (printed 100 at H40 and computed 100) and no error at all
    assert ev.total == Decimal(entry["score_total"]["computed"])
    assert ev.grade == "优"
    assert not [f for f in ev.findings if f.is_error]
    (warning,) = [f for f in ev.findings if f.code == "framework-template-departure"]
    assert "mof-project-2020" in warning.message and "--framework mof-project-2020" in warning.message
    assert "B13" in warning.message  # the first departure is named by its cell
    assert any("mof-project-2020" in note for note in ev.sheet_tree.notes)


def test_changed_weights_are_scored_on_the_sheets_scale_and_its_slips_found():
    entry = EXPECTED["sichuan-zhongjiang-shuili-2022.xlsx"]
    ev = score_file(CORPUS / entry["file"])
    assert ev.from_sheet
    assert ev.framework.framework.total_points == Decimal(entry["points_total"]["computed"])
    assert ev.total == Decimal(entry["score_total"]["computed"])
    slips = {s["cell"].split(":")[0] for s in entry["slips"]}
    flagged = {f.cell for f in ev.findings if f.code.startswith("reported-")}
    assert flagged and flagged <= slips
    (points,) = [f for f in ev.findings if f.code == "reported-points-mismatch"]
    assert "各一级指标分值合计 110" in points.message and "框架" not in points.message  # no framework here
    (warning,) = [f for f in ev.findings if f.code == "framework-template-departure"]
    assert "70" in warning.message and "50" in warning.message  # 产出指标(70分) against the form's 50


def test_auto_mode_gives_the_same_figures_as_sheet_mode_when_it_departs():
    for name in ("anhui-tianchang-shuili-2022.xlsx", "sichuan-zhongjiang-shuili-2022.xlsx"):
        auto = score_file(CORPUS / name)
        own = score_file(CORPUS / name, "sheet")
        assert (auto.total, auto.grade) == (own.total, own.grade)
        assert [f for f in auto.findings if f.code != "framework-template-departure"] == own.findings


def test_framework_option_still_holds_the_sheet_to_the_template():
    ev = score_file(CORPUS / "sichuan-zhongjiang-shuili-2022.xlsx", "mof-project-2020")
    assert ev.framework.id == "mof-project-2020" and not ev.from_sheet
    assert ev.total is None
    assert {"children-points-sum", "label-points-mismatch"} <= set(_codes(ev))
    assert "framework-template-departure" not in _codes(ev)


def test_a_sheet_that_fits_the_template_keeps_it():
    ev = score_file(CORPUS / "hebei-langfang-shipin-2019.xlsx")
    assert ev.framework.id == "mof-project-2020" and not ev.from_sheet
    assert ev.total == Decimal("97.24")


def test_a_regions_own_framework_is_never_left(tmp_path):
    copy = tmp_path / "韶关市科协.xlsx"
    shutil.copy(SHEETS / "shaoguan-2023-kexie.xlsx", copy)
    wb = load_workbook(copy)
    ws = wb.worksheets[0]
    assert (ws["B7"].value, ws["C7"].value, ws["B8"].value, ws["C8"].value) == ("预算编制", 5, "预算执行", 8)
    ws["C7"], ws["C8"] = 7, 6  # the department moved 2 points between two 二级 indicators
    wb.save(copy)
    ev = score_file(copy)
    assert ev.framework.id == "shaoguan-2023" and not ev.from_sheet
    assert ev.total is None
    assert {f.cell for f in ev.findings if f.code == "points-mismatch"} == {"C7", "C8"}
    assert "framework-template-departure" not in _codes(ev)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_real_sheet_keeps_a_template_only_when_it_fits(name):
    sheet = EXPECTED[name].get("sheet")
    if EXPECTED[name].get("side_by_side"):
        return  # refused unless one table is chosen (tests/unit/test_side_by_side.py)
    ev = score_file(CORPUS / name, sheet=sheet)
    if ev.from_sheet:
        return
    assert ev.framework.framework.template  # no region framework ships for these places
    departures = {"indicator-unknown", "indicator-missing", "points-mismatch", "label-points-mismatch"}
    if departures & set(_codes(ev)):
        # kept only when the sheet is short of the template (cut): then nothing is graded
        assert ev.total is None and EXPECTED[name]["grade"] is None


def test_a_copy_cut_short_is_held_to_the_template_not_graded(tmp_path):
    cut = tmp_path / "截断.xlsx"
    wb = load_workbook(CORPUS / "hebei-langfang-shipin-2019.xlsx")
    ws = wb.worksheets[0]
    first = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value or "").startswith("满意度"))
    ws.delete_rows(first, ws.max_row - first + 1)  # the 满意度指标 rows lost, as in a cut copy
    wb.save(cut)
    ev = score_file(cut)
    assert not ev.from_sheet and ev.total is None and ev.grade is None
    assert "indicator-missing" in _codes(ev)


@pytest.mark.parametrize("mode", [None, "sheet"])
def test_verify_rebuilds_a_departing_sheet_the_way_it_was_scored(tmp_path, mode):
    from jixiao.verifying import verify
    from jixiao.write.result import write_result

    sheet = CORPUS / "anhui-tianchang-shuili-2022.xlsx"
    out = tmp_path / "结果.xlsx"
    write_result(score_file(sheet, mode), out, "2026-12-01T00:00:00Z")
    verdict = verify(out, [sheet])
    assert verdict.ok, [c.message for c in verdict.checks if not c.ok]


def test_a_batch_ranks_sheets_scored_by_their_own_trees_by_rate(tmp_path):
    from jixiao.batch.summary import score_batch
    from jixiao.write.summary import framework_sheet_name

    folder = tmp_path / "各单位"
    folder.mkdir()
    for name in ("anhui-tianchang-shuili-2022.xlsx", "sichuan-zhongjiang-shuili-2022.xlsx"):
        shutil.copy(CORPUS / name, folder / name)
    summary = score_batch(sorted(folder.iterdir()))
    by_file = {o.file_name: o for o in summary.counted}
    tianchang = by_file["anhui-tianchang-shuili-2022.xlsx"]
    zhongjiang = by_file["sichuan-zhongjiang-shuili-2022.xlsx"]
    # 100 of 100 and 110 of 110: by total one would lead, by 得分率 they are level
    assert (tianchang.total, tianchang.rate) == (Decimal("100.00"), Decimal("100.00"))
    assert (zhongjiang.total, zhongjiang.rate) == (Decimal("110.00"), Decimal("100.00"))
    ranks = summary.ranks()
    assert (ranks[id(tianchang)], ranks[id(zhongjiang)]) == (1, 1)
    assert tianchang.framework_title == zhongjiang.framework_title
    assert "按得分率排名" in tianchang.framework_title
    assert framework_sheet_name("sheet") == "汇总（评分表自带）"


def test_verify_of_a_sheet_edited_into_errors_fails_plainly(tmp_path):
    from jixiao.verifying import verify
    from jixiao.write.result import write_result

    sheet = tmp_path / "表.xlsx"
    shutil.copy(CORPUS / "hebei-langfang-shipin-2019.xlsx", sheet)
    out = tmp_path / "结果.xlsx"
    write_result(score_file(sheet), out, "2026-12-01T00:00:00Z")
    wb = load_workbook(sheet)
    ws = wb.worksheets[0]
    ws["H17"] = 12  # above its 分值: the sheet now has an error
    wb.save(sheet)
    verdict = verify(out, [sheet])  # no AssertionError from the workbook builder
    assert not verdict.ok
    assert any("未能比较" in c.message for c in verdict.checks if not c.ok)


def test_the_templates_rule_warnings_about_rows_are_kept_and_reworded():
    ev = score_file(CORPUS / "yunnan-yongde-minglang-2022.xlsx")
    assert ev.from_sheet and ev.total == Decimal("96.00")  # the sheet's own figures count
    strict = score_file(CORPUS / "yunnan-yongde-minglang-2022.xlsx", "mof-project-2020")
    rules = {(f.cell, f.code) for f in strict.findings if f.code == "rule-score-mismatch"}
    kept = [f for f in ev.findings if f.code == "rule-score-mismatch"]
    assert rules and {(f.cell, f.code) for f in kept} == rules
    assert all("仍按填写的得分计" in f.message and "按计算结果计" not in f.message for f in kept)


def test_a_long_finding_gets_a_row_tall_enough_to_show_it(tmp_path):
    from jixiao.write.result import write_result

    out = tmp_path / "结果.xlsx"
    write_result(score_file(CORPUS / "anhui-tianchang-shuili-2022.xlsx"), out, "2026-12-01T00:00:00Z")
    ws = load_workbook(out)["问题"]
    (row,) = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value == "framework-template-departure"]
    # 190 characters in a 60-wide 说明 column: several lines, 15 points each (was the default 15)
    assert len(ws.cell(row, 5).value) > 150 and ws.row_dimensions[row].height >= 60


def test_a_summary_names_the_sheet_tree_group_for_people_and_reports_the_same(tmp_path, capsys):
    from docx import Document

    from jixiao.cli import main

    folder = tmp_path / "各单位"
    folder.mkdir()
    for name in ("anhui-tianchang-shuili-2022.xlsx", "sichuan-zhongjiang-shuili-2022.xlsx"):
        shutil.copy(CORPUS / name, folder / name)
    summary = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(summary), "--no-progress"]) == 0
    wb = load_workbook(summary)
    cells = (c for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    shown = {str(c.value) for c in cells if c.value is not None}
    assert "评分表自带" in shown and "sheet" not in shown  # the internal id is not what a bureau reads
    assert not any(v.startswith("sheet：") for v in shown)
    a, b = tmp_path / "文件夹.docx", tmp_path / "汇总.docx"
    assert main(["report", str(folder), "-o", str(a)]) == 0
    assert main(["report", str(summary), "-o", str(b)]) == 0
    capsys.readouterr()
    texts = [[p.text for p in Document(str(x)).paragraphs] for x in (a, b)]
    assert texts[0] == texts[1]
