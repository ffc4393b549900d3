"""Time ``jixiao review`` and ``verify`` on a large generated sheet (not a test; no assertions).

Run: PYTHONPATH=src python bench/review_large.py [rows-per-二级]
Builds a 韶关 sheet with N department-defined 三级 rows under each of the nine 二级 indicators,
with 自评得分 and 复核得分 columns, then times reading + matching + comparing, the workbook, and
verify.
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

SECONDS = [
    ("履职效能", "整体效能", 23),
    ("履职效能", "专项效能", 23),
    ("管理效率", "预算编制", 5),
    ("管理效率", "预算执行", 8),
    ("管理效率", "信息公开", 4),
    ("管理效率", "绩效管理", 10),
    ("管理效率", "采购管理", 10),
    ("管理效率", "资产管理", 10),
    ("管理效率", "运行成本", 7),
]


def build(path: Path, per: int) -> int:
    wb = Workbook()
    ws = wb.active
    ws.append(["大表"])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因", "复核得分", "复核意见"])
    rows = 0
    for first, second, points in SECONDS:
        # per rows whose 分值 add up exactly to the 二级 分值 (in hundredths).
        cents = int(points * 100)
        parts = [cents // per] * per
        parts[-1] += cents - sum(parts)
        for i, part in enumerate(parts):
            p = Decimal(part) / 100
            review = p if i % 7 else p / 2
            ws.append(
                [
                    first,
                    second,
                    f"指标{i + 1}",
                    float(p),
                    float(p),
                    None,
                    float(review),
                    "复核扣分" if review != p else None,
                ]
            )
            rows += 1
    wb.save(path)
    return rows


def main() -> None:
    from jixiao.reviewing.pipeline import review_sheet
    from jixiao.write.record import verify
    from jixiao.write.review import write_review

    per = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "big.xlsx"
        rows = build(sheet, per)
        t0 = time.perf_counter()
        review = review_sheet(sheet)
        t1 = time.perf_counter()
        out = Path(tmp) / "out.xlsx"
        write_review(review, out)
        t2 = time.perf_counter()
        verdict = verify(out, [sheet])
        t3 = time.perf_counter()
    c = review.comparison
    assert c is not None and c.final_result is not None
    print(
        f"{rows} 三级 rows: review {t1 - t0:.2f}s, workbook {t2 - t1:.2f}s, verify {t3 - t2:.2f}s; "
        f"self {c.self_result.total}, final {c.final_result.total}, verified {verdict.ok}"
    )


if __name__ == "__main__":
    main()
