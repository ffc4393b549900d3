"""Outputs are safe: sheet text stays text, writes are atomic, an input is never overwritten."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jixiao.cli import main
from jixiao.errors import UsageError
from jixiao.scoring.pipeline import score_file
from jixiao.write.files import check_output, safe_csv_text, write_atomically
from tests.builders import shaoguan_sheet
from tests.conftest import ROOT

UNIT = '=HYPERLINK("http://evil.example/","点我")'
HOSTILE = {
    "C3": "=1+1",
    "C4": "+cmd|' /C calc'!A0",
    "F3": "@SUM(A1:A2)",
    "F5": "-2+3",
    "F11": "=扣0.5分",
}
ROWS = [
    [f"单位名称：{UNIT}"],
    ["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"],
    ["履职效能", "整体效能", None, 10, 9.31, None],
    [None, None, None, 13, 13, None],
    [None, "专项效能", None, 23, 23, None],
    ["管理效率", "预算编制", None, 5, 5, None],
    [None, "预算执行", None, 8, 8, None],
    [None, "信息公开", None, 4, 4, None],
    [None, "绩效管理", None, 10, 10, None],
    [None, "采购管理", None, 10, 10, None],
    [None, "资产管理", None, 10, 9.5, None],
    [None, "运行成本", None, 7, 7, None],
]


def hostile_sheet(path: Path) -> Path:
    """A sheet whose 三级 names, 扣分原因 and unit name look like formulas (typed as text)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c).value = value
    for ref, value in HOSTILE.items():
        ws[ref].value = value
        ws[ref].data_type = "s"  # text in the user's sheet, as Excel stores '=1+1
    for rng in ("A3:A5", "B3:B4", "A6:A12"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


@pytest.fixture
def scored(tmp_path: Path):
    source = hostile_sheet(tmp_path / "hostile.xlsx")
    out = tmp_path / "结果.xlsx"
    assert main(["score", str(source), "-o", str(out)]) == 0
    return source, out


def test_the_sheet_text_really_reaches_the_outputs(scored):
    source, _ = scored
    ev = score_file(source)
    assert ev.table.unit_name == UNIT
    names = {n.path[-1] for n in ev.result.walk()}
    reasons = {n.reason for n in ev.result.walk() if n.reason}
    assert {"=1+1", "+cmd|' /C calc'!A0"} <= names
    assert reasons == {"@SUM(A1:A2)", "-2+3", "=扣0.5分"}


def test_result_workbook_has_no_formulas(scored):
    _, out = scored
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
    wb = load_workbook(out)  # formulas would read back as data_type "f"
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} = {cell.value!r}"
                if isinstance(cell.value, str):
                    seen.add(cell.value)
    for text in [*HOSTILE.values(), f"{UNIT} 部门整体自评情况总表"]:
        assert text in seen, text


def test_libreoffice_shows_the_text_not_a_result(scored, soffice, tmp_path: Path):
    _, out = scored
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    import subprocess as sp

    profile = tmp_path / "lo-profile"
    sp.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            filt,
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    summary = (tmp_path / f"{out.stem}-总表.csv").read_text(encoding="utf-8")
    detail = (tmp_path / f"{out.stem}-明细.csv").read_text(encoding="utf-8")
    assert summary.splitlines()[0].startswith('"=HYPERLINK(""http://evil.example/""')
    assert ",=1+1,10,9.31," in detail
    assert ",+cmd|' /C calc'!A0,13,13," in detail
    assert ",@SUM(A1:A2),E3" in detail and ",=扣0.5分,E11" in detail


def test_json_carries_the_text_verbatim(scored, capsys):
    source, _ = scored
    assert main(["score", str(source), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    paths = [i["path"] for i in data["indicators"]]
    assert ["履职效能", "整体效能", "=1+1"] in paths
    reasons = {i["reason"] for i in data["indicators"] if i["reason"]}
    assert reasons == {"@SUM(A1:A2)", "-2+3", "=扣0.5分"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 123", "'+86 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("扣0.5分", "扣0.5分"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_csv_text(value, expected):
    assert safe_csv_text(value) == expected


# -- atomic writes --------------------------------------------------------------------------


def test_failed_write_leaves_the_old_file(tmp_path: Path):
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"old complete file")

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"half of the new")
        raise RuntimeError("disk vanished")

    with pytest.raises(RuntimeError):
        write_atomically(out, writer)
    assert out.read_bytes() == b"old complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["结果.xlsx"]


def test_interrupted_write_leaves_the_old_file(tmp_path: Path):
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"old complete file")

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, writer)
    assert out.read_bytes() == b"old complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["结果.xlsx"]


def test_killed_process_leaves_the_old_file(tmp_path: Path):
    """SIGKILL in the middle of writing: the old file is intact (a hidden .tmp may remain)."""
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"old complete file")
    ready = tmp_path / "ready"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from jixiao.write.files import write_atomically\n"
        "def writer(tmp):\n"
        "    tmp.write_bytes(b'half of the new')\n"
        f"    Path({str(ready)!r}).write_text('x')\n"
        "    time.sleep(120)\n"
        f"write_atomically(Path({str(out)!r}), writer)\n"
    )
    path = f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    env = {**os.environ, "PYTHONPATH": path}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        for _ in range(600):
            if ready.exists() or proc.poll() is not None:
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.1)
        assert ready.exists(), "the writer never started"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert out.read_bytes() == b"old complete file"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("结果.xlsx", "ready")]
    assert all(n.startswith(".结果.xlsx.") and n.endswith(".tmp") for n in leftovers)


