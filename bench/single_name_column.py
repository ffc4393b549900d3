"""Placing rows by name (one 指标名称 column) must stay linear in the number of rows.

Before the name index, 500 rows took 1.0 s and 4,000 rows 42 s (quadratic). This prints, for
each size, the time to score a single-column sheet and, as the baseline measured in the same
run, a sheet with the same rows in 一级/二级/三级 columns; the ratio should stay flat as rows grow.

Run: PYTHONPATH=src .venv/bin/python bench/single_name_column.py [ROWS ...]   (default 500 4000)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def make_sheet(path: Path, rows: int, *, single: bool) -> None:
    """``rows`` department-defined 三级 rows under 履职效能 / 整体效能 (韶关 2023 framework)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评分表")
    if single:
        ws.append(["指标名称", "分值", "自评得分"])
        ws.append(["履职效能", 46, None])
        ws.append(["整体效能", 23, None])
        for i in range(rows):
            ws.append([f"指标{i}", 1, 1])
    else:
        ws.append(["一级指标", "二级指标", "三级指标", "分值", "自评得分"])
        for i in range(rows):
            ws.append(["履职效能", "整体效能", f"指标{i}", 1, 1])
    wb.save(path)


def timed(path: Path) -> float:
    from jixiao.scoring.pipeline import score_file

    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        score_file(path, "shaoguan-2023")
        best = min(best, time.perf_counter() - t0)
    return best


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            single, columns = Path(folder) / f"single-{rows}.xlsx", Path(folder) / f"columns-{rows}.xlsx"
            make_sheet(single, rows, single=True)
            make_sheet(columns, rows, single=False)
            s, c = timed(single), timed(columns)
            print(
                json.dumps(
                    {
                        "rows": rows,
                        "single_column_s": round(s, 3),
                        "level_columns_s": round(c, 3),
                        "ratio": round(s / c, 2),
                    },
                    ensure_ascii=False,
                )
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 4000])
