"""Chart choice and drawing: bars below five indicators, radar from five; Excel chart too."""

from __future__ import annotations

from decimal import Decimal as D

from openpyxl import Workbook
from openpyxl.chart import BarChart

from jixiao.report.charts import RateItem, _wrap, rate_chart
from jixiao.scoring.result import NodeResult, ScoreResult
from jixiao.write.chart import add_chart_sheet, chart_kind


def _two_first_levels() -> ScoreResult:
    return ScoreResult(
        "x", "1", 2, D(100), D("98.81"), D("98.81"), "优", D("98.81"), None, False,
        (
            NodeResult(("履职效能",), D(46), D("45.31"), D("98.50")),
            NodeResult(("管理效率",), D(54), D("53.50"), D("99.07")),
        ),
    )  # fmt: skip


def test_radar_from_five_indicators():
    assert [chart_kind(n) for n in (1, 4, 5, 11)] == ["bar", "bar", "radar", "radar"]


def test_bar_chart_png_and_same_bytes_each_time():
    items = [RateItem("履职效能", D("98.50")), RateItem("管理效率", D("99.07"))]
    png = rate_chart(items, "bar")
    assert png is not None and png.startswith(b"\x89PNG")
    assert rate_chart(items, "bar") == png
    assert rate_chart([], "bar") is None


def test_long_names_wrap_on_the_radar():
    assert _wrap("资金管理") == "资金管理"
    assert _wrap("服务党和政府科学决策") == "服务党和政\n府科学决策"


def test_excel_bar_chart_for_first_levels_only():
    wb = Workbook()
    add_chart_sheet(wb, _two_first_levels())
    ws = wb["图表"]
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=3, max_col=3)] == [
        ["履职效能", "履职效能", D("98.50")],
        ["管理效率", "管理效率", D("99.07")],
    ]
    assert ws["A1"].value == "各一级指标得分率（%）"
    [chart] = ws._charts
    assert isinstance(chart, BarChart)
    assert chart.series[0].val.numRef.f == "'图表'!$C$3:$C$4"
    assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == (0, 100)
