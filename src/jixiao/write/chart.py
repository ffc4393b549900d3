"""A native Excel chart of 得分率 by indicator for the result workbook (``jixiao score -o``).

The chart reads a small table on its own sheet (图表), so Excel, WPS and LibreOffice redraw it
from the cells; bars, or a radar chart when there are five or more 二级指标, as in the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.scoring.result import NodeResult, ScoreResult
from jixiao.write import xlsx
from jixiao.write.chart_kind import RADAR_FROM, ChartKind, chart_kind

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

SHEET = "图表"
__all__ = ["RADAR_FROM", "SHEET", "ChartKind", "add_chart_sheet", "chart_kind", "chart_nodes"]


def chart_nodes(result: ScoreResult) -> tuple[list[NodeResult], bool]:
    """The indicators charted: every 二级 (or the 一级 when there are none); True if 二级."""
    seconds = [n for f in result.indicators if not f.is_bonus for n in f.children]
    nodes = seconds or [f for f in result.indicators if not f.is_bonus]
    return [n for n in nodes if n.rate is not None], bool(seconds)


def add_chart_sheet(wb: Workbook, result: ScoreResult) -> None:
    """Add the 图表 sheet: 一级指标 | 指标 | 得分率（%） and a chart drawn from those cells."""
    from openpyxl.chart import BarChart, RadarChart, Reference
    from openpyxl.chart.label import DataLabelList

    nodes, second_level = chart_nodes(result)
    ws = wb.create_sheet(SHEET)
    title = "各二级指标得分率（%）" if second_level else "各一级指标得分率（%）"
    xlsx.title_row(ws, 1, title, 3)
    xlsx.header_row(ws, 2, ["一级指标", "指标", "得分率（%）"])
    for row, node in enumerate(nodes, start=3):
        xlsx.text(ws, row, 1, node.path[0], align="center")
        xlsx.text(ws, row, 2, node.name)
        xlsx.number(ws, row, 3, node.rate)
    xlsx.widths(ws, [14, 20, 12])
    xlsx.print_setup(ws, "2:2", landscape=True)
    if not nodes:
        return
    last = 2 + len(nodes)
    data = Reference(ws, min_col=3, min_row=2, max_row=last)
    labels = Reference(ws, min_col=2, min_row=3, max_row=last)
    chart: BarChart | RadarChart
    if chart_kind(len(nodes)) == "radar":
        chart = RadarChart()
        chart.type = "marker"
    else:
        chart = BarChart()
        chart.type = "col"
        chart.y_axis.title = "得分率（%）"
        chart.gapWidth = 80
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.title = title
    chart.legend = None
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    # openpyxl 3.1 marks axes as deleted by default; Excel then hides them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0"
    series = chart.series[0]
    if isinstance(chart, RadarChart):
        # No value labels on a radar: they collide with the axis names; the table has them.
        series.marker.symbol = "circle"
        series.marker.size = 6
    else:
        series.dLbls = DataLabelList()
        series.dLbls.showVal = True
        for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
            setattr(series.dLbls, flag, False)
    chart.width, chart.height = 17, 11  # cm
    ws.add_chart(chart, "E2")
