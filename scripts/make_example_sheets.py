"""Write the example sheets in sheets/ the way departments lay them out by hand.

Run: .venv/bin/python scripts/make_example_sheets.py
The 韶关 sheet reproduces the summary table of the published report verbatim (including its
合计 rate slip); the 广州 sheet is illustrative: its 三级 names and 分值 are invented so that
the published totals (管理效能 43.89, 履职效能 50, 加减分 0, 93.89) come out.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

OUT = Path(__file__).resolve().parents[1] / "sheets"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _style_table(ws, first_row: int, last_row: int, last_col: int) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=last_col):
        for cell in row:
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)


def shaoguan() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "部门整体自评情况总表"
    ws.append(["韶关市科协 2023 年部门整体支出绩效自评情况总表"])
    ws.merge_cells("A1:E1")
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["单位名称：韶关市科学技术协会"])
    ws.append(["一级指标", "二级指标", "分值", "自评得分", "得分率（%）"])
    ws.append(["合计", None, 100, 98.81, 100])  # the report prints 100 here: a slip to catch
    ws.append(["履职效能", "整体效能", 23, 22.31, 97])
    ws.append([None, "专项效能", 23, "23", 100])
    ws.append(["管理效率", "预算编制", 5, 5, 100])
    ws.append([None, "预算执行", 8, 8, 100])
    ws.append([None, "信息公开", 4, "４", 100])
    ws.append([None, "绩效管理", 10, 10, 100])
    ws.append([None, "采购管理", 10, 10, 100])
    ws.append([None, "资产管理", 10, "9.5分", 95])
    ws.append([None, "运行成本", 7, 7, 100])
    ws.merge_cells("A5:A6")
    ws.merge_cells("A7:A13")
    ws.append([])
    ws.append(["绩效等级：优"])
    _style_table(ws, 3, 13, 5)
    for col, width in zip("ABCDE", (14, 14, 8, 10, 12), strict=True):
        ws.column_dimensions[col].width = width
    path = OUT / "shaoguan-2023-kexie.xlsx"
    wb.save(path)
    return path


GUANGZHOU = [
    (
        "管理效能",
        50,
        [
            (
                "资金管理",
                12,
                [
                    ("预算执行率", 4, "３．４５", "财政拨款预算完成率 98.62%，未达 100%"),
                    ("资金使用合规性", 4, 4, None),
                    ("财务管理制度健全性", 4, 4, None),
                ],
            ),
            (
                "采购管理",
                6,
                [
                    ("政府采购执行率", 2, 1.5, "部分采购计划执行滞后"),
                    ("采购程序合规性", 2, 2, None),
                    ("采购信息公开", 2, 2, None),
                ],
            ),
            (
                "信息公开管理",
                6,
                [("预决算公开", 2, 2, None), ("绩效信息公开", 2, 2, None), ("政务信息公开", 2, 2, None)],
            ),
            (
                "资产管理",
                8,
                [
                    ("资产管理制度", 3, 3, None),
                    ("资产配置合理性", 3, "2.5分", "个别资产配置与使用需求不匹配"),
                    ("资产处置规范性", 2, 2, None),
                ],
            ),
            (
                "成本管理",
                8,
                [
                    ("三公经费控制率", 3, 1.66, "公务接待费较上年有所增加"),
                    ("日常公用经费控制", 3, 2.5, "日常公用经费略超预算"),
                    ("人员经费控制", 2, 2, None),
                ],
            ),
            (
                "绩效管理",
                10,
                [
                    ("绩效目标编制", 4, 3.2, "预算管理和绩效管理仍有断层"),
                    ("绩效监控", 3, 2.5, "年中预算绩效运行监控仍有缺位"),
                    ("评价结果应用", 3, 1.58, "二次分配项目跟进反馈不及时"),
                ],
            ),
        ],
    ),
    (
        "履职效能",
        50,
        [
            (
                "服务科技工作者",
                10,
                [
                    ("学术交流活动场次", 3, 3, None),
                    ("科技人才举荐", 3, 3, None),
                    ("科技工作者之家建设", 2, 2, None),
                    ("宣传推文发布", 2, 2, None),
                ],
            ),
            (
                "服务创新驱动发展战略",
                12,
                [
                    ("科创中国试点建设", 3, 3, None),
                    ("院士专家工作站建设", 3, 3, None),
                    ("技术成果转化交易", 3, 3, None),
                    ("创交会举办", 3, 3, None),
                ],
            ),
            (
                "服务公民科学素质",
                12,
                [
                    ("科普e站建设", 4, 4, None),
                    ("科普活动场次", 4, 4, None),
                    ("科普服务对象满意度", 4, 4, None),
                ],
            ),
            (
                "服务党和政府科学决策",
                6,
                [
                    ("决策咨询项目", 2, 2, None),
                    ("调研报告数量", 2, 2, None),
                    ("乡村振兴科技服务", 2, 2, None),
                ],
            ),
            (
                "发展高等职业教育",
                10,
                [("在校生规模", 4, 4, None), ("专业群建设", 3, 3, None), ("课题与知识产权", 3, 3, None)],
            ),
        ],
    ),
]


def guangzhou() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["广州市科学技术协会 2021 年部门整体支出绩效自评表（示例：三级指标及分值为虚构）"])
    ws.merge_cells("A1:F1")
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["单位名称：广州市科学技术协会"])
    ws.append(["绩效指标", None, None, "分值", "自评得分", "扣分原因"])
    ws.append(["一级指标", "二级指标", "三级指标", None, None, None])
    for rng in ("A3:C3", "D3:D4", "E3:E4", "F3:F4"):
        ws.merge_cells(rng)
    row = 5
    for first, first_points, seconds in GUANGZHOU:
        first_top = row
        for second, second_points, thirds in seconds:
            second_top = row
            for third, points, score, reason in thirds:
                ws.append(
                    [
                        f"{first}（{first_points}分）",
                        f"{second}（{second_points}分）",
                        third,
                        points,
                        score,
                        reason,
                    ]
                )
                row += 1
            ws.merge_cells(start_row=second_top, start_column=2, end_row=row - 1, end_column=2)
        ws.merge_cells(start_row=first_top, start_column=1, end_row=row - 1, end_column=1)
    ws.append(["加减分项", None, None, None, 0, "本年度无加减分事项"])
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    row += 1
    ws.append(["合计", None, None, 100, 93.89, None])
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    _style_table(ws, 3, row, 6)
    ws.append([])
    ws.append(["自评等级：优"])
    for col, width in zip("ABCDEF", (16, 22, 20, 8, 10, 32), strict=True):
        ws.column_dimensions[col].width = width
    path = OUT / "guangzhou-2021-illustrative.xlsx"
    wb.save(path)
    return path


if __name__ == "__main__":
    for made in (shaoguan(), guangzhou()):
        print(made)
