"""Batch: resubmissions count once, kinds apart, attachments skipped, usage errors are exit 2."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from openpyxl import load_workbook

from jixiao.batch import discover, score_batch
from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "某局.xlsx", {"A1": "单位名称：某局", "D10": 9, "E10": 90})
    shaoguan_sheet(inbox / "某局_修改版.xlsx", {"A1": "单位名称：某局"})
    shaoguan_sheet(inbox / "教育局.xlsx", {"A1": "单位名称：教育局", "D3": 20, "E3": 87})
    os.utime(inbox / "某局.xlsx", (1_600_000_000, 1_600_000_000))  # the first, older submission
    return inbox


def test_a_resubmission_counts_once_the_newest(tmp_path: Path, capsys):
    inbox = _inbox(tmp_path)
    summary = score_batch(discover([inbox]))
    [r] = summary.resubmissions()
    assert r.kept.path.name == "某局_修改版.xlsx" and [o.path.name for o in r.older] == ["某局.xlsx"]
    assert r.reason == "单位名称相同"
    assert {o.path.name for o in summary.counted} == {"教育局.xlsx", "某局_修改版.xlsx"}
    assert sum(n for _, n in summary.grade_counts()) == 2
    assert [row[-2] for row in summary.summary_rows()] in ([1, 2], [2, 1])
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "重复报送" in err and "以较新的 某局_修改版.xlsx 为准" in err
    wb = load_workbook(out)
    assert len([r for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0]]) == 2
    notes = [r for r in wb["错误"].iter_rows(min_row=3, values_only=True) if r[1] == "重复报送"]
    assert [Path(r[0]).name for r in notes] == ["某局.xlsx"]
    # Told otherwise, both count.
    every = score_batch(discover([inbox]), count_resubmissions=True)
    assert len(every.counted) == 3 and len(every.resubmissions()) == 1


def test_same_bytes_under_two_names_are_one_submission(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx")
    shutil.copy(inbox / "a.xlsx", inbox / "b.xlsx")
    summary = score_batch(discover([inbox]))
    [r] = summary.resubmissions()
    assert r.reason == "文件内容相同" and len(summary.counted) == 1


def test_kinds_are_summarised_apart(tmp_path: Path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx", {"A1": "单位名称：科协"})
    shutil.copy(SHEETS / "mof-project-2020-example.xlsx", inbox / "d-项目.xlsx")
    summary = score_batch(discover([inbox]))
    kinds = dict(summary.grade_counts_by_kind())
    assert set(kinds) == {"部门整体支出", "项目支出"}
    assert all(sum(n for _, n in counts) == 1 for counts in kinds.values())
    out = tmp_path / "s.xlsx"
    assert main(["batch", str(inbox), "-o", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "等级分布（部门整体支出）" in err and "等级分布（项目支出）" in err
    header = [c.value for c in load_workbook(out)["等级分布"][2]]
    assert "部门整体支出：单位数" in header and "项目支出：单位数" in header


def test_missing_folder_is_a_usage_error(tmp_path: Path, capsys):
    assert main(["batch", str(tmp_path / "没有这个文件夹"), "--no-progress"]) == 2
    assert "找不到文件或文件夹" in capsys.readouterr().err


def test_attachments_are_skipped_not_failed(tmp_path: Path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx")
    (inbox / "说明.txt").write_text("请各单位于月底前报送", encoding="utf-8")
    (inbox / "附件.pdf").write_bytes(b"%PDF-1.4\n%...")
    (inbox / "材料.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    assert main(["batch", str(inbox), "--json", "--no-progress"]) == 0
    records = {
        Path(r["file"]).name: r["status"] for r in map(json.loads, capsys.readouterr().out.splitlines())
    }
    assert records == {"a.xlsx": "ok", "材料.zip": "skipped", "说明.txt": "skipped", "附件.pdf": "skipped"}


def test_batch_sheet_option(tmp_path: Path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx", title="自评表", extra_sheets={"说明": [["填表说明"]]})
    assert main(["batch", str(inbox), "--sheet", "自评表", "--json", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["sheet"] == "自评表"
    assert main(["batch", str(inbox), "--sheet", "没有", "--json", "--no-progress"]) == 1


def test_mixed_frameworks_get_a_readable_sheet_each(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx", {"A1": "单位名称：韶关市科学技术协会（韶关市科普工作领导小组办公室）"})
    shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", inbox / "c-广州.xlsx")
    (inbox / "e-坏.xlsx").write_text("bad", encoding="utf-8")
    out = tmp_path / "s.xlsx"
    assert main(["batch", str(inbox), "-o", str(out), "--no-progress"]) == 1
    wb = load_workbook(out)
    assert "汇总（shaoguan-2023）" in wb.sheetnames and "汇总（guangzhou-2021）" in wb.sheetnames
    ws = wb["汇总（shaoguan-2023）"]
    header = [c.value for c in ws[2]]
    assert header[:5] == ["排名", "单位名称", "总分", "得分率（%）", "等级"]
    assert not any("guangzhou" in str(h) for h in header)
    assert ws.cell(3, 2).border.left.style == "thin" and ws.cell(3, 2).alignment.wrap_text
    assert ws.row_dimensions[3].height > 15  # the long name wraps onto a second line
    errors = wb["错误"]
    cell = errors.cell(3, 6)
    assert cell.alignment.wrap_text and errors.row_dimensions[3].height > 15
