"""Batch: jixiao's own outputs are skipped, not failed; departments rank within their framework."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path

from openpyxl import load_workbook

from jixiao.batch import discover, score_batch, summary_frame
from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS


def _rows(ws, first: int):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True) if any(r)]


def test_own_outputs_are_skipped_not_failed(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx")
    assert main(["score", str(inbox / "a.xlsx"), "-o", str(inbox / "a-结果.xlsx")]) == 0
    assert main(["batch", str(inbox), "-o", str(inbox / "汇总.xlsx")]) == 0
    # An output written before the creator mark existed: recognised by its sheets.
    old = load_workbook(inbox / "a-结果.xlsx")
    old.properties.creator = "openpyxl"
    old.save(inbox / "b-旧结果.xlsx")
    # A template is a sheet people fill in: it is not skipped.
    assert main(["template", "shaoguan-2023", "-o", str(inbox / "c-模板.xlsx")]) == 0
    capsys.readouterr()

    from jixiao.read.mark import is_jixiao_output

    assert is_jixiao_output(inbox / "a-结果.xlsx") and is_jixiao_output(inbox / "汇总.xlsx")
    assert is_jixiao_output(inbox / "b-旧结果.xlsx")
    assert not is_jixiao_output(inbox / "a.xlsx") and not is_jixiao_output(inbox / "c-模板.xlsx")

    out = tmp_path / "s.xlsx"
    code = main(["batch", str(inbox), "--json", "--no-progress", "-o", str(out)])
    captured = capsys.readouterr()
    records = {Path(r["file"]).name: r for r in map(json.loads, captured.out.splitlines())}
    skipped = ["a-结果.xlsx", "b-旧结果.xlsx", "汇总.xlsx"]
    for name in skipped:
        assert (records[name]["status"], records[name]["ok"]) == ("skipped", False)
        assert records[name]["skipped"] == "jixiao 生成的结果文件"
        assert records[name]["error"] is None
    assert records["a.xlsx"]["status"] == "ok"
    assert records["c-模板.xlsx"]["status"] != "skipped"
    for name in skipped:
        assert f"跳过：{inbox / name}：jixiao 生成的结果文件" in captured.err
    # Only the blank template fails (it has no scores); the skipped outputs are not failures.
    assert [n for n, r in records.items() if r["status"] == "failed"] == ["c-模板.xlsx"]
    assert code == 1
    assert "已评分 1 个文件，未能评分 1 个，跳过 3 个。" in captured.err

    wb = load_workbook(out)
    assert "跳过 3 个（jixiao 生成的结果文件" in wb["汇总"]["A2"].value
    notes = [r for r in _rows(wb["错误"], 3) if r[1] == "跳过"]
    assert [(Path(r[0]).name, r[5]) for r in notes] == [(n, "jixiao 生成的结果文件") for n in skipped]


def test_folder_of_outputs_only_exits_zero(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(tmp_path / "a.xlsx")
    assert main(["score", str(tmp_path / "a.xlsx"), "-o", str(inbox / "a-结果.xlsx")]) == 0
    assert main(["batch", str(inbox), "--no-progress"]) == 0
    assert "跳过 1 个" in capsys.readouterr().err


def _mixed(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a-科协.xlsx", {"A1": "单位名称：韶关市科协"})
    shaoguan_sheet(inbox / "b-教育局.xlsx", {"A1": "单位名称：教育局", "D10": 9, "E10": 90})
    shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", inbox / "c-广州.xlsx")
    shutil.copy(SHEETS / "mof-project-2020-example.xlsx", inbox / "d-项目.xlsx")
    return inbox


def test_rank_and_subtotals_stay_within_each_framework(tmp_path, capsys):
    inbox = _mixed(tmp_path)
    summary = score_batch(discover([inbox]))
    assert [o.framework_id for o in summary.scored] == [
        "shaoguan-2023",
        "shaoguan-2023",
        "guangzhou-2021",
        "mof-project-2020",
    ]
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(out), "--no-progress"]) == 0
    ws = load_workbook(out)["汇总"]
    header = [c.value for c in ws[3]]
    assert "框架内排名" in header and "排名" not in header
    rows = _rows(ws, 4)
    rank = header.index("框架内排名")
    # Each framework has its own ranking: 韶关 1 and 2, 广州 1, the project 1.
    assert [r[rank] for r in rows] == [1, 2, 1, 1]
    # Every 一级 column belongs to one framework: only that framework's sheets fill it.
    firsts = header[rank + 2 :]  # several frameworks: the 一级 columns come last
    assert header[rank + 1] == "警告数" and firsts and all(h.endswith("（得分）") for h in firsts)
    for col, title in enumerate(firsts, start=rank + 2):
        fid = title.split("：", 1)[0]
        filled = {r[2] for r in rows if r[col] is not None}
        assert filled == {fid}, title
    by_unit = {r[1]: r for r in rows}
    for o in summary.scored:
        row = by_unit[str(o.path)]
        for s in o.subtotals:
            assert D(str(row[header.index(f"{o.framework_id}：{s.name}（得分）")])) == s.score
    # The DataFrame is the same table.
    df = summary_frame([inbox])
    assert list(df.columns) == header
    assert df["框架内排名"].tolist() == [1, 2, 1, 1]
    assert "排名只在同一评价框架内比较" in capsys.readouterr().err


def test_one_framework_keeps_plain_subtotal_headers(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx")
    shaoguan_sheet(inbox / "b.xlsx", {"D10": 9, "E10": 90})
    summary = score_batch(discover([inbox]))
    cols = summary.summary_columns()
    names = [s.name for s in summary.scored[0].subtotals]
    assert len(names) >= 2
    assert cols[6:] == [*(f"{n}（得分）" for n in names), "框架内排名", "警告数"]
    assert [r[-2] for r in summary.summary_rows()] == [1, 2]
