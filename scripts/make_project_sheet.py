"""Write sheets/mof-project-2020-example.xlsx: a 项目支出绩效自评表 laid out like the official form.

Run: .venv/bin/python scripts/make_project_sheet.py
The project, its 三级 indicators and every figure are illustrative (invented): they show each
way the form is scored — the funds block (执行率 × 10), proportional indicators (capped at the
full 分值, a "≤" target scored in reverse, 万 units), a qualitative indicator in its band, and a
shortfall without 偏差原因 that jixiao flags. Expected result: total 94.46, 等级 优.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from jixiao.write.project_template import HEADER

OUT = Path(__file__).resolve().parents[1] / "sheets"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
INDICATORS = [
    ("产出指标", "数量指标", "举办科普活动场次", "≥120场", "126场", 10, 10, None),
    (
        "产出指标",
        "数量指标",
        "科普活动受众人数",
        "≥1.5万人次",
        "1.28万人次",
        10,
        8.53,
        "受场馆改造影响，下半年线下活动减少；下年度增加线上活动",
    ),
    ("产出指标", "质量指标", "活动验收合格率", "100%", "100%", 10, 10, None),
    ("产出指标", "时效指标", "项目按期完成率", "≥95%", "96.5%", 10, 10, None),
    ("产出指标", "成本指标", "人均活动成本", "≤150元", "160元", 10, 9.38, None),
    ("效益指标", "社会效益指标", "公民具备科学素质比例", "≥14%", "14.6%", 10, 10, None),
    (
        "效益指标",
        "社会效益指标",
        "科普宣传覆盖面",
        "显著提升",
        "部分达成",
        10,
        7,
        "线上传播渠道拓展不足，下年度加强新媒体宣传",
    ),
    ("效益指标", "可持续影响指标", "科普阵地长效运行机制", "建立", "建立", 10, 10, None),
    ("满意度指标", "服务对象满意度指标", "参与群众满意度", "≥90%", "93.2%", 10, 10, None),
]


def _merge_runs(ws, col: int, first: int, values: list[str]) -> None:
    """Merge each run of equal values in a column (the official form merges 一级/二级 cells)."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1:
                ws.merge_cells(
                    start_row=first + start, start_column=col, end_row=first + i - 1, end_column=col
                )
            start = i


def project_sheet() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    ws.append(["项目支出绩效自评表"])
    ws.append(["（2023年度）"])
    ws.append(["项目名称", "全民科学素质提升行动（示例，数据为虚构）"])
    ws.append(["主管部门", "某市科学技术协会", None, None, None, "实施单位", "某市科技馆"])
    ws.append(
        [
            "项目资金（万元）",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ]
    )
    ws.append([None, "年度资金总额", 200, 180, 171.9, 10, 0.955, 9.55])
    ws.append([None, "其中：当年财政拨款", 180, 160, 153.5, "—", "—", "—"])
    ws.append([None, "上年结转资金", 20, 20, 18.4, "—", "—", "—"])
    ws.append([None, "其他资金", 0, 0, 0, "—", "—", "—"])
    ws.append(["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    ws.append(
        [
            None,
            "全年举办科普活动不少于 120 场，受众 1.5 万人次以上，公民具备科学素质比例达到 14%。",
            None,
            None,
            None,
            "举办科普活动 126 场，受众 1.28 万人次，公民具备科学素质比例 14.6%。",
        ]
    )
    header = 12
    ws.append(list(HEADER))  # the official form's indicator header, as the template writes it
    for row in INDICATORS:
        ws.append([None, *row])
    last = header + len(INDICATORS)
    ws.append(["总分", None, None, None, None, None, 100, 94.46, None])
    total = last + 1
    ws.append([])
    ws.append(["填表人：张三", None, None, None, "联系电话：（示例）"])

    ws.merge_cells("A1:I1")
    ws.merge_cells("A2:I2")
    ws.merge_cells("B3:I3")
    ws.merge_cells("B4:E4")
    ws.merge_cells("G4:I4")
    ws.merge_cells("A5:A9")
    ws.merge_cells("A10:A11")
    ws.merge_cells("B10:E10")
    ws.merge_cells("F10:I10")
    ws.merge_cells("B11:E11")
    ws.merge_cells("F11:I11")
    ws.merge_cells(f"A{header}:A{last}")
    ws.merge_cells(f"A{total}:F{total}")
    _merge_runs(ws, 2, header + 1, [r[0] for r in INDICATORS])
    _merge_runs(ws, 3, header + 1, [f"{r[0]}/{r[1]}" for r in INDICATORS])
    ws["G6"].number_format = "0.00%"

    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = ws["A2"].alignment = Alignment(horizontal="center")
    for row in ws.iter_rows(min_row=3, max_row=total, max_col=9):
        for cell in row:
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for col, width in zip("ABCDEFGHI", (10, 18, 18, 22, 14, 14, 8, 8, 36), strict=True):
        ws.column_dimensions[col].width = width
    ws.row_dimensions[11].height = 48
    for r in range(header + 1, last + 1):
        if ws.cell(r, 9).value:
            ws.row_dimensions[r].height = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path = OUT / "mof-project-2020-example.xlsx"
    wb.save(path)
    return path


if __name__ == "__main__":
    print(project_sheet())
