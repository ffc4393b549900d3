"""Time ``frameworks import`` / ``export`` / ``diff`` on a large generated table (no assertions).

Run: PYTHONPATH=src python bench/authoring_large.py [一级-count]
Builds a 指标体系表 with N 一级 × 5 二级 × 4 三级 indicators adding up to 100 (分值 in
labels and in the column, merged level cells, 评分标准 text),
then times import, YAML writing, export and diff in this process.

``--cli [--runs 5] [--compare OTHER/src]``: instead, ``jixiao frameworks import`` of the
2,000-row table and ``export`` of its 2,600 indicators in fresh processes, with CPU and peak
memory, beside the calamine read of the table measured in the same run (the rows of
``make bench``); ``--compare`` measures another source tree (e.g. the main checkout) in the
same run too.
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from jixiao.authoring import build_table, diff_frameworks, dump_framework, import_table
from jixiao.authoring.importer import ImportOptions


def build(path: Path, firsts: int) -> int:
    leaf = Decimal(5) / firsts  # the whole table adds up to 100; use 5, 25, 50, 100 一级
    second_points, first_points = leaf * 4, leaf * 20
    wb = Workbook()
    ws = wb.active
    ws.append(["大表 2024 年部门整体支出绩效评价指标体系"])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准"])
    row = 3
    for i in range(firsts):
        top = row
        for j in range(5):
            second = row
            for k in range(4):
                ws.append(
                    [
                        f"一级{i}（{first_points}分）",
                        f"二级{i}-{j}（{second_points}分）",
                        f"三级{i}-{j}-{k}",
                        str(leaf),
                        "每超过一个百分点扣0.5分，扣完为止",
                    ]
                )
                row += 1
            ws.merge_cells(start_row=second, start_column=2, end_row=row - 1, end_column=2)
        ws.merge_cells(start_row=top, start_column=1, end_row=row - 1, end_column=1)
    wb.save(path)
    return row - 3


def cli(argv: list[str]) -> None:
    """Fresh-process ``frameworks import`` / ``export``, as ``bench/suite.py`` measures them."""
    import argparse
    import os
    import subprocess

    from suite import CALAMINE, ROOT, Bench, Run, row

    class FileBench(Bench):
        """``Bench`` with stderr to a file: an import printing 2,000 warnings (the code before
        they were grouped) fills a 64 KB pipe that is read only at exit, and hangs."""

        def once(self, cmd: list[str], ok: tuple[int, ...] = (0,)) -> Run:
            with tempfile.TemporaryFile() as err:
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.DEVNULL, stderr=err)
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - start
                code = os.waitstatus_to_exitcode(status)
                if code not in ok:
                    err.seek(0)
                    raise SystemExit(f"{' '.join(cmd)} exited {code}:\n{err.read().decode()[-2000:]}")
            return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, usage.ru_maxrss / 1024)

    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "table-100.xlsx"
        build(table, 100)
        base = FileBench(ROOT / "src", args.runs)
        floor = base.median([py, "-c", CALAMINE, str(table)])
        for src in [ROOT / "src", *args.compare]:
            b = FileBench(src.resolve(), args.runs)
            yaml_out = Path(tmp) / "big.yaml"
            jx = [py, "-m", "jixiao", "frameworks"]
            options = ["--id", "big", "--region", "某市", "--year", "2024", "--kind", "部门整体支出"]
            imp = b.median([*jx, "import", str(table), "-o", str(yaml_out), "--force", *options])
            row(f"`frameworks import` 2,000 rows ({src})", imp, floor, "calamine read", "≤ 0.7 s")
            exp = b.median([*jx, "export", str(yaml_out), "-o", str(Path(tmp) / "t.xlsx"), "--force"])
            row(f"`frameworks export` 2,600 indicators ({src})", exp, floor, "calamine read", "≤ 2 s")


def main() -> None:
    if "--cli" in sys.argv:
        cli(sys.argv[1:])
        return
    firsts = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "big.xlsx"
        rows = build(table, firsts)
        options = ImportOptions(region="某市", year=2024, kind="部门整体支出")
        t0 = time.perf_counter()
        result = import_table(table, options)
        t1 = time.perf_counter()
        assert result.framework is not None, result.findings[:3]
        text = dump_framework(result.framework)
        t2 = time.perf_counter()
        build_table(result.framework).save(Path(tmp) / "out.xlsx")
        t3 = time.perf_counter()
        changes = diff_frameworks(result.framework, result.framework)
        t4 = time.perf_counter()
        print(
            f"{rows} rows, {sum(1 for _ in result.framework.walk())} indicators "
            f"(total {result.framework.total_points}); YAML {len(text)} chars"
        )
        print(
            f"import {t1 - t0:.2f}s  yaml {t2 - t1:.2f}s  export {t3 - t2:.2f}s  "
            f"diff {t4 - t3:.3f}s ({len(changes)} changes)"
        )


if __name__ == "__main__":
    main()
