"""Benchmark: score a large generated 项目支出绩效自评表 whose every 三级 row is rule-scored.

Run: PYTHONPATH=src .venv/bin/python bench/bench_project_rules.py [ROWS]
Writes the sheet to a temporary folder, scores it three times and prints the best time.
Nothing here is asserted; tests never measure speed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

SECONDS = [
    ("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"], 50),
    ("效益指标", ["社会效益指标", "可持续影响指标"], 30),
    ("满意度指标", ["服务对象满意度指标"], 10),
]


def make(path: Path, per_first: int) -> int:
    wb = Workbook()
    ws = wb.active
    ws.append(["项目支出绩效自评表"])
    ws.append(["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append([None, "年度资金总额", 200, 180, 171.9, 10, None, None])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"])
    rows = 0
    for first, seconds, weight in SECONDS:
        points = Decimal(weight) / per_first
        for i in range(per_first):
            second = seconds[i % len(seconds)]
            if i % 3 == 2:
                target, actual = "显著提升", "达成"
                score = points
            else:
                target, actual = f"≥{100 + i % 7}%", f"{95 + i % 11}.5%"
                score = None
            ws.append([first, second, f"指标{first}{i}", target, actual, points, score, "说明"])
            rows += 1
    wb.save(path)
    return rows


def main() -> None:
    from jixiao.scoring.pipeline import score_file

    per_first = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large-project.xlsx"
        rows = make(path, per_first)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            ev = score_file(path, "mof-project-2020")
            best = min(best, time.perf_counter() - start)
        assert ev.result is not None, [f.message for f in ev.findings[:5]]
        print(f"{rows} 三级 rows scored by rules: best of 3 = {best:.3f} s, total {ev.result.total}")


if __name__ == "__main__":
    main()
