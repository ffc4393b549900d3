"""Golden figures from the two source reports, exactly."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.scoring.pipeline import score_file
from tests.conftest import SHEETS


def test_shaoguan_report_figures():
    ev = score_file(SHEETS / "shaoguan-2023-kexie.xlsx")
    r = ev.result
    assert ev.framework.id == "shaoguan-2023" and ev.framework_detected
    assert (r.total, r.rate, r.grade) == (D("98.81"), D("98.81"), "优")
    assert (r.find("履职效能").score, r.find("履职效能").rate) == (D("45.31"), D("98.50"))
    assert (r.find("管理效率").score, r.find("管理效率").rate) == (D("53.50"), D("99.07"))
    assert r.find("履职效能", "整体效能").rate == D("97.00")
    assert r.find("管理效率", "资产管理").rate == D("95.00")


def test_shaoguan_total_rate_slip_is_caught():
    ev = score_file(SHEETS / "shaoguan-2023-kexie.xlsx")
    assert [(f.code, f.cell, f.severity) for f in ev.findings] == [
        ("reported-rate-mismatch", "E4", "warning")
    ]
    assert "100" in ev.findings[0].message and "98.81" in ev.findings[0].message


def test_guangzhou_report_figures():
    ev = score_file(SHEETS / "guangzhou-2021-illustrative.xlsx")
    r = ev.result
    assert ev.framework.id == "guangzhou-2021"
    assert r.find("管理效能").score == D("43.89")
    assert r.find("履职效能").score == D("50.00")
    assert r.bonus == D("0.00")
    assert (r.total, r.grade) == (D("93.89"), "优")
    assert ev.findings == []
    third_level = [n for n in r.walk() if n.level == 3]
    assert len(third_level) == 35 and all(n.from_sheet for n in third_level)
