"""What a real client shows: LibreOffice opens the report and the result workbook's chart."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook
from openpyxl.chart import RadarChart

from jixiao.cli import main
from tests.conftest import SHEETS, convert_with_soffice

SEED = SHEETS / "shaoguan-2023-kexie.xlsx"


def test_report_converts_to_pdf_and_reads_as_written(tmp_path, soffice):
    out = tmp_path / "report.docx"
    assert main(["report", str(SEED), "-o", str(out)]) == 0
    pdf = convert_with_soffice(soffice, out, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000  # chart inside
    text = convert_with_soffice(soffice, out, "txt:Text", tmp_path).read_text(encoding="utf-8")
    assert "本部门本次自评综合得分为 98.81 分，绩效等级为“优”。" in text
    assert "（一）履职效能情况。指标分值 46 分，自评得分 45.31 分，得分率 98.5%。" in text
    assert "（二）管理效率情况。指标分值 54 分，自评得分 53.5 分，得分率 99.07%。" in text


def test_result_workbook_has_a_native_chart_of_the_rates(tmp_path, soffice):
    out = tmp_path / "result.xlsx"
    assert main(["score", str(SEED), "-o", str(out)]) == 0
    wb = load_workbook(out)
    ws = wb["图表"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=3)]
    assert rows[0] == ["一级指标", "指标", "得分率（%）"]
    assert [(r[1], float(r[2])) for r in rows[1:]] == [
        ("整体效能", 97.0),
        ("专项效能", 100.0),
        ("预算编制", 100.0),
        ("预算执行", 100.0),
        ("信息公开", 100.0),
        ("绩效管理", 100.0),
        ("采购管理", 100.0),
        ("资产管理", 95.0),
        ("运行成本", 100.0),
    ]
    [chart] = ws._charts
    assert isinstance(chart, RadarChart)  # nine 二级指标: radar
    series = chart.series[0]
    assert series.val.numRef.f == "'图表'!$C$3:$C$11"
    categories = series.cat.numRef or series.cat.strRef
    assert categories.f == "'图表'!$B$3:$B$11"
    # LibreOffice reads the chart as a radar chart over those cells (its own file format shows
    # what it understood: an embedded chart object with its class and ranges).
    ods = convert_with_soffice(soffice, out, "ods", tmp_path)
    with zipfile.ZipFile(ods) as z:
        charts = [
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("Object") and n.endswith("content.xml")
        ]
    assert len(charts) == 1
    assert 'chart:class="chart:radar"' in charts[0]
    assert 'values-cell-range-address="图表.C3:图表.C11"' in charts[0]
    assert 'cell-range-address="图表.B3:图表.B11"' in charts[0]