def test_cli_write_failure_keeps_old_result(tmp_path: Path, monkeypatch, capsys):
    source = shaoguan_sheet(tmp_path / "in.xlsx")
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"old result")

    def broken_save(self, filename):
        Path(filename).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    code = main(["score", str(source), "-o", str(out), "--force"])
    err = capsys.readouterr().err
    assert code == 2 and "无法写出" in err and str(out) in err and "Traceback" not in err
    assert out.read_bytes() == b"old result"


# -- -o never over an input ------------------------------------------------------------------


def _spellings(tmp_path: Path, source: Path) -> dict[str, Path]:
    sub = tmp_path / "sub"
    sub.mkdir()
    link = tmp_path / "link.xlsx"
    link.symlink_to(source)
    hard = tmp_path / "hard.xlsx"
    os.link(source, hard)
    return {
        "same": source,
        "dotdot": sub / ".." / source.name,
        "dot": tmp_path / "." / source.name,
        "symlink": link,
        "hardlink": hard,
    }


@pytest.mark.parametrize("spelling", ["same", "dotdot", "dot", "symlink", "hardlink"])
def test_output_over_input_refused(tmp_path: Path, capsys, spelling: str):
    source = shaoguan_sheet(tmp_path / "in.xlsx")
    before = source.read_bytes()
    out = _spellings(tmp_path, source)[spelling]
    with pytest.raises(UsageError, match="就是输入文件"):
        check_output(out, [source], force=True)
    code = main(["score", str(source), "-o", str(out), "--force"])
    err = capsys.readouterr().err
    assert code == 2 and "就是输入文件" in err
    assert source.read_bytes() == before


def test_output_over_input_via_relative_path(tmp_path: Path, capsys, monkeypatch):
    source = shaoguan_sheet(tmp_path / "in.xlsx")
    before = source.read_bytes()
    monkeypatch.chdir(tmp_path)
    code = main(["score", str(source), "-o", "in.xlsx", "--force"])
    assert code == 2 and "就是输入文件" in capsys.readouterr().err
    assert source.read_bytes() == before


# -- every workbook the tool writes ---------------------------------------------------------

REVIEW_OPINION = '=HYPERLINK("http://evil.example/x","复核")'


def _review_sheet(path: Path) -> Path:
    """The hostile sheet with a 复核得分 column equal to the self scores and a 复核意见."""
    hostile_sheet(path)
    wb = load_workbook(path)
    ws = wb.active
    ws["G2"], ws["H2"] = "复核得分", "复核意见"
    for r in range(3, 13):
        ws.cell(r, 7).value = ws.cell(r, 5).value
    ws["H3"].value = REVIEW_OPINION
    ws["H3"].data_type = "s"
    wb.save(path)
    return path


def _sheet_texts_as_written(out: Path) -> dict[str, str]:
    """Every cell holding one of the hostile texts, with its data type, in every sheet."""
    wanted = [*HOSTILE.values(), UNIT, REVIEW_OPINION]
    found: dict[str, str] = {}
    for ws in load_workbook(out).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and any(w in value for w in wanted):
                    found[f"{ws.title}!{cell.coordinate}"] = cell.data_type
    return found


@pytest.mark.parametrize(
    "command",
    [
        ["score", "{self}", "-o", "{out}"],
        ["review", "{review}", "-o", "{out}"],
        ["review", "{self}", "--template", "-o", "{out}"],
    ],
    ids=["score", "review", "review-template"],
)
def test_every_workbook_writes_sheet_text_as_text(tmp_path: Path, command: list[str]):
    self_sheet = hostile_sheet(tmp_path / "self.xlsx")
    review = _review_sheet(tmp_path / "review.xlsx")
    out = tmp_path / "out.xlsx"
    args = [a.format(self=self_sheet, review=review, out=out) for a in command]
    assert main(args) == 0
    found = _sheet_texts_as_written(out)
    names = {"=1+1", "+cmd|' /C calc'!A0"}
    shown = {load_workbook(out)[k.split("!")[0]][k.split("!")[1]].value for k in found}
    assert names <= shown, shown  # the hostile 三级 names really are in the output
    assert found and set(found.values()) == {"s"}, found


def test_framework_imported_from_a_hostile_table_writes_text(tmp_path: Path):
    """Names and 评分标准 from an imported 指标体系表 reach template and export as text."""
    texts = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", '=HYPERLINK("x")']
    wb = Workbook()
    ws = wb.active
    rows = [
        ["某市指标体系表"],
        ["一级指标", "二级指标", "分值", "评分标准"],
        [texts[0], texts[1], 60, texts[2]],
        [None, texts[3], 40, texts[4]],
    ]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c).value = value
                ws.cell(r, c).data_type = "s" if isinstance(value, str) else "n"
    wb.save(tmp_path / "table.xlsx")
    framework = tmp_path / "evil-2024.yaml"
    assert (
        main(
            [
                "frameworks",
                "import",
                str(tmp_path / "table.xlsx"),
                "-o",
                str(framework),
                "--region",
                "某市",
                "--year",
                "2024",
                "--kind",
                "部门整体支出",
            ]
        )
        == 0
    )
    for command in (["template", str(framework)], ["frameworks", "export", str(framework)]):
        out = tmp_path / f"{command[0]}.xlsx"
        assert main([*command, "-o", str(out)]) == 0
        cells = {
            cell.value: cell.data_type
            for sheet in load_workbook(out).worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value in texts
        }
        assert cells == dict.fromkeys(texts, "s"), (command, cells)
