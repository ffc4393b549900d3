"""A report scored from the sheet's own tree says so; a framework's report does not."""

from __future__ import annotations

from pathlib import Path

from jixiao.report import build_report, load_templates, render_markdown, report_input
from jixiao.scoring.pipeline import score_file
from tests.conftest import SHEETS

CORPUS = Path(__file__).resolve().parents[1] / "data" / "realworld"


def _notes(ev) -> list[str]:
    doc = build_report(report_input(ev), load_templates(), chart=False)
    return [b.text for b in doc.blocks if getattr(b, "role", "") == "note"]


def test_a_sheet_tree_report_names_its_basis_and_the_scale():
    ev = score_file(CORPUS / "sichuan-zhongjiang-shuili-2022.xlsx", "sheet")
    notes = _notes(ev)
    assert any("取自自评表本身" in n for n in notes)
    assert any("财预〔2020〕10号" in n for n in notes)  # the bands are assumed
    assert any("110 分" in n and "不是 100 分" in n for n in notes)
    text = render_markdown(build_report(report_input(ev), load_templates(), chart=False))
    assert "取自自评表本身" in text


def test_a_100_point_sheet_tree_report_has_no_scale_note():
    notes = _notes(score_file(CORPUS / "anhui-tianchang-shuili-2022.xlsx"))
    assert any("取自自评表本身" in n for n in notes)
    assert not any("不是 100 分" in n for n in notes)


def test_a_framework_report_has_no_basis_note():
    assert _notes(score_file(SHEETS / "shaoguan-2023-kexie.xlsx")) == []
