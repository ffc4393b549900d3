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
