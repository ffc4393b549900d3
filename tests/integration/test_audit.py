"""The audit trail: determinism of repeated runs, and ``verify`` passing and failing."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from jixiao.errors import UsageError
from jixiao.reviewing.data import review_data
from jixiao.reviewing.pipeline import review_sheet
from jixiao.scoring.evaluation import evaluation_data
from jixiao.scoring.pipeline import score_file
from jixiao.verifying import verify
from jixiao.write.jsonout import dumps, evaluation_json
from jixiao.write.record import read_record
from jixiao.write.result import build_result_workbook, write_result
from jixiao.write.review import build_review_workbook, write_review
from tests.builders import shaoguan_sheet
from tests.conftest import FRAMEWORKS, SHEETS
from tests.review_builders import REVIEW_88, SELF_90_5
from tests.review_builders import review_sheet as build_review

T1, T2 = "2024-01-01T00:00:00Z", "2025-06-30T12:34:56Z"


def cells(wb):
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


# -- determinism --------------------------------------------------------------------------------


def test_score_json_is_byte_identical_apart_from_the_time():
    a = evaluation_json(score_file(SHEETS / "shaoguan-2023-kexie.xlsx"), T1)
    b = evaluation_json(score_file(SHEETS / "shaoguan-2023-kexie.xlsx"), T1)
    c = evaluation_json(score_file(SHEETS / "shaoguan-2023-kexie.xlsx"), T2)
    assert a == b
    assert a.replace(T1, T2) == c and T1 in a


def test_review_json_is_byte_identical_apart_from_the_time(tmp_path):
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons={1: "a", 7: "b"})
    a = dumps(review_data(review_sheet(path), T1))
    b = dumps(review_data(review_sheet(path), T1))
    c = dumps(review_data(review_sheet(path), T2))
    assert a == b and a.replace(T1, T2) == c


def _differing(a, b):
    keys = set(a) | set(b)
    return sorted(k for k in keys if a.get(k) != b.get(k))


def _only_the_time_differs(a, c):
    """The time, shown in 信息 and kept in the 核验记录, and the two check values over them."""
    differ = _differing(a, c)
    times = [k for k in differ if a[k] == T1]
    assert [k[0] for k in times] == ["信息", "核验记录"]
    digests = [k for k in differ if k not in times]
    assert len(digests) == 2 and all(k[0] == "核验记录" and len(a[k]) == 64 for k in digests)


def test_score_workbook_is_cell_for_cell_identical_apart_from_the_time():
    ev = score_file(SHEETS / "shaoguan-2023-kexie.xlsx")
    a, b = cells(build_result_workbook(ev, T1)), cells(build_result_workbook(ev, T1))
    assert a == b
    c = cells(build_result_workbook(score_file(SHEETS / "shaoguan-2023-kexie.xlsx"), T2))
    _only_the_time_differs(a, c)


def test_review_workbook_is_cell_for_cell_identical_apart_from_the_time(tmp_path):
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons={1: "a", 7: "b"})
    a = cells(build_review_workbook(review_sheet(path), T1))
    assert a == cells(build_review_workbook(review_sheet(path), T1))
    c = cells(build_review_workbook(review_sheet(path), T2))
    _only_the_time_differs(a, c)


def test_provenance_records_inputs_framework_and_version():
    ev = score_file(SHEETS / "shaoguan-2023-kexie.xlsx")
    p = evaluation_data(ev, T1)["provenance"]
    from jixiao.scoring.pipeline import sha256_file

    assert p["source"]["sha256"] == sha256_file(SHEETS / "shaoguan-2023-kexie.xlsx")
    assert p["framework"]["id"] == "shaoguan-2023" and p["framework"]["version"] == "2023.1"
    assert p["framework"]["sha256"] == sha256_file(FRAMEWORKS / "shaoguan-2023.yaml")
    assert p["jixiao_version"] and p["produced_at"] == T1


# -- verify ---------------------------------------------------------------------------------------


@pytest.fixture
def scored(tmp_path):
    sheet = shaoguan_sheet(tmp_path / "sheet.xlsx")
    out = tmp_path / "result.xlsx"
    write_result(score_file(sheet), out, T1)
    return sheet, out


def test_verify_score_result(scored):
    sheet, out = scored
    verdict = verify(out, [sheet])
    assert verdict.ok and len(verdict.checks) == 4
    assert "重新评分结果与记录一致" in verdict.checks[2].message


def test_verify_json_result(tmp_path, scored):
    sheet, _ = scored
    out = tmp_path / "result.json"
    out.write_text(evaluation_json(score_file(sheet), T1), encoding="utf-8")
    assert verify(out, [sheet]).ok


def test_verify_another_sheet(tmp_path, scored):
    _, out = scored
    other = shaoguan_sheet(tmp_path / "other.xlsx", {"D3": 20})
    verdict = verify(out, [other])
    assert [c.ok for c in verdict.checks] == [False, True, False, False]
    assert "不是生成该结果的文件" in verdict.checks[0].message
    assert "履职效能 / 整体效能 的自评得分：记录为 22.31，重新评分为 20.00" in verdict.checks[2].details


def test_verify_framework_version_changed(tmp_path, scored):
    sheet, out = scored
    changed = tmp_path / "shaoguan-2023.yaml"
    changed.write_text(
        (FRAMEWORKS / "shaoguan-2023.yaml")
        .read_text(encoding="utf-8")
        .replace('version: "2023.1"', 'version: "2023.2"'),
        encoding="utf-8",
    )
    verdict = verify(out, [sheet], framework=changed)
    assert [c.ok for c in verdict.checks] == [True, False, True, True]
    assert "版本已改变：记录为 2023.1，现在为 2023.2" in verdict.checks[1].message


def test_verify_framework_content_changed(tmp_path, scored):
    sheet, out = scored
    changed = tmp_path / "shaoguan-2023.yaml"
    shutil.copy(FRAMEWORKS / "shaoguan-2023.yaml", changed)
    with changed.open("a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    verdict = verify(out, [sheet], framework=changed)
    assert [c.ok for c in verdict.checks] == [True, False, True, True]
    assert "文件内容已改变" in verdict.checks[1].message


def test_verify_edited_figures(scored):
    sheet, out = scored
    wb = load_workbook(out)
    ws = wb["核验记录"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value == "合计|total")
    ws.cell(row, 3).value = "99.81"
    wb.save(out)
    verdict = verify(out, [sheet])
    assert [c.ok for c in verdict.checks] == [True, True, False, False]
    assert verdict.checks[2].details == ["总分：记录为 99.81，重新评分为 98.81"]
    assert "“核验记录”工作表被改动过" in verdict.checks[3].details[0]


def test_verify_review_result(tmp_path):
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons={1: "a", 7: "b"})
    out = tmp_path / "review.xlsx"
    write_review(review_sheet(path), out, T1)
    record = read_record(out)
    assert record.kind == "review" and record.figures["合计|final.grade"] == "良"
    assert verify(out, [path]).ok
    changed = build_review(tmp_path / "t.xlsx", SELF_90_5, SELF_90_5)
    verdict = verify(out, [changed])
    assert [c.ok for c in verdict.checks] == [False, True, False, False]
    assert "最终等级：记录为 良，重新评分为 优" in verdict.checks[2].details


def test_verify_usage_errors(tmp_path, scored):
    sheet, out = scored
    with pytest.raises(UsageError, match="请按顺序给出 1 个文件"):
        verify(out, [sheet, sheet])
    with pytest.raises(UsageError, match="没有核验记录"):
        verify(sheet, [sheet])
    with pytest.raises(UsageError, match="找不到结果文件"):
        verify(tmp_path / "nope.xlsx", [sheet])


def test_verify_two_file_review(tmp_path):
    from jixiao.reviewing.pipeline import review_sheets
    from tests.review_builders import scores_only

    mine = scores_only(tmp_path / "self.xlsx", SELF_90_5)
    theirs = scores_only(tmp_path / "reviewed.xlsx", REVIEW_88, header="得分")
    out = tmp_path / "review.json"
    out.write_text(dumps(review_data(review_sheets(mine, theirs), T1)), encoding="utf-8")
    assert [s["role"] for s in read_record(out).sources()] == ["self", "review"]
    assert verify(out, [mine, theirs]).ok
    # The files swapped: neither is in its recorded place, and verify says so.
    verdict = verify(out, [theirs, mine])
    assert [c.ok for c in verdict.checks] == [False, False, True, False]
    assert verdict.checks[3].message == (
        "给出的文件顺序似乎有误：reviewed.xlsx 是记录中的第 2 个文件（复核表）；"
        "self.xlsx 是记录中的第 1 个文件（自评表）。请按记录的顺序给出文件"
    )
    with pytest.raises(UsageError, match="请按顺序给出 2 个文件"):
        verify(out, [mine])


def test_verify_edited_visible_cells(scored):
    sheet, out = scored
    wb = load_workbook(out)
    wb["总表"]["D4"] = 99.81
    wb["总表"]["B14"] = "良"
    wb["明细"]["D4"] = 23
    wb.save(out)
    verdict = verify(out, [sheet])
    assert [c.ok for c in verdict.checks] == [True, True, True, False]
    assert verdict.checks[3].details == [
        "“总表”工作表 D4：显示为 99.81，重新评分为 98.81",
        "“总表”工作表 B14：显示为 良，重新评分为 优",
        "“明细”工作表 D4：显示为 23，重新评分为 22.31",
    ]


def test_verify_edited_visible_review_cells(tmp_path):
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons={1: "a", 7: "b"})
    out = tmp_path / "review.xlsx"
    write_review(review_sheet(path), out, T1)
    wb = load_workbook(out)
    ws = wb["复核对比"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, int | float) and c.value > 50)
    was = cell.value
    cell.value = was + 1
    wb.save(out)
    verdict = verify(out, [path])
    assert not verdict.ok and not verdict.checks[-1].ok
    assert len(verdict.checks[-1].details) == 1
    assert verdict.checks[-1].details[0].startswith(f"“复核对比”工作表 {cell.coordinate}：")


def test_verify_json_numbers_compare_as_decimals(tmp_path, scored):
    """A JSON result re-saved by another tool (98.50 becomes 98.5) still verifies."""
    import json

    sheet, _ = scored
    out = tmp_path / "result.json"
    data = json.loads(evaluation_json(score_file(sheet), T1))
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "98.5," in out.read_text(encoding="utf-8")
    verdict = verify(out, [sheet])
    assert verdict.ok, verdict.checks[2].details
