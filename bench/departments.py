"""Generate realistic department self-evaluation workbooks (广州 2021 layout) for benchmarks.

Each workbook has a title row, a 单位名称 row, a two-row header (绩效指标 over 一级/二级/三级),
three levels with merged 一级 and 二级 cells, 35 to 60 rows, scores typed as numbers, text,
full-width digits or with a 分 suffix, reasons written in the reason column, a 合计 row and the
grade line. Generation is deterministic for a given seed.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

SECOND_LEVEL = {
    "管理效能": ["资金管理", "采购管理", "信息公开管理", "资产管理", "成本管理", "绩效管理"],
    "履职效能": [
        "服务科技工作者",
        "服务创新驱动发展战略",
        "服务公民科学素质",
        "服务党和政府科学决策",
        "发展高等职业教育",
    ],
}
WORDS = [
    "预算",
    "执行",
    "合规",
    "制度",
    "建设",
    "公开",
    "采购",
    "资产",
    "配置",
    "处置",
    "经费",
    "控制",
    "目标",
    "监控",
    "评价",
    "服务",
    "活动",
    "推广",
    "培训",
    "调研",
]
REASONS = [
    "部分采购计划执行滞后，年中调整较多",
    "公务接待费较上年有所增加",
    "预算管理和绩效管理仍有断层，目标设置不够细化",
    "个别资产配置与使用需求不匹配",
    "二次分配项目跟进反馈不及时",
    "年中预算绩效运行监控仍有缺位",
]
UNITS = [
    "发展和改革局",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "农业农村局",
    "商务局",
    "文化广电旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "体育局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "科学技术协会",
    "档案馆",
]

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` positive integers."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def department_rows(index: int, seed: int = 0) -> tuple[list[list[object]], list[str]]:
    """The rows and merged ranges of department ``index``'s filled sheet."""
    rng = random.Random(seed * 1_000_003 + index)
    unit = f"{rng.choice(UNITS)}（第{index + 1}号单位）"
    rows: list[list[object]] = [
        [f"{unit} 2021 年部门整体支出绩效自评表", None, None, None, None, None],
        [f"单位名称：{unit}", None, None, None, None, None],
        ["绩效指标", None, None, "分值", "自评得分", "扣分原因"],
        ["一级指标", "二级指标", "三级指标", None, None, None],
    ]
    merges = ["A1:F1", "A3:C3", "D3:D4", "E3:E4", "F3:F4"]
    total = Decimal(0)
    weakness = rng.choice([0.1, 0.2, 0.4, 0.6])  # how often this department loses points
    # 11 二级 indicators with 3..5 三级 each: 33..55 indicator rows, 35..60 rows with the rest.
    for first, seconds in SECOND_LEVEL.items():
        first_top = len(rows) + 1
        for second, points2 in zip(seconds, _split(50, len(seconds), rng), strict=True):
            count = min(rng.randint(3, 5), points2) if points2 >= 3 else 1
            second_top = len(rows) + 1
            for k, points3 in enumerate(_split(points2, count, rng) if count > 1 else [points2]):
                lost = Decimal(0)
                if rng.random() < weakness:
                    lost = Decimal(rng.randint(10, points3 * 60)) / 100
                score = Decimal(points3) - lost
                total += score
                shown: object = float(score)
                if rng.random() < 0.1:
                    shown = f"{score}分"
                elif rng.random() < 0.05:
                    shown = str(score).translate(FULL_WIDTH)
                # 三级 names recur across departments (the same 二级 tends to get the same ones).
                j = len(second) * 3 + k
                name3 = f"{WORDS[j % len(WORDS)]}{WORDS[(j * 7 + 3) % len(WORDS)]}"
                reason = rng.choice(REASONS) if lost else None
                rows.append(
                    [
                        f"{first}（50分）" if len(rows) + 1 == first_top else None,
                        f"{second}（{points2}分）" if k == 0 else None,
                        name3,
                        points3,
                        shown,
                        reason,
                    ]
                )
            if len(rows) > second_top:
                merges.append(f"B{second_top}:B{len(rows)}")
        merges.append(f"A{first_top}:A{len(rows)}")
    rows.append(["加减分项", None, None, None, 0, "本年度无加减分事项"])
    merges.append(f"A{len(rows)}:C{len(rows)}")
    rows.append(["合计", None, None, 100, float(total), None])
    merges.append(f"A{len(rows)}:C{len(rows)}")
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    rows.append([f"自评等级：{grade}", None, None, None, None, None])
    return rows, merges


def write_department(path: Path, index: int, seed: int = 0) -> Path:
    """Write department ``index``'s workbook to ``path``."""
    from openpyxl import Workbook

    rows, merges = department_rows(index, seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for col, width in zip("ABCDEF", (18, 24, 22, 8, 10, 40), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(path)
    return path


def generate(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``n`` department workbooks in ``folder`` (kept when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"dept-{i:05d}.xlsx"
        if not path.exists():
            write_department(path, i, seed)
        paths.append(path)
    return paths
