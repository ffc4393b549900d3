"""A blank form shows （未填完）, never 差 and 0.00, and raises no warning before it is filled."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from jixiao.framework.load import load_framework
from jixiao.write.template import write_template
from tests.conftest import convert_with_soffice


def test_blank_project_form_is_not_graded(tmp_path: Path, soffice):
    blank = tmp_path / "blank.xlsx"
    write_template(load_framework("mof-project-2020").framework, blank)
    (tmp_path / "lo").mkdir()
    ws = load_workbook(convert_with_soffice(soffice, blank, "xlsx", tmp_path / "lo"), data_only=True)[
        "项目支出绩效自评表"
    ]
    total_row = next(r for r in range(13, ws.max_row + 1) if ws.cell(r, 1).value == "总分")
    assert ws.cell(total_row, 8).value in (None, "")
    assert ws.cell(total_row + 1, 1).value == "等级：（未填完）"


def test_blank_guangzhou_form_raises_no_alarm(tmp_path: Path):
    """The red 分值 alarm waits until every department-defined 分值 below is typed."""
    blank = tmp_path / "gz.xlsx"
    write_template(load_framework("guangzhou-2021").framework, blank)
    ws = load_workbook(blank)["自评表"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert rules and all(r.formula[0].startswith("AND(") and "COUNT(" in r.formula[0] for r in rules)
    # What LibreOffice makes of each rule on the blank form: test_template_rows_inserted.py.
