"""jixiao report on a folder: the bureau's 评价情况 section (grades, ranking, weakest, reasons)."""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document

from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS


def test_report_on_a_batch_folder(tmp_path: Path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx", {"A1": "单位名称：科协"})
    shaoguan_sheet(inbox / "b.xlsx", {"A1": "单位名称：教育局", "D10": 9, "E10": 90})
    shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", inbox / "c-广州.xlsx")
    shutil.copy(SHEETS / "mof-project-2020-example.xlsx", inbox / "d-项目.xlsx")
    out = tmp_path / "评价情况.docx"
    assert main(["report", str(inbox), "-o", str(out)]) == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("一、评价情况", "二、得分排名", "三、失分较多的指标", "四、常见扣分原因"):
        assert heading in text
    assert "部门整体支出共 3 个单位" in text and "项目支出共 1 个单位" in text
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    ranking = [t for t in doc.tables if t.rows[0].cells[1].text == "单位"]
    assert ranking and [c.text for c in ranking[0].rows[1].cells][:2] == ["1", "科协"]
    assert "扣分原因" in tables and len(tables["扣分原因"].rows) > 1
    assert doc.inline_shapes  # the chart of the weakest indicators
    assert "已写出评价情况报告" in capsys.readouterr().err


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx", {"A1": "单位名称：科协"})
    shaoguan_sheet(inbox / "b.xlsx", {"A1": "单位名称：教育局", "D10": 9, "E10": 90})
    shaoguan_sheet(inbox / "e-坏.xlsx", {"A1": "单位名称：坏表", "D3": "abc"})
    shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", inbox / "c-广州.xlsx")
    shutil.copy(SHEETS / "mof-project-2020-example.xlsx", inbox / "d-项目.xlsx")
    return inbox


def _figures(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs and tables of a 评价情况 report, without the reasons (not in a summary)."""
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    texts = texts[: next(i for i, t in enumerate(texts) if "四、常见扣分原因" in t)]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return texts, [t for t in tables if t[0][0] != "扣分原因"]


def test_report_on_a_summary_workbook_matches_the_folder(tmp_path: Path, capsys):
    inbox = _inbox(tmp_path)
    summary = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(summary), "--no-progress"]) in (0, 1)  # 1: e-坏 failed
    from_folder, from_summary = tmp_path / "文件夹.docx", tmp_path / "汇总报告.docx"
    assert main(["report", str(inbox), "-o", str(from_folder)]) == 0
    assert main(["report", str(summary), "-o", str(from_summary)]) == 0
    assert "据汇总工作簿" in capsys.readouterr().err
    texts, tables = _figures(from_summary)
    assert (texts, tables) == _figures(from_folder)
    joined = "\n".join(texts)
    assert (
        "1 个未能评分" in joined and "部门整体支出共 3 个单位" in joined and "项目支出共 1 个单位" in joined
    )
    grades = [t for t in tables if t[0] == ["等级", "单位数", "占比（%）"]]
    assert grades and grades[0][-1][:2] == ["合计", "3"]
    ranking = [t for t in tables if t[0] == ["排名", "单位", "总分", "得分率（%）", "等级"]]
    assert [r[:2] for r in ranking[0][1:]] == [["1", "科协"], ["2", "教育局"]]
    # The common deduction reasons too, figure for figure: the summary keeps every reason.
    assert _everything(from_summary) == _everything(from_folder)
    reasons = [t for t in _everything(from_summary)[1] if t[0] == ["扣分原因", "出现次数"]]
    assert reasons and len(reasons[0]) > 1
    assert Document(str(from_summary)).inline_shapes  # the chart of the weakest indicators


def _everything(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    doc = Document(str(path))
    return [p.text for p in doc.paragraphs], [
        [[c.text for c in row.cells] for row in t.rows] for t in doc.tables
    ]


def test_summary_keeps_every_reason_readably(tmp_path: Path):
    """The 扣分原因 sheet: one row per reason a counted unit wrote, with unit and indicator;
    the reasons as written, as text."""
    from openpyxl import load_workbook

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    reason = {"F2": "扣分原因", "F3": "绩效目标部分未完成"}
    shaoguan_sheet(inbox / "a.xlsx", {"A1": "单位名称：科协", **reason})
    shaoguan_sheet(
        inbox / "b.xlsx", {"A1": "单位名称：教育局", **reason, "D10": 9, "E10": 90, "F10": "资产登记不全"}
    )
    summary = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(summary), "--no-progress"]) == 0
    ws = load_workbook(summary)["扣分原因"]
    assert [c.value for c in ws[2]] == ["单位名称", "评价框架", "指标", "扣分原因", "文件"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert rows == [
        ["科协", "shaoguan-2023", "履职效能 / 整体效能", "绩效目标部分未完成", "a.xlsx"],
        ["教育局", "shaoguan-2023", "履职效能 / 整体效能", "绩效目标部分未完成", "b.xlsx"],
        ["教育局", "shaoguan-2023", "管理效率 / 资产管理", "资产登记不全", "b.xlsx"],
    ]
    assert ws.cell(3, 4).data_type == "s"
    assert ws.print_title_rows == "$2:$2"


def test_older_summary_without_reasons_still_reports_and_says_so(tmp_path: Path, capsys):
    from openpyxl import load_workbook

    inbox = _inbox(tmp_path)
    summary = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(summary), "--no-progress"]) in (0, 1)
    wb = load_workbook(summary)
    del wb["扣分原因"]  # as written before the sheet existed
    wb.save(summary)
    folder, old = tmp_path / "文件夹.docx", tmp_path / "旧汇总.docx"
    assert main(["report", str(inbox), "-o", str(folder)]) == 0
    assert main(["report", str(summary), "-o", str(old)]) == 0
    assert _figures(old) == _figures(folder)
    text = "\n".join(p.text for p in Document(str(old)).paragraphs)
    assert "没有“扣分原因”工作表" in text and "重新运行 jixiao batch" in text


def test_single_framework_summary_names_its_framework(tmp_path: Path):
    inbox = tmp_path / "one"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx", {"A1": "单位名称：科协"})
    shaoguan_sheet(inbox / "b.xlsx", {"A1": "单位名称：教育局", "D10": 9, "E10": 90})
    summary = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(summary), "--no-progress"]) == 0
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert main(["report", str(inbox), "-o", str(a), "--no-chart"]) == 0
    assert main(["report", str(summary), "-o", str(b), "--no-chart"]) == 0
    assert _figures(a) == _figures(b)


def test_summary_with_a_sheet_removed_is_refused_in_chinese(tmp_path: Path, capsys):
    from openpyxl import load_workbook

    inbox = _inbox(tmp_path)
    summary = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(summary), "--no-progress"]) in (0, 1)  # 1: e-坏 failed
    wb = load_workbook(summary)
    del wb["指标得分率"]
    wb.save(summary)
    out = tmp_path / "r.docx"
    capsys.readouterr()
    assert main(["report", str(summary), "-o", str(out)]) in (1, 2)
    err = capsys.readouterr().err
    assert "缺少“指标得分率”工作表" in err and "Traceback" not in err
    assert not out.exists()


def test_summary_sheet_names_agree_with_the_writer():
    from jixiao.report.from_summary import LEVEL_NAMES, REASONS_SHEET, SUMMARY_SHEETS
    from jixiao.write import summary

    assert SUMMARY_SHEETS == summary.SHEETS and LEVEL_NAMES == summary.LEVEL_NAMES
    assert REASONS_SHEET == summary.REASONS_SHEET
