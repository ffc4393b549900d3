"""``jixiao review`` and ``jixiao verify`` from the command line: outputs and exit codes."""

from __future__ import annotations

import json
from decimal import Decimal as D

from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS
from tests.review_builders import REVIEW_88, SELF_90_5
from tests.review_builders import review_sheet as build_review


def _json(capsys):
    return json.loads(capsys.readouterr().out, parse_float=D)


def test_review_json(tmp_path, capsys):
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons={1: "未达标"})
    assert main(["review", str(path), "--json"]) == 0
    data = _json(capsys)
    assert data["self"] == {"total": D("90.50"), "max": 100, "rate": D("90.50"), "grade": "优", "bonus": None}
    assert (data["review"]["total"], data["final"]["grade"]) == (D("88.00"), "良")
    assert data["grade_changed"] is True
    assert data["differences"][0] == {
        "path": ["履职效能", "专项效能"],
        "max": 23,
        "self": D("20.00"),
        "review": D("18.00"),
        "delta": D("-2.00"),
        "reason": "未达标",
        "cell": "F4",
        "finance": False,
    }
    assert [(f["code"], f["cell"], f["file"]) for f in data["findings"]] == [
        ("self-above-review", "F4", "s.xlsx"),
        ("review-deduction-without-reason", "F10", "s.xlsx"),
    ]
    assert data["provenance"]["sources"][0]["role"] == "self+review"
    assert data["provenance"]["settings"] == {"tolerance": 1, "fill_from_self": False}


def test_review_terminal_shows_totals_and_changes(tmp_path, capsys):
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88, reasons={1: "未达标", 7: "x"})
    assert main(["review", str(path)]) == 0
    out = capsys.readouterr().out
    assert "等级变化：优 → 良" in out and "90.50" in out and "88.00" in out
    assert "专项效能" in out and "-2.00" in out


def test_review_errors_exit_1_and_write_nothing(tmp_path, capsys):
    review_scores = [*REVIEW_88]
    review_scores[3] = None
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, review_scores)
    out = tmp_path / "out.xlsx"
    assert main(["review", str(path), "-o", str(out)]) == 1
    assert not out.exists()
    assert "复核有错误" in capsys.readouterr().err
    assert main(["review", str(path), "-o", str(out), "--fill-from-self"]) == 0
    assert out.exists()


def test_review_usage_errors(tmp_path, capsys):
    path = build_review(tmp_path / "s.xlsx", SELF_90_5, REVIEW_88)
    assert main(["review", str(path), "--tolerance", "abc"]) == 2
    assert "--tolerance" in capsys.readouterr().err
    assert main(["review", str(path), str(path), str(path)]) == 2
    assert main(["review", "--template", str(path)]) == 2
    assert "-o" in capsys.readouterr().err
    assert main(["review", str(path), "-o", str(path)]) == 2
    assert "输入文件" in capsys.readouterr().err


def test_review_template_then_review(tmp_path, capsys):
    out = tmp_path / "review.xlsx"
    assert main(["review", "--template", str(SHEETS / "shaoguan-2023-kexie.xlsx"), "-o", str(out)]) == 0
    # Unfilled: every indicator is blank, listed as findings, exit 1.
    assert main(["review", str(out), "--json"]) == 1
    data = _json(capsys)
    assert [f["code"] for f in data["findings"]].count("review-score-missing") == 9
    assert data["final"] is None and data["grade_changed"] is None


def test_verify_cli(tmp_path, capsys):
    sheet = shaoguan_sheet(tmp_path / "sheet.xlsx")
    out = tmp_path / "result.xlsx"
    assert main(["score", str(sheet), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["verify", str(out), str(sheet)]) == 0
    assert "核验通过" in capsys.readouterr().out
    other = shaoguan_sheet(tmp_path / "other.xlsx", {"D4": 22})
    assert main(["verify", str(out), str(other)]) == 1
    text = capsys.readouterr().out
    assert "核验未通过" in text and "不是生成该结果的文件" in text
    assert main(["verify", str(sheet), str(sheet)]) == 2
    assert "没有核验记录" in capsys.readouterr().err


def test_frameworks_show_marks_finance_scored(tmp_path, capsys):
    from tests.review_builders import finance_framework

    assert main(["frameworks", "show", str(finance_framework(tmp_path))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln for ln in lines if "财政赋分" in ln and "预算执行率" in ln]
    assert not [ln for ln in lines if "财政赋分" in ln and "预算编制" in ln]
