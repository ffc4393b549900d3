"""``make bench``: every row of issue 15's table, each as a ratio against a baseline timed in the same run.

Every measurement is a fresh interpreter (``python -m jixiao ...``), so start-up is counted the way
a user pays it; wall times are medians of ``--runs`` runs, peak memory is the largest resident set
(``wait4``; for ``--jobs 2`` the largest process and the sum over the process tree). The data is
generated into ``bench/data/`` (git-ignored) and kept between runs; nothing is asserted.

    python bench/suite.py [--runs 3] [--n 300] [--big 100000] [--src path/to/src]

``--src`` runs the commands against another source tree (e.g. an unpacked ``git archive`` of an
older commit) so a before/after comparison uses the same data and machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from authoring_large import build as build_table  # noqa: E402
from bench_batch import _tree_rss_kb  # noqa: E402
from bench_batch import generate as departments  # noqa: E402
from review_large import SECONDS as SHAOGUAN  # noqa: E402
from table_finding import junk_csv, stage_command  # noqa: E402

DEMO = ROOT / "sheets" / "shaoguan-2023-kexie.xlsx"

# The floor: a fresh interpreter that reads every cell of every file with python-calamine.
CALAMINE = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
cells = 0
args = [Path(a) for a in sys.argv[1:]]
files = sorted(p for a in args for p in (a.glob("*.xlsx") if a.is_dir() else [a]))
for p in files:
    wb = CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            cells += len(row)
    wb.close()
print(cells)
"""


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float  # the largest single process
    tree_mb: float  # the largest sum over the process tree (sampled)


