"""The CLI shows how each rule-scored indicator got its score (terminal, JSON, workbook)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from jixiao.cli import main
from tests.conftest import SHEETS

EXAMPLE = SHEETS / "mof-project-2020-example.xlsx"


def test_json_carries_each_explanation(capsys):
    assert main(["score", str(EXAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["framework"], data["total"], data["grade"]) == ("mof-project-2020", 94.46, "优")
    by_path = {tuple(n["path"]): n for n in data["indicators"]}
    assert by_path[("预算执行率",)]["explanation"] == "执行率 171.9 ÷ 180 = 95.50% × 10 = 9.55"
    assert by_path[("产出指标",)]["explanation"] is None
    assert [(f["code"], f["cell"]) for f in data["findings"]] == [("shortfall-without-reason", "I17")]


def test_terminal_lists_explanations(capsys):
    assert main(["score", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "计分说明" in out
    assert "执行率 171.9 ÷ 180 = 95.50% × 10 = 9.55" in out
    assert "总分 94.46" in out


def test_result_workbook_has_an_explanation_column(tmp_path: Path):
    out = tmp_path / "result.xlsx"
    assert main(["score", str(EXAMPLE), "-o", str(out)]) == 0
    ws = load_workbook(out)["明细"]
    header = [c.value for c in ws[2]]
    assert header[-1] == "计分说明"
    col = len(header)
    rows = {ws.cell(r, 1).value: ws.cell(r, col).value for r in range(3, ws.max_row + 1)}
    assert rows["预算执行率"] == "执行率 171.9 ÷ 180 = 95.50% × 10 = 9.55"


def test_template_command_writes_the_project_form(tmp_path: Path, capsys):
    out = tmp_path / "form.xlsx"
    assert main(["template", "mof-project-2020", "-o", str(out)]) == 0
    assert load_workbook(out).sheetnames == ["项目支出绩效自评表", "填表说明"]


def test_frameworks_check_rejects_a_malformed_rule(tmp_path: Path, capsys):
    bad = tmp_path / "bad.yaml"
    text = (SHEETS.parent / "frameworks" / "mof-project-2020.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("rule: {kind: proportional,", "rule: {kind: proportionl,"), encoding="utf-8")
    assert main(["frameworks", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "indicators[0].rule: 计分规则类型“proportionl”不存在" in err
    assert main(["frameworks", "check", str(SHEETS.parent / "frameworks" / "mof-project-2020.yaml")]) == 0
