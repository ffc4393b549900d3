"""The combined 汇总 sheet of a mixed-framework batch prints as a readable list, not a strip."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS, convert_with_soffice

UNITS = ("科协", "教育局", "广州市科学技术协会")


def _mixed_summary(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shaoguan_sheet(inbox / "a.xlsx", {"A1": "单位名称：科协"})
    shaoguan_sheet(inbox / "b.xlsx", {"A1": "单位名称：教育局", "D10": 9, "E10": 90})
    shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", inbox / "c-广州.xlsx")
    shutil.copy(SHEETS / "mof-project-2020-example.xlsx", inbox / "d-项目.xlsx")
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(inbox), "-o", str(out), "--no-progress"]) == 0
    return out


def test_mixed_summary_prints_the_common_columns(tmp_path: Path):
    ws = load_workbook(_mixed_summary(tmp_path))["汇总"]
    header = [c.value for c in ws[3]]
    assert header[:8] == [
        "单位名称",
        "文件",
        "评价框架",
        "总分",
        "得分率（%）",
        "等级",
        "框架内排名",
        "警告数",
    ]
    assert all(h.endswith("（得分）") for h in header[8:]) and len(header) > 8
    assert ws.print_area == "'汇总'!$A$1:$H$7"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert ws["A1"].value == "绩效自评汇总"  # 部门整体支出 and 项目支出 together
    assert "A2:H2" in {str(r) for r in ws.merged_cells.ranges}  # the note wraps inside the page


def test_mixed_summary_renders_readably(tmp_path: Path, soffice):
    """Rendered by LibreOffice, the first page holds every unit with its total, at a size a
    person reads (the text of a 10 pt cell at least 8 pt high: fitted, not shrunk to a strip)."""
    pdf = convert_with_soffice(soffice, _mixed_summary(tmp_path), "pdf", tmp_path)
    page = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = {
        m.group(5): float(m.group(4)) - float(m.group(2))
        for m in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', page
        )
    }
    for unit in UNITS:
        assert unit in words and words[unit] >= 8, (unit, words.get(unit))
    assert {"98.81", "98.31", "93.89", "94.46", "框架内排名", "警告数"} <= set(words)
