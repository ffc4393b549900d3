"""Batch scoring over a folder of good, wrong, corrupt and non-Excel files."""

from __future__ import annotations

import json
import shutil
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.batch import discover, score_batch, summary_frame
from jixiao.cli import main
from jixiao.scoring.pipeline import score_file
from jixiao.values import quantize
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS

# Two frameworks in the folder: each 一级 column names its framework (韶关 builder sheet, 广州).
FIRSTS = (
    "shaoguan-2023：履职效能（得分）",
    "shaoguan-2023：管理效率（得分）",
    "guangzhou-2021：管理效能（得分）",
    "guangzhou-2021：履职效能（得分）",
    "guangzhou-2021：加减分项（得分）",
)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A bureau's inbox: three good sheets, one with errors, one corrupt, one not Excel."""
    inbox = tmp_path / "inbox"
    (inbox / "第二批").mkdir(parents=True)
    # The report's 合计 row with its printed rate slip (100 for 98.81): one warning.
    total_row = {"A12": "合计", "C12": 100, "D12": 98.81, "E12": 100}
    shaoguan_sheet(inbox / "a-科协.xlsx", {"A1": "单位名称：韶关市科协", **total_row})
    # 资产管理 9 instead of 9.5, and the 合计 rate slip is gone: total 98.31.
    shaoguan_sheet(inbox / "b-教育局.xlsx", {"A1": "单位名称：=教育局", "D10": 9, "E10": 90})
    shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", inbox / "第二批" / "c-广州.xlsx")
    shaoguan_sheet(inbox / "d-错误.xlsx", {"D3": "二十二"})
    (inbox / "e-损坏.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    (inbox / "f-说明.txt").write_text("请各单位于月底前报送", encoding="utf-8")
    (inbox / "~$a-科协.xlsx").write_bytes(b"lock file")  # Office lock file: ignored
    return inbox


def _rows(ws, first: int):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True) if any(r)]


def test_discover_is_recursive_sorted_and_skips_lock_files(folder):
    names = [p.relative_to(folder).as_posix() for p in discover([folder])]
    assert names == [
        "a-科协.xlsx",
        "b-教育局.xlsx",
        "d-错误.xlsx",
        "e-损坏.xlsx",
        "f-说明.txt",
        "第二批/c-广州.xlsx",
    ]


