"""Measure reading and scoring a very large sheet: wall time and peak memory, per size.

Reading (``load_grids``) and scoring (``score_file``: read, find the table, match,
calculate) each run in a fresh process, so each peak is its own.

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
from jixiao.errors import JixiaoError
path, step = Path(sys.argv[1]), sys.argv[2]
t0 = time.perf_counter()
try:
    if step == "read":
        from jixiao.read.dispatch import load_grids
        outcome = f"{load_grids(path)[0].max_row} rows"
    else:
        from jixiao.scoring.pipeline import score_file
        outcome = f"{len(score_file(path, 'shaoguan-2023').findings)} findings"
except JixiaoError as e:
    outcome = f"refused: {e}"
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({step + "_s": round(time.perf_counter() - t0, 1),
                  step + "_peak_rss_mb": rss, step: outcome[:100]}, ensure_ascii=False))
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
            figures: dict[str, object] = {"rows": rows}
            for step in ("read", "score"):
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), step],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                figures |= json.loads(done.stdout)
            figures |= {
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "sheet_xml_mb": round(xml / 2**20, 1),
            }
            print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
