"""What a reviewer gets: JSON, the 核对结果 workbook, and terminal text that is never markup."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from jixiao.auditing import AuditResult, Claim, ClaimKind, Figure
from jixiao.auditing.extract import SourceKind
from jixiao.auditing.workbook import build_audit_workbook
from jixiao.cli import main
from tests.auditing.conftest import SHAOGUAN


def test_json_lists_claims_and_findings(reports, capsys):
    assert main(["audit", str(reports[(SHAOGUAN, "pdf")]), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "pdf" and data["pages"] == 11 and data["ok"] is False
    assert data["summary"]["differs"] == 1
    total = next(c for c in data["claims"] if c["kind"] == "table-total")
    assert total["text"] == "合计 100 98.81 100"
    assert total["status"] == "differs"
    assert total["position"].startswith("第4页")
    assert [(f["role"], f["printed"], f["value"]) for f in total["figures"]] == [
        ("分值", "100", 100),
        ("自评得分", "98.81", 98.81),
        ("得分率（%）", "100", 100),
    ]
    assert data["findings"] == [
        {
            "code": "report-rate-mismatch",
            "severity": "error",
            "position": total["position"],
            "path": ["合计"],
            "message": "合计得分率 100 与 98.81 ÷ 100 × 100 = 98.81 不符",
        }
    ]
    statuses = {c["status"] for c in data["claims"]}
    assert statuses == {"agrees", "differs", "unchecked"}


def test_workbook_lists_every_claim_with_a_column_to_annotate(reports, tmp_path):
    out = tmp_path / "核对结果.xlsx"
    assert main(["audit", str(reports[(SHAOGUAN, "txt")]), "-o", str(out)]) == 1
    wb = load_workbook(out)
    ws = wb["核对结果"]
    assert [c.value for c in ws[3]] == ["序号", "位置", "报告原文", "数字", "结果", "核对说明", "复核意见"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    total = next(r for r in rows if r[2] == "合计 100 98.81 100")
    assert total[4] == "✗ 不符" and "✗ 得分率 100 与 98.81 ÷ 100 × 100 = 98.81" in total[5]
    assert {r[4] for r in rows} == {"✓ 一致", "✗ 不符", "未核对"}
    problems = [[c.value for c in r] for r in wb["问题"].iter_rows(min_row=2)]
    assert [p[1] for p in problems] == ["report-rate-mismatch"]
    # A second run refuses to overwrite without --force, and never writes over the input.
    assert main(["audit", str(reports[(SHAOGUAN, "txt")]), "-o", str(out)]) == 2
    assert main(["audit", str(out.with_suffix(".xlsx")), "-o", str(out), "--force"]) == 2


def _result(text: str) -> AuditResult:
    claim = Claim(ClaimKind.TOTAL, text, "第1行", [Figure("合计", "90", Decimal(90))], ("合计",))
    return AuditResult(Path("r.txt"), SourceKind.TEXT, [claim], [], 0)


def test_report_text_is_written_as_text_never_as_formula():
    wb = build_audit_workbook(_result('=HYPERLINK("http://x","点击") 综合得分为 90 分'))
    cell = wb["核对结果"]["C4"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_terminal_shows_report_text_verbatim_not_as_markup(capsys):
    from jixiao.cli.audit_cmd import _render

    _render(_result("[red]综合得分为 90 分[/red] [link=file:///etc]x[/link]"), verbose=False)
    out = capsys.readouterr().out
    assert "[red]综合得分为 90 分[/red] [link=file:///etc]x[/link]" in out
