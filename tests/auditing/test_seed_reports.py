"""The seed reports as text, PDF and Word: 韶关's 合计 rate is caught, everything else agrees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.auditing import ClaimKind, Status, audit_report
from jixiao.cli import main
from tests.auditing.conftest import EDITS, GUANGZHOU, SHAOGUAN

KINDS = ("txt", "pdf", "docx")


def found(result) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.code, f.path) for f in result.findings}


@pytest.mark.parametrize("kind", KINDS)
def test_shaoguan_total_rate_100_is_the_only_mismatch(reports, kind):
    result = audit_report(reports[(SHAOGUAN, kind)])
    assert found(result) == {("report-rate-mismatch", ("合计",))}
    (finding,) = result.findings
    assert "合计得分率 100 与 98.81 ÷ 100 × 100 = 98.81 不符" in finding.message
    total_row = next(c for c in result.claims if c.kind is ClaimKind.TABLE_TOTAL)
    assert finding.position.place == total_row.place
    assert total_row.status is Status.DIFFERS
    assert [f.printed for f in total_row.figures] == ["100", "98.81", "100"]
    # The place a person can find: page and line in a PDF, paragraph in Word, line in text.
    marker = {"txt": "行", "pdf": "页", "docx": "段"}[kind]
    assert marker in finding.position.place


@pytest.mark.parametrize("kind", KINDS)
def test_shaoguan_table_and_sentences_are_read_and_agree(reports, kind):
    result = audit_report(reports[(SHAOGUAN, kind)])
    rows = [c for c in result.claims if c.kind is ClaimKind.TABLE_ROW]
    assert [(r.path, r.value("自评得分")) for r in rows] == [
        (("履职效能", "整体效能"), Decimal("22.31")),
        (("履职效能", "专项效能"), Decimal(23)),
        (("管理效率", "预算编制"), Decimal(5)),
        (("管理效率", "预算执行"), Decimal(8)),
        (("管理效率", "信息公开"), Decimal(4)),
        (("管理效率", "绩效管理"), Decimal(10)),
        (("管理效率", "采购管理"), Decimal(10)),
        (("管理效率", "资产管理"), Decimal("9.5")),
        (("管理效率", "运行成本"), Decimal(7)),
    ]
    assert all(r.status is Status.AGREES for r in rows)
    indicators = {c.subject: c for c in result.claims if c.kind is ClaimKind.INDICATOR}
    assert set(indicators) == {"履职效能", "管理效率"}
    assert all(c.status is Status.AGREES for c in indicators.values())
    # 98.5 is compared at the precision printed with 45.31 ÷ 46 × 100 = 98.4999…
    assert any("45.31 ÷ 46 × 100 = 98.5" in n for n in indicators["履职效能"].notes)
    grades = [c for c in result.claims if c.kind is ClaimKind.GRADE]
    assert len(grades) == 2 and all(c.status is Status.AGREES for c in grades)
    totals = [c for c in result.claims if c.kind is ClaimKind.TOTAL]
    assert [c.value("合计") for c in totals] == [Decimal("98.81"), Decimal("98.81")]
    shares = [c for c in result.claims if c.kind is ClaimKind.SHARE]
    assert len(shares) == 12 and all(c.status is Status.AGREES for c in shares)
    count = next(c for c in result.claims if c.kind is ClaimKind.COUNT)
    assert count.status is Status.AGREES  # "2 个一级指标" against the table
    # Year-on-year changes whose base year is not printed cannot be tied to anything.
    unchecked = [c for c in result.claims if c.status is Status.UNCHECKED]
    assert unchecked and all(c.kind is ClaimKind.CHANGE for c in unchecked)


@pytest.mark.parametrize("kind", KINDS)
def test_guangzhou_figures_agree(reports, kind):
    result = audit_report(reports[(GUANGZHOU, kind)])
    assert result.findings == []
    parts = next(c for c in result.claims if c.kind is ClaimKind.PARTS)
    assert [(f.role, f.value) for f in parts.figures] == [
        ("合计", Decimal("93.89")),
        ("管理效能", Decimal("43.89")),
        ("履职效能", Decimal(50)),
        ("加减分项", Decimal(0)),
    ]
    assert parts.status is Status.AGREES
    shares = [c for c in result.claims if c.kind is ClaimKind.SHARE]
    assert [c.value("占比（%）") for c in shares] == [Decimal("77.08"), Decimal("22.92")]
    assert all(c.status is Status.AGREES for c in shares)
    completion = next(c for c in result.claims if c.kind is ClaimKind.COMPLETION)
    assert completion.status is Status.AGREES
    assert (completion.value("预算数"), completion.value("执行数")) == (
        Decimal("31570.33"),
        Decimal("31133.57"),
    )
    # No table in this report: the counts of indicators are listed, not flagged.
    counts = [c for c in result.claims if c.kind is ClaimKind.COUNT]
    assert [(c.subject, c.value("个数")) for c in counts] == [
        ("一级指标", 3),
        ("二级指标", 11),
        ("三级指标", 35),
    ]
    assert all(c.status is Status.UNCHECKED for c in counts)


@pytest.mark.parametrize("kind", ("txt", "pdf", "docx"))
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edited_copies_are_caught(reports, edit, kind):
    result = audit_report(reports[(f"edit-{edit}", kind)])
    assert found(result) == EDITS[edit][2]


def test_exit_codes(reports, tmp_path, capsys):
    assert main(["audit", str(reports[(SHAOGUAN, "pdf")])]) == 1
    assert main(["audit", str(reports[(GUANGZHOU, "pdf")])]) == 0
    assert main(["audit", str(reports[(GUANGZHOU, "txt")]), "-o", str(tmp_path / "x.csv")]) == 2
    assert main(["audit"]) == 2
    assert main(["audit", str(tmp_path / "missing.pdf")]) == 1
    err = capsys.readouterr().err
    assert "核对结果工作簿须以 .xlsx 结尾" in err and "missing.pdf：文件不存在" in err


def test_terminal_output_lists_every_claim_with_its_mark(reports, capsys):
    assert main(["audit", str(reports[(SHAOGUAN, "pdf")])]) == 1
    out = capsys.readouterr().out
    assert "✗      第4页" in out or "✗" in out.splitlines()[3]
    assert "合计 100 98.81 100" in out
    assert "✗ 得分率 100 与 98.81 ÷ 100 × 100 = 98.81" in out
    assert "未核对" in out and "✓" in out
    assert "不符 1" in out
