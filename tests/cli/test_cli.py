"""The command line: exit codes, JSON, result workbook, refusing to overwrite, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS

SG = str(SHEETS / "shaoguan-2023-kexie.xlsx")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_prints_table_total_grade_and_findings(capsys):
    code, out, _ = run(capsys, "score", SG)
    assert code == 0
    assert "总分 98.81，得分率 98.81%，等级：优" in out
    assert "E4" in out and "表中填写的得分率 100 与计算结果 98.81 不符" in out


def test_score_json(capsys):
    code, out, _ = run(capsys, "score", SG, "--json")
    assert code == 0
    data = json.loads(out, parse_float=D)
    assert data["framework"] == "shaoguan-2023"
    assert (data["total"], data["max"], data["rate"], data["grade"]) == (D("98.81"), 100, D("98.81"), "优")
    by_path = {tuple(n["path"]): n for n in data["indicators"]}
    assert by_path[("履职效能",)]["score"] == D("45.31")
    assert by_path[("履职效能",)]["rate"] == D("98.50")
    assert by_path[("管理效率", "资产管理")] | {"cell": "D12"} == by_path[("管理效率", "资产管理")]
    assert data["findings"] == [
        {
            "code": "reported-rate-mismatch",
            "severity": "warning",
            "cell": "E4",
            "sheet": "部门整体自评情况总表",
            "path": ["合计"],
            "message": "表中填写的得分率 100 与计算结果 98.81 不符",
        }
    ]
    assert '"rate": 98.50' in out  # the exact rounded decimal, as a JSON number
    assert data["provenance"]["framework"]["sha256"]


def test_sheet_with_errors_exits_1_and_writes_only_partial_results(tmp_path, capsys):
    from openpyxl import load_workbook

    bad = shaoguan_sheet(tmp_path / "bad.xlsx", {"D3": 30})
    out_file = tmp_path / "result.xlsx"
    code, out, err = run(capsys, "score", str(bad), "-f", "shaoguan-2023", "-o", str(out_file))
    assert code == 1
    assert "D3" in out and "超过分值" in out and "部分结果" in out
    assert "部分结果" in err
    wb = load_workbook(out_file)
    assert wb.sheetnames == ["部分结果", "问题", "信息"]
    first = wb["部分结果"]
    assert "未评分" in first["A1"].value
    texts = [c.value for row in first.iter_rows() for c in row if isinstance(c.value, str)]
    assert "等级：未评定" in texts and "未评分（有错误）" in texts and "完整" in texts
    assert wb["信息"]["B3"].value.startswith("未评分")
    code, out, _ = run(capsys, "score", str(bad), "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["total"] is None and data["grade"] is None
    assert [(f["code"], f["cell"]) for f in data["findings"]] == [("score-above-max", "D3")]
    # the subtotals whose inputs are valid are still given, each marked complete or not
    flags = {tuple(i["path"]): i["complete"] for i in data["indicators"]}
    assert data["partial"] is True and True in flags.values() and False in flags.values()
    assert all(i["score"] is None for i in data["indicators"] if not i["complete"])


def test_result_workbook(tmp_path, capsys):
    out_file = tmp_path / "result.xlsx"
    code, _, err = run(capsys, "score", SG, "-o", str(out_file))
    assert code == 0 and "已写出" in err
    wb = load_workbook(out_file)
    assert wb.sheetnames == ["总表", "明细", "问题", "信息", "图表", "核验记录"]
    ws = wb["总表"]
    assert [c.value for c in ws[3]] == ["一级指标", "二级指标", "分值", "自评得分", "得分率（%）"]
    assert [c.value for c in ws[4]] == ["合计", None, 100, 98.81, 98.81]
    assert [c.value for c in ws[5]] == ["履职效能", "整体效能", 23, 22.31, 97]
    last = ws.max_row
    assert [ws.cell(row=last, column=c).value for c in (1, 2)] == ["等级", "优"]
    findings = wb["问题"]
    assert [c.value for c in findings[3]][:3] == ["警告", "reported-rate-mismatch", "E4"]
    info = {r[0].value: r[1].value for r in wb["信息"].iter_rows(min_row=3)}
    assert info["输入文件"] == "shaoguan-2023-kexie.xlsx" and len(info["输入文件 SHA-256"]) == 64
    # Existing output is not overwritten without --force; with it, it is.
    code, _, err = run(capsys, "score", SG, "-o", str(out_file))
    assert code == 2 and "--force" in err
    assert run(capsys, "score", SG, "-o", str(out_file), "--force")[0] == 0


def test_output_over_the_input_is_refused(tmp_path, capsys):
    sheet = shaoguan_sheet(tmp_path / "s.xlsx")
    before = sheet.read_bytes()
    code, _, err = run(capsys, "score", str(sheet), "-o", str(sheet), "--force")
    assert code == 2 and "输入文件" in err
    assert sheet.read_bytes() == before


def test_sheet_text_is_written_as_text_not_formula(tmp_path, capsys):
    sheet = shaoguan_sheet(tmp_path / "s.xlsx")
    from openpyxl import load_workbook as lw

    wb = lw(sheet)
    ws = wb.active
    ws.insert_cols(6)
    ws["F2"] = "扣分原因"
    ws["F10"] = "=1+1 资产盘点"
    ws["F10"].data_type = "s"  # typed as text in the department's sheet
    ws["F3"] = "+SUM(A1:A2)"
    wb.save(sheet)
    out_file = tmp_path / "r.xlsx"
    assert run(capsys, "score", str(sheet), "-f", "shaoguan-2023", "-o", str(out_file))[0] == 0
    detail = load_workbook(out_file)["明细"]
    cells = {c.value: c.data_type for row in detail.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells["=1+1 资产盘点"] == "s" and cells["+SUM(A1:A2)"] == "s"


@pytest.mark.parametrize(
    ("argv", "code", "text"),
    [
        (["score", "missing.xlsx"], 1, "文件不存在"),
        (["score", SG, "-f", "no-such"], 2, "找不到评价框架"),
        (["score", SG, "-o", "out.csv"], 2, ".xlsx"),
        (["score"], 2, "用法错误"),
        (["frameworks", "show", "no-such"], 2, "找不到评价框架"),
    ],
)
def test_usage_errors(capsys, argv, code, text):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert text in err + out
    assert "Traceback" not in err + out


def test_not_a_workbook(tmp_path, capsys):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("这不是工作簿", encoding="utf-8")
    code, _, err = run(capsys, "score", str(fake))
    assert code == 1 and "fake.xlsx" in err and "不是 Excel 工作簿" in err


def test_frameworks_commands(tmp_path, capsys):
    code, out, _ = run(capsys, "frameworks", "list")
    assert code == 0 and "shaoguan-2023" in out and "guangzhou-2021" in out
    code, out, _ = run(capsys, "frameworks", "show", "shaoguan-2023")
    assert code == 0 and "履职效能" in out and "46 分" in out and "优 [90, 100]" in out
    good = SHEETS.parent / "frameworks" / "shaoguan-2023.yaml"
    code, out, _ = run(capsys, "frameworks", "check", str(good))
    assert code == 0 and "通过" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        good.read_text(encoding="utf-8").replace("points: 23,", "points: 22,", 1), encoding="utf-8"
    )
    code, _, err = run(capsys, "frameworks", "check", str(bad))
    assert code == 2
    assert "bad.yaml" in err and "indicators[0].children" in err and "45" in err


def test_template_command(tmp_path, capsys):
    out_file = tmp_path / "t.xlsx"
    code, _, _ = run(capsys, "template", "guangzhou-2021", "-o", str(out_file))
    assert code == 0 and out_file.exists()
    assert load_workbook(out_file)["自评表"]["A3"].value == "一级指标"


def test_console_script_runs_in_a_fresh_interpreter():
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "score", SG, "--json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["grade"] == "优"
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and proc.stdout.startswith("jixiao ")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["template", "shaoguan-2023"], "缺少选项 --output"),
        (["scor", "x.xlsx"], "没有命令“scor”（是不是 score？）"),
        (["score", "--jsn", "x.xlsx"], "没有选项 --jsn（是不是 --json？）"),
        (["score", "a.xlsx", "b.xlsx", "c.xlsx"], "多余的参数：b.xlsx c.xlsx"),
        (["score", "--framework"], "选项 --framework 需要一个值"),
    ],
)
def test_parser_messages_are_chinese(capsys, argv, expected):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert expected in err


def test_piped_output_keeps_whole_messages(tmp_path):
    sheet = shaoguan_sheet(tmp_path / "s.xlsx", {"B5": "预算编治"})
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "score", str(sheet)],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in __import__("os").environ.items() if k != "COLUMNS"},
    )
    assert proc.returncode == 1
    assert "最接近的是“预算编制”，而表中没有“预算编制”，可能是名称写错了" in proc.stdout.replace("\n", "")
