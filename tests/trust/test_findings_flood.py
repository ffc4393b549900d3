"""A sheet with thousands of problems: grouped on the terminal, all in --json and in -o."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from tests.builders import SHAOGUAN_ROWS, write_sheet

N = 5000


@pytest.fixture(scope="module")
def flooded(tmp_path_factory) -> Path:
    rows = [list(r) for r in SHAOGUAN_ROWS]
    rows[2][3] = "二十二"  # an error: the sheet cannot be scored
    for i in range(N):
        rows.append([None, f"自设指标{i}", 1, "一分"])  # each score is not a number
    return write_sheet(tmp_path_factory.mktemp("flood") / "flood.xlsx", rows)


def test_terminal_groups_repeated_findings(flooded: Path, capsys):
    start = time.perf_counter()
    code = main(["score", str(flooded), "-f", "shaoguan-2023"])
    elapsed = time.perf_counter() - start
    out = capsys.readouterr().out
    assert code == 1
    assert "另有" in out and "条同类问题" in out
    assert len(out.splitlines()) < 100, len(out.splitlines())
    assert elapsed < 10, elapsed


def test_json_keeps_every_finding(flooded: Path, capsys):
    assert main(["score", str(flooded), "-f", "shaoguan-2023", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert len(data["findings"]) > N


def test_output_is_a_workbook_titled_unscored_with_every_finding(flooded: Path, tmp_path: Path, capsys):
    out = tmp_path / "结果.xlsx"
    assert main(["score", str(flooded), "-f", "shaoguan-2023", "-o", str(out)]) == 1
    assert "未评分" in capsys.readouterr().err
    wb = load_workbook(out)
    # No result sheets: the partial results (complete subtotals only), titled 未评分, then 问题.
    assert wb.sheetnames[0] == "部分结果" and "总表" not in wb.sheetnames
    assert "未评分" in wb["部分结果"]["A1"].value
    rows = [r for r in wb["问题"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert len(rows) > N and rows[0][0] == "错误"
    # jixiao's own output: a later batch skips it.
    from jixiao.read.mark import is_jixiao_output

    assert is_jixiao_output(out)


def test_a_hundred_thousand_rows_of_notes_are_not_compared_one_by_one(tmp_path: Path):
    """Past the first few hundred unknown rows no "closest is …" hint is searched for."""
    from jixiao.framework.load import load_framework
    from jixiao.scoring.pipeline import score_file

    rows = [list(r) for r in SHAOGUAN_ROWS]
    # Rows that look like indicators (分值 and 得分 given) under names the framework lacks; a bare
    # line of text is a note row and no finding at all.
    rows += [[f"说明第{i}条：本单位严格执行预算管理制度", None, 1, 1] for i in range(3000)]
    path = write_sheet(tmp_path / "notes.xlsx", rows)
    ev = score_file(path, load_framework("shaoguan-2023"))
    hinted = [f for f in ev.findings if "最接近的是" in f.message]
    assert len(ev.findings) == 3000 and len(hinted) <= 200


def test_narrow_terminal_keeps_every_character(tmp_path: Path):
    from rich.console import Console

    from jixiao.cli.render import render_evaluation
    from jixiao.scoring.pipeline import score_file
    from tests.builders import shaoguan_sheet

    long_name = "履职效能之下由本单位自行设立的用于考核科普惠农服务站建设运行情况的三级指标"
    path = shaoguan_sheet(tmp_path / "s.xlsx", {"B4": long_name})
    ev = score_file(path, "shaoguan-2023")
    console = Console(width=80, record=True, color_system=None)
    render_evaluation(ev, console)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    flat = "".join(text.split())
    for f in ev.findings:
        assert "".join(f.message.split()) in flat, f.message
    assert "…" not in text
