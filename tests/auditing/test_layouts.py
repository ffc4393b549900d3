"""Reports in other layouts: a 项目支出 report with its 自评表 inside, a Word table with merged cells."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest

from jixiao.auditing import ClaimKind, Status, audit_report


def found(result) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.code, f.path) for f in result.findings}


@pytest.mark.parametrize("kind", ("txt", "pdf", "docx"))
def test_project_report_with_its_self_evaluation_table(reports, kind):
    result = audit_report(reports[("project", kind)])
    assert result.findings == []
    rows = [c for c in result.claims if c.kind is ClaimKind.TABLE_ROW]
    assert [r.path for r in rows] == [
        ("项目资金",),  # the funds block above the indicators; its 分值 10 counts towards 总分
        ("产出指标", "数量指标", "科普讲座场次"),
        ("产出指标", "数量指标", "科普讲座受众人次"),
        ("产出指标", "质量指标", "活动合格率"),
        ("产出指标", "时效指标", "按时完成率"),
        ("效益指标", "社会效益指标", "公众科学素质提升"),
        ("满意度指标", "服务对象满意度指标", "参与群众满意度"),
    ]
    funds = rows[0]
    assert [(f.role, f.printed) for f in funds.figures] == [
        ("年初预算数", "100"),
        ("预算数", "120"),
        ("执行数", "114"),
        ("分值", "10"),
        ("完成率（%）", "95"),
        ("自评得分", "9.5"),
    ]
    assert any("114 ÷ 120 × 100 = 95" in n for n in funds.notes)
    assert any(n.startswith("✓ 得分 9.5 与执行率 × 分值") for n in funds.notes)
    parts = next(c for c in result.claims if c.kind is ClaimKind.PARTS)
    assert parts.status is Status.AGREES
    assert any("产出指标得分 48 与表中下级合计 48" in n for n in parts.notes)
    total = next(c for c in result.claims if c.kind is ClaimKind.TABLE_TOTAL)
    assert (total.value("分值"), total.value("自评得分")) == (Decimal(100), Decimal("94.7"))


def test_project_report_edits_are_caught(write_text):
    from tests.auditing.conftest import REPORTS

    text = (REPORTS / "project-report.txt").read_text(encoding="utf-8")
    text = text.replace("项目资金 100 120 114 10 95% 9.5", "项目资金 100 120 114 10 96% 9.5")
    text = text.replace("30 28.2 覆盖面", "30 27.2 覆盖面")
    result = audit_report(write_text(text))
    assert found(result) == {
        ("report-share-mismatch", ("项目资金",)),  # 执行率 96% is not 114 ÷ 120
        ("report-sum-mismatch", ("合计",)),  # 总分 94.7 is not the sum any more
        ("report-figure-differs", ("效益指标",)),  # the sentence says 效益指标 28.2
    }


def _merged_docx(path: Path, rows: list[tuple[str, str, str, str, str]], sentence: str) -> Path:
    """A Word report whose score table merges the 一级 cells down and the 合计 cell across."""
    document = docx.Document()
    document.add_paragraph("部门整体支出绩效自评报告")
    document.add_paragraph(sentence)
    table = document.add_table(rows=1 + len(rows), cols=5)
    for i, h in enumerate(["一级指标", "二级指标", "分值", "自评得分", "得分率（%）"]):
        table.cell(0, i).text = h
    start: dict[str, int] = {}
    for r, (level1, level2, points, score, rate) in enumerate(rows, start=1):
        if level1 == "合计":
            table.cell(r, 0).merge(table.cell(r, 1)).text = "合计"
        else:
            start.setdefault(level1, r)
            table.cell(r, 1).text = level2
        for c, value in enumerate((points, score, rate), start=2):
            table.cell(r, c).text = value
    for level1, first in start.items():
        last = max(r for r, row in enumerate(rows, start=1) if row[0] == level1)
        table.cell(first, 0).merge(table.cell(last, 0)).text = level1
    document.add_paragraph("1.履职效能情况。指标分值 46 分，自评得分 45.31 分，得分率 98.5%。")
    document.save(str(path))
    return path


SHAOGUAN_ROWS = [
    ("合计", "", "100", "98.81", "98.81"),
    ("履职效能", "整体效能", "23", "22.31", "97"),
    ("履职效能", "专项效能", "23", "23", "100"),
    ("管理效率", "预算编制", "5", "5", "100"),
    ("管理效率", "预算执行", "8", "8", "100"),
    ("管理效率", "信息公开", "4", "4", "100"),
    ("管理效率", "绩效管理", "10", "10", "100"),
    ("管理效率", "采购管理", "10", "10", "100"),
    ("管理效率", "资产管理", "10", "9.5", "95"),
    ("管理效率", "运行成本", "7", "7", "100"),
]


def test_word_table_with_merged_cells(tmp_path):
    path = _merged_docx(
        tmp_path / "merged.docx", SHAOGUAN_ROWS, "本次自评综合得分为 98.81 分，绩效等级为“优”。"
    )
    result = audit_report(path)
    assert result.findings == []
    rows = [c for c in result.claims if c.kind is ClaimKind.TABLE_ROW]
    assert [r.path[0] for r in rows] == ["履职效能"] * 2 + ["管理效率"] * 7  # merged down
    assert rows[0].place == "表1第3行"
    total = next(c for c in result.claims if c.kind is ClaimKind.TABLE_TOTAL)
    assert total.status is Status.AGREES and total.place == "表1第2行"
    sentence = next(c for c in result.claims if c.kind is ClaimKind.INDICATOR)
    assert sentence.status is Status.AGREES and sentence.place.endswith("段")


def test_word_table_with_merged_cells_changed_row_and_grade(tmp_path):
    rows = [r if r[1] != "专项效能" else ("履职效能", "专项效能", "23", "21", "100") for r in SHAOGUAN_ROWS]
    path = _merged_docx(tmp_path / "merged.docx", rows, "本次自评综合得分为 98.81 分，绩效等级为“良”。")
    result = audit_report(path)
    assert found(result) == {
        ("report-rate-mismatch", ("履职效能", "专项效能")),
        ("report-sum-mismatch", ("合计",)),
        ("report-figure-differs", ("履职效能",)),
        ("report-grade-mismatch", ("合计",)),
    }


def test_framework_points_and_bands(write_text):
    from tests.auditing.conftest import SHAOGUAN, seed

    text = seed(SHAOGUAN).read_text(encoding="utf-8")
    result = audit_report(write_text(text), "shaoguan-2023")
    assert result.framework_id == "shaoguan-2023"
    assert found(result) == {("report-rate-mismatch", ("合计",))}
    assert any("与框架 shaoguan-2023 的 23" in n for c in result.claims for n in c.notes)
    changed = text.replace("预算编制 5 5 100", "预算编制 6 5 83").replace(
        "运行成本 7 7 100", "运行成本 6 6 100"
    )
    result = audit_report(write_text(changed, "changed.txt"), "shaoguan-2023")
    assert ("report-points-framework", ("管理效率", "预算编制")) in found(result)
    assert ("report-points-framework", ("管理效率", "运行成本")) in found(result)


def test_word_report_exported_to_pdf(tmp_path, soffice):
    """A PDF made from Word: the table is drawn with merged cells, the quotes are in another font."""
    from tests.conftest import convert_with_soffice

    sentence = "本次自评综合得分为 98.81 分，绩效等级为“优”。"
    pdf = convert_with_soffice(
        soffice, _merged_docx(tmp_path / "merged.docx", SHAOGUAN_ROWS, sentence), "pdf", tmp_path
    )
    result = audit_report(pdf)
    assert result.findings == []
    kinds = [c.kind for c in result.claims]
    assert kinds.count(ClaimKind.TABLE_ROW) == 9 and ClaimKind.TABLE_TOTAL in kinds
    total = next(c for c in result.claims if c.kind is ClaimKind.TOTAL)
    assert total.text == "本次自评综合得分为 98.81 分" and total.status is Status.AGREES
    grade = next(c for c in result.claims if c.kind is ClaimKind.GRADE)
    assert grade.text == "绩效等级为“优”" and grade.status is Status.AGREES


def test_flattened_table_with_its_own_level1_rows(write_text):
    """一级 rows printed as rows ("履职效能 46 45.31 98.5") are found by their 分值."""
    from tests.auditing.conftest import REPORTS

    text = (REPORTS / "level-rows.txt").read_text(encoding="utf-8")
    result = audit_report(write_text(text))
    assert result.findings == []
    rows = [c for c in result.claims if c.kind is ClaimKind.TABLE_ROW]
    assert [r.path for r in rows[:3]] == [("履职效能",), ("履职效能", "整体效能"), ("履职效能", "专项效能")]
    assert any("自评得分 45.31 与下级合计 45.31" in n for n in rows[0].notes)
    changed = write_text(text.replace("履职效能 46 45.31 98.5", "履职效能 46 45.13 98.5"), "changed.txt")
    assert found(audit_report(changed)) == {
        ("report-rate-mismatch", ("履职效能",)),
        ("report-sum-mismatch", ("履职效能",)),
        ("report-sum-mismatch", ("合计",)),
    }


def test_an_indicator_score_is_not_taken_for_the_total(write_text):
    path = write_text(
        "经自评，本部门综合得分为 93.89 分。\n管理效能自评得分 43.89 分，履职效能自评得分 50 分。\n"
    )
    result = audit_report(path)
    assert result.findings == []  # 43.89 is not a second, different total
    assert [(c.kind, c.subject) for c in result.claims] == [
        (ClaimKind.TOTAL, "合计"),
        (ClaimKind.INDICATOR, "管理效能"),
        (ClaimKind.INDICATOR, "履职效能"),
    ]
    assert all(c.status is Status.UNCHECKED for c in result.claims)


def test_word_table_with_two_header_rows_labels_with_points_and_a_subtotal(tmp_path):
    document = docx.Document()
    document.add_paragraph("1.履职效能情况。指标分值 46 分，自评得分 45.31 分，得分率 98.5%。")
    table = document.add_table(rows=5, cols=5)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "绩效指标"
    for i, h in enumerate(["分值", "自评得分", "得分率（%）"]):
        table.cell(0, 2 + i).merge(table.cell(1, 2 + i)).text = h
    table.cell(1, 0).text, table.cell(1, 1).text = "一级指标", "二级指标"
    table.cell(2, 0).merge(table.cell(4, 0)).text = "履职效能（46分）"
    for r, values in enumerate(
        [
            ("1.整体效能", "23", "22.31", "97"),
            ("2.专项效能", "23", "23", "100"),
            ("小计", "46", "45.31", "98.5"),
        ],
        start=2,
    ):
        for c, value in enumerate(values, start=1):
            table.cell(r, c).text = value
    document.save(str(tmp_path / "two.docx"))
    result = audit_report(tmp_path / "two.docx")
    assert result.findings == []
    rows = [c for c in result.claims if c.kind is ClaimKind.TABLE_ROW]
    assert [r.path for r in rows] == [("履职效能", "整体效能"), ("履职效能", "专项效能"), ("履职效能",)]
    assert any("自评得分 45.31 与下级合计 45.31" in n for n in rows[2].notes)
    sentence = next(c for c in result.claims if c.kind is ClaimKind.INDICATOR)
    assert any("与表中 表1第5行 45.31" in n for n in sentence.notes)


def test_flattened_table_with_labels_centred_in_their_groups(write_text):
    """The text pdfplumber gives for a Word table whose merged 一级 cells are centred vertically."""
    from tests.auditing.conftest import REPORTS

    text = (REPORTS / "centred-labels.txt").read_text(encoding="utf-8")
    assert "管理效率 绩效管理 10 10 100" in text  # the label sits on a middle row of its group
    result = audit_report(write_text(text))
    assert result.findings == []
    rows = [c for c in result.claims if c.kind is ClaimKind.TABLE_ROW]
    assert [r.path[0] for r in rows] == ["履职效能"] * 2 + ["管理效率"] * 7
    changed = write_text(text.replace("预算编制 5 5 100", "预算编制 5 4 80"), "changed.txt")
    assert found(audit_report(changed)) == {
        ("report-sum-mismatch", ("合计",)),  # 98.81 printed, the rows add up to 97.81
        ("report-figure-differs", ("管理效率",)),  # the sentence says 53.5, the rows 52.5
    }


def test_word_report_with_centred_merged_cells_exported_to_pdf(tmp_path, soffice):
    from docx.enum.table import WD_ALIGN_VERTICAL

    from tests.conftest import convert_with_soffice

    path = _merged_docx(
        tmp_path / "centred.docx", SHAOGUAN_ROWS, "本次自评综合得分为 98.81 分，绩效等级为“优”。"
    )
    document = docx.Document(str(path))
    for row in document.tables[0].rows:
        row.cells[0].vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    document.add_paragraph("2.管理效率情况。指标分值 54 分，自评得分 53.5 分，得分率 99.07%。")
    document.save(str(path))
    result = audit_report(convert_with_soffice(soffice, path, "pdf", tmp_path))
    assert result.findings == []
    rows = [c for c in result.claims if c.kind is ClaimKind.TABLE_ROW]
    assert [r.path[0] for r in rows] == ["履职效能"] * 2 + ["管理效率"] * 7
