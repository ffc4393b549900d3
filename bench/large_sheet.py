"""Measure reading and scoring a very large sheet: wall time and peak memory, per size.

Run: PYTHONPATH=src .venv/bin/python bench/large_sheet.py [ROWS ...]   (default 10000 100000)

Each size runs in a fresh process so its peak resident memory (ru_maxrss) is its own. The
sheet is generated: a 韶关-style header and ROWS 三级 rows under one 二级 indicator. The
figures are printed, never asserted (see README: 错误输入与安全限制).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from jixiao.io.workbook import load_grids
from jixiao.errors import JixiaoError
from jixiao.scoring import score_file
path = Path(sys.argv[1])
t0 = time.perf_counter()
grids = load_grids(path)
t1 = time.perf_counter()
try:
    ev = score_file(path, "shaoguan-2023")
    outcome = f"{len(ev.findings)} findings"
except JixiaoError as e:
    outcome = f"refused: {e}"
t2 = time.perf_counter()
print(json.dumps({"rows": grids[0].max_row, "read_s": round(t1 - t0, 1),
                  "score_s": round(t2 - t1, 1),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "outcome": outcome[:120]}, ensure_ascii=False))
"""


def make_sheet(path: Path, rows: int) -> None:
    """A write-only (streamed) workbook: header, then ``rows`` department-defined rows."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评分表")
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"])
    for i in range(rows):
        ws.append(["履职效能", "整体效能", f"指标{i}", 1, 1, "无"])
    wb.save(path)


def main(sizes: list[int]) -> None:
    import zipfile

    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            path = Path(folder) / f"large-{rows}.xlsx"
            make_sheet(path, rows)
            with zipfile.ZipFile(path) as zf:
                xml = sum(i.file_size for i in zf.infolist() if "worksheets" in i.filename)
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)], check=True, capture_output=True, text=True
            )
            figures = json.loads(done.stdout)
            figures |= {
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "sheet_xml_mb": round(xml / 2**20, 1),
            }
            print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