def _hwm_kb(pid: int) -> int:
    """A process's own peak resident set (VmHWM, reset at exec; ru_maxrss can carry the
    parent's from before the exec)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("VmHWM:")), 0)
    except (FileNotFoundError, ProcessLookupError):
        return 0


class Bench:
    def __init__(self, src: Path, runs: int):
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = str(src) + os.pathsep + self.env.get("PYTHONPATH", "")
        self.env.setdefault("COLUMNS", "200")
        self.runs = runs

    def once(self, cmd: list[str], ok: tuple[int, ...] = (0,)) -> Run:
        # stderr to a file, not a pipe: a command that warns more than a pipe holds (frameworks
        # import of 2,000 rows writes 700 KB) would block on it while this loop only polls.
        with tempfile.TemporaryFile() as err_file:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.DEVNULL, stderr=err_file)
            tree = hwm = 0
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                tree = max(tree, _tree_rss_kb(proc.pid))
                hwm = max(hwm, _hwm_kb(proc.pid))
                time.sleep(0.005)
            wall = time.perf_counter() - start
            err_file.seek(0)
            err = err_file.read().decode(errors="replace")
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            raise SystemExit(f"{' '.join(cmd)} exited {code}:\n{err[-2000:]}")
        peak = hwm or usage.ru_maxrss  # a run too short to sample: wait4's figure
        return Run(wall, usage.ru_utime + usage.ru_stime, peak / 1024, max(tree, peak) / 1024)

    def median(self, cmd: list[str], runs: int | None = None, ok: tuple[int, ...] = (0,)) -> Run:
        results = [self.once(cmd, ok) for _ in range(runs or self.runs)]
        return Run(
            statistics.median(r.wall for r in results),
            statistics.median(r.cpu for r in results),
            max(r.peak_mb for r in results),
            max(r.tree_mb for r in results),
        )


def long_sheet(data: Path, rows: int) -> Path:
    """A 韶关 sheet that scores cleanly: ``rows`` department-defined 三级 rows (10⁴ or 10⁵) under
    the nine 二级, each worth 100/rows, full marks but for one row per 二级 with a reason."""
    from decimal import Decimal

    from openpyxl import Workbook

    path = data / f"long-{rows}.xlsx"
    if path.exists():
        return path
    leaf = Decimal(100) / rows
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评分表")
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"])
    n = 0
    for first, second, points in SHAOGUAN:
        count = int(points / leaf)
        for i in range(count):
            lost = i == 0
            score = leaf / 2 if lost else leaf
            ws.append(
                [first, second, f"{second}指标{i}", str(leaf), str(score), "部分未完成" if lost else None]
            )
            n += 1
    wb.save(path)
    return path


def notes_sheet(data: Path, rows: int) -> Path:
    """Issue 14's sheet of notes: the 韶关 table, then ``rows`` rows whose names the framework
    lacks, each with 分值 and 得分 (so each is an unknown indicator, an error: the sheet is not scored)."""
    from openpyxl import Workbook

    path = data / f"notes-{rows}.xlsx"
    if path.exists():
        return path
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评分表")
    ws.append(["一级指标", "二级指标", "分值", "自评得分"])
    for first, second, points in SHAOGUAN:
        ws.append([first, second, points, points])
    for i in range(rows):
        ws.append([f"说明第{i}条：本单位严格执行预算管理制度", None, 1, 1])
    wb.save(path)
    return path


def authoring_table(data: Path, firsts: int) -> Path:
    path = data / f"table-{firsts}.xlsx"
    if not path.exists():
        build_table(path, firsts)
    return path


ROWS: list[str] = []


def row(what: str, run: Run, base: Run, base_name: str, target: str) -> None:
    line = (
        f"| {what} | {run.wall:.2f} s | {run.cpu:.2f} s | {run.peak_mb:.0f} MB "
        f"| {base_name} {base.wall:.3f} s (CPU {base.cpu:.3f} s) "
        f"| **{run.wall / base.wall:.1f}×** | {run.cpu / max(base.cpu, 1e-3):.1f}× | {target} |"
    )
    ROWS.append(line)
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--n", type=int, default=300, help="department sheets in the batch")
    parser.add_argument("--big", type=int, default=100_000, help="rows of the long sheet (0: skip)")
    parser.add_argument("--big-json-only", action="store_true", help="long sheet: score --json only")
    parser.add_argument("--junk", type=int, default=150_000, help="junk CSV rows for table finding (0: skip)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="generated files (git-ignored)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="source tree to measure")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    b = Bench(args.src.resolve(), args.runs)
    py = sys.executable
    jx = [py, "-m", "jixiao"]
    calamine = [py, "-c", CALAMINE]

    print(
        f"jixiao bench — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}, median of {args.runs}, src {args.src}"
    )
    print()
    print("| what | jixiao wall | CPU | peak | baseline (same run) | ratio wall | ratio CPU | target |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        floor = b.median([*calamine, str(DEMO)], max(args.runs, 5))
        score = b.median([*jx, "score", str(DEMO), "--json"], max(args.runs, 5))
        row("`score --json` demo sheet", score, floor, "calamine read", "≤ 10×")

        folder = departments(args.data / f"n{args.n}", args.n)
        floor = b.median([*calamine, str(folder)])
        batch = [*jx, "batch", str(folder), "-o", str(out / "summary.xlsx"), "--force", "--no-progress"]
        serial = b.median(batch)
        row(f"`batch` {args.n} sheets, serial", serial, floor, "calamine every cell", "≤ 5×")
        jobs2 = b.median([*batch, "--jobs", "2"])
        row(f"`batch` {args.n} sheets, `--jobs 2`", jobs2, floor, "calamine every cell", "scales")
        print(
            f"|   per file: serial {serial.wall / args.n * 1000:.1f} ms, "
            f"floor {floor.wall / args.n * 1000:.2f} ms; "
            f"`--jobs 2`/serial {jobs2.wall / serial.wall:.2f}, tree {jobs2.tree_mb:.0f} MB | | | | | | | |"
        )

        ten = long_sheet(args.data, 10_000)
        fw = ["-f", "shaoguan-2023"]  # department-defined rows under 整体效能: no detection
        floor = b.median([*calamine, str(ten)])
        run = b.median([*jx, "score", str(ten), "--json", *fw])
        row("10,000 rows `score --json`", run, floor, "calamine read", "≤ 6×, ≤ 70 MB")

        if args.big:
            big = long_sheet(args.data, args.big)
            floor = b.median([*calamine, str(big)], 1)
            run = b.median([*jx, "score", str(big), "--json", *fw], 1)
            row(f"{args.big:,} rows `score --json`", run, floor, "calamine read", "≤ 8 s, ≤ 300 MB")
            if not args.big_json_only:  # the terminal and -o runs take minutes
                run = b.median([*jx, "score", str(big), *fw], 1)
                row(f"{args.big:,} rows `score` (terminal, piped)", run, floor, "calamine read", "≤ 10 s")
                run = b.median([*jx, "score", str(big), *fw, "-o", str(out / "big.xlsx"), "--force"], 1)
                row(f"{args.big:,} rows `score -o`", run, floor, "calamine read", "≤ 40 s")

            notes = notes_sheet(args.data, args.big)
            floor = b.median([*calamine, str(notes)], 1)
            run = b.median([*jx, "score", str(notes), "--json", *fw], 1, ok=(1,))
            row(f"{args.big:,} unknown labels `score --json`", run, floor, "calamine read", "seconds")
            run = b.median([*jx, "score", str(notes), *fw], 1, ok=(1,))
            row(f"{args.big:,} unknown labels `score` (terminal)", run, floor, "calamine read", "seconds")

        if args.junk:
            junk = junk_csv(args.data, args.junk)
            floor = b.median(stage_command("read", junk), 1)
            run = b.median(stage_command("table", junk), 1)
            row(f"{args.junk:,} junk CSV rows: read + table finding", run, floor, "CSV read", "linear")

        docx = b.median([*jx, "report", str(DEMO), "-o", str(out / "r.docx"), "--force"])
        row("`report -o .docx` (chart) demo", docx, score, "`score --json`", "≤ 2×")

        table = authoring_table(args.data, 100)  # 100 一级 × 5 × 4: 2,000 rows, 2,600 indicators
        floor = b.median([*calamine, str(table)])
        yaml_out = out / "big.yaml"
        imp = b.median(
            [
                *jx,
                "frameworks",
                "import",
                str(table),
                "-o",
                str(yaml_out),
                "--force",
                "--id",
                "big",
                "--region",
                "某市",
                "--year",
                "2024",
                "--kind",
                "部门整体支出",
            ]
        )
        row("`frameworks import` 2,000 rows", imp, floor, "calamine read", "≤ 0.7 s")
        exp = b.median([*jx, "frameworks", "export", str(yaml_out), "-o", str(out / "t.xlsx"), "--force"])
        row("`frameworks export` 2,600 indicators", exp, floor, "calamine read", "≤ 2 s")


if __name__ == "__main__":
    main()