def test_summary_workbook_equals_per_file_results(folder, tmp_path, capsys):
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out)]) == 1  # some files failed
    paths = discover([folder])
    good = [p for p in paths if p.name in ("a-科协.xlsx", "b-教育局.xlsx", "c-广州.xlsx")]
    evs = {str(p): score_file(p) for p in good}
    wb = load_workbook(out)
    # Two frameworks: besides the combined 汇总, one readable sheet per framework.
    assert wb.sheetnames == [
        "汇总",
        "汇总（shaoguan-2023）",
        "汇总（guangzhou-2021）",
        "等级分布",
        "指标得分率",
        "扣分原因",
        "错误",
    ]

    ws = wb["汇总"]
    header = [c.value for c in ws[3]]
    assert header == [
        "单位名称",
        "文件",
        "评价框架",
        "总分",
        "得分率（%）",
        "等级",
        "框架内排名",
        "警告数",
        *FIRSTS,  # two frameworks: the 一级 columns stand right of the printed ones
    ]
    rows = _rows(ws, 4)
    assert [r[1] for r in rows] == [str(p) for p in good]
    for row in rows:
        ev = evs[row[1]]
        r = ev.result
        assert row[0] == (ev.table.unit_name or ev.table.title)
        assert row[2] == ev.framework.id
        assert (D(str(row[3])), D(str(row[4])), row[5]) == (r.total, r.rate, r.grade)
        subtotals = dict(zip(header[8:13], row[8:13], strict=True))
        for node in r.indicators:
            assert D(str(subtotals[f"{ev.framework.id}：{node.name}（得分）"])) == node.score
        assert row[7] == len(ev.warnings)
    assert [r[0] for r in rows] == ["韶关市科协", "=教育局", "广州市科学技术协会"]
    assert [r[3] for r in rows] == [98.81, 98.31, 93.89]
    assert [r[6] for r in rows] == [1, 2, 1]  # ranked within each framework
    assert [r[7] for r in rows] == [1, 0, 0]  # the 韶关 合计 rate slip is a warning
    # A unit name starting with "=" is written as text, never as a formula.
    assert ws["A5"].data_type == "s" and ws["A5"].value == "=教育局"

    grades = wb["等级分布"]
    assert _rows(grades, 3)[:5] == [
        ["优", 3, 100],
        ["良", 0, 0],
        ["中", 0, 0],
        ["差", 0, 0],
        ["合计", 3, 100],
    ]
    with zipfile.ZipFile(out) as z:
        chart = next(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = z.read(chart).decode()
    assert "<barChart>" in xml and "'等级分布'!$B$3:$B$6" in xml

    rate_rows = _rows(wb["指标得分率"], 3)
    rates = {(r[0], *(x for x in r[1:4] if x)): r for r in rate_rows}
    asset = rates[("shaoguan-2023", "管理效率", "资产管理")]  # 9.5/10 in 韶关 a, 9/10 in b
    assert asset[0] == "shaoguan-2023" and asset[4] == 2
    assert (D(str(asset[5])), D(str(asset[6])), D(str(asset[7]))) == (D("92.5"), 90, 95)
    assert D(str(asset[8])) == D("0.75")  # average points lost
    expected = [
        quantize(n.rate, 2)
        for ev in evs.values()
        for n in ev.result.walk()
        if n.path == ("履职效能", "整体效能")
    ]
    whole = rates[("shaoguan-2023", "履职效能", "整体效能")]
    assert whole[4] == len(expected) == 2 and D(str(whole[5])) == sum(expected) / 2
    # Lowest average first: the sheet shows where departments lose points most.
    averages = [D(str(r[5])) for r in rate_rows]
    assert averages == sorted(averages)

    errors = _rows(wb["错误"], 3)
    failed_files = sorted({r[0] for r in errors})
    assert failed_files == sorted(str(folder / n) for n in ("d-错误.xlsx", "e-损坏.xlsx", "f-说明.txt"))
    # The .txt attachment is listed as skipped, not as a failure.
    assert [r[1] for r in errors if r[0].endswith("f-说明.txt")] == ["跳过"]
    wrong = [r for r in errors if r[0].endswith("d-错误.xlsx") and r[2]]
    assert [(r[1], r[2], r[3], r[4]) for r in wrong] == [
        ("错误", "score-not-a-number", "评分表!D3", "履职效能 / 整体效能")
    ]
    messages = {Path(r[0]).name: r[5] for r in errors if r[2] is None}
    assert "文件已损坏" in messages["e-损坏.xlsx"]
    assert "不是 Excel 工作簿" in messages["f-说明.txt"]
    err = capsys.readouterr().err
    assert "已评分 3 个文件，未能评分 2 个，跳过 1 个" in err


def test_serial_and_parallel_runs_are_identical(folder, tmp_path, capsys):
    runs = []
    for jobs in ("1", "2"):
        assert main(["batch", str(folder), "--json", "--jobs", jobs, "--no-progress"]) == 1
        runs.append(capsys.readouterr().out.splitlines())
    serial, parallel = runs
    assert serial == parallel
    records = [json.loads(line) for line in serial]
    assert [Path(r["file"]).name for r in records] == [p.name for p in discover([folder])]
    assert [(r["ok"], r["total"], r["grade"]) for r in records] == [
        (True, 98.81, "优"),
        (True, 98.31, "优"),
        (False, None, None),
        (False, None, None),
        (False, None, None),
        (True, 93.89, "优"),
    ]
    assert records[4]["status"] == "skipped"  # f-说明.txt
    wrong = records[2]
    assert [(f["code"], f["cell"]) for f in wrong["findings"]] == [("score-not-a-number", "评分表!D3")]
    # The batch API gives the same outcomes serially and in parallel.
    paths = discover([folder])
    a, b = score_batch(paths, jobs=1), score_batch(paths, jobs=2)
    assert [o.to_dict() for o in a.scored + a.failed] == [o.to_dict() for o in b.scored + b.failed]


def test_exit_zero_when_every_file_scored_and_output_is_not_rescored(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx")
    shaoguan_sheet(inbox / "b.xlsx", {"D10": 9, "E10": 90})
    out = inbox / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(out)]) == 0
    # Run again into the same folder: the summary itself is not taken as a department.
    assert main(["batch", str(inbox), "-o", str(out), "--force"]) == 0
    assert len(_rows(load_workbook(out)["汇总"], 4)) == 2
    assert main(["batch", str(inbox), "-o", str(out)]) == 2  # exists, no --force
    assert "已存在" in capsys.readouterr().err


def test_dataframe_equals_the_summary_sheet(folder, tmp_path):
    out = tmp_path / "s.xlsx"
    main(["batch", str(folder), "-o", str(out)])
    df = summary_frame([folder])
    ws = load_workbook(out)["汇总"]
    assert list(df.columns) == [c.value for c in ws[3]]
    sheet_rows = _rows(ws, 4)
    assert len(df) == len(sheet_rows) == 3
    for values, row in zip(df.itertuples(index=False), sheet_rows, strict=True):
        for value, cell in zip(values, row, strict=True):
            if isinstance(value, D):
                assert D(str(cell)) == value
            else:
                assert cell == value
    assert df["总分"].tolist() == [D("98.81"), D("98.31"), D("93.89")]


def test_bad_framework_is_a_usage_error(folder, capsys):
    assert main(["batch", str(folder), "-f", "no-such-framework"]) == 2
    assert "no-such-framework" in capsys.readouterr().err


def test_score_does_not_import_pandas():
    import subprocess
    import sys

    code = (
        "import sys; from jixiao.cli import main; "
        f"main(['score', {str(SHEETS / 'shaoguan-2023-kexie.xlsx')!r}, '--json']); "
        "print('pandas' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "False"
