"""Benchmark ``jixiao batch`` against the I/O floor, and ``jixiao score`` against openpyxl.

Generates N realistic department workbooks (bench/departments.py) into bench/data/ (git-ignored)
and measures, on the same files, each in a fresh interpreter:

- floor: python-calamine reading every cell of every file, nothing else;
- ``jixiao batch`` serial and ``--jobs 2``, end to end (summary workbook written);
- peak memory: the largest resident set of the batch process or any of its workers
  (``wait4``), and the largest sum over the process tree (sampled from /proc);
- ``jixiao score --json`` on one sheet vs a bare ``openpyxl.load_workbook`` of it;
- whether ``jixiao score`` imports pandas (``python -X importtime``).

Wall times are medians of ``--runs`` runs. Usage:

    python bench/bench_batch.py --n 250 1000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from departments import write_department  # noqa: E402

FLOOR = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
cells = 0
for p in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    wb = CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            cells += len(row)
    wb.close()
print(cells)
"""


def _gen(args: tuple[Path, int]) -> None:
    path, i = args
    if not path.exists():
        write_department(path, i)


def generate(folder: Path, n: int) -> Path:
    """``n`` workbooks in ``folder`` (generated in parallel, kept between runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    todo = [(folder / f"dept-{i:05d}.xlsx", i) for i in range(n)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_gen, todo, chunksize=32))
    return folder


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _tree_rss_kb(pid: int) -> int:
    """Resident set of a process and all its descendants, in KiB (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run(cmd: list[str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system, workers included), peak single-process RSS
    (KiB, via wait4) and peak RSS summed over the process tree (KiB, sampled)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        tree_peak = max(tree_peak, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    err = proc.stderr.read().decode() if proc.stderr else ""
    if code not in (0,):
        raise SystemExit(f"{' '.join(cmd)} exited {code}:\n{err}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss, max(tree_peak, usage.ru_maxrss)


def median_run(cmd: list[str], runs: int) -> tuple[float, float, int, int]:
    """Median wall and CPU seconds, largest peaks, over ``runs`` runs."""
    results = [run(cmd) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        max(r[2] for r in results),
        max(r[3] for r in results),
    )


def bench_batch(n: int, runs: int, data: Path) -> dict[str, float]:
    folder = generate(data / f"n{n}", n)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "summary.xlsx"
        batch = [py, "-m", "jixiao", "batch", str(folder), "-o", str(out), "--force"]
        floor, floor_cpu, floor_rss, _ = median_run([py, "-c", FLOOR, str(folder)], runs)
        serial, serial_cpu, serial_rss, serial_tree = median_run([*batch, "--no-progress"], runs)
        jobs2, jobs2_cpu, jobs2_rss, jobs2_tree = median_run([*batch, "--no-progress", "--jobs", "2"], runs)
    return {
        "n": n,
        "floor": floor,
        "serial": serial,
        "jobs2": jobs2,
        "serial/floor": serial / floor,
        "floor_cpu": floor_cpu,
        "serial_cpu": serial_cpu,
        "jobs2_cpu": jobs2_cpu,
        "serial_cpu/floor_cpu": serial_cpu / floor_cpu,
        "jobs2/serial": jobs2 / serial,
        "floor_rss_mb": floor_rss / 1024,
        "serial_rss_mb": serial_rss / 1024,
        "jobs2_max_process_mb": jobs2_rss / 1024,
        "jobs2_tree_mb": jobs2_tree / 1024,
        "serial_tree_mb": serial_tree / 1024,
    }


def bench_score(runs: int, data: Path) -> dict[str, object]:
    sheet = generate(data / "n1", 1) / "dept-00000.xlsx"
    py = sys.executable
    score, score_cpu, _, _ = median_run([py, "-m", "jixiao", "score", str(sheet), "--json"], runs)
    bare = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"
    load, load_cpu, _, _ = median_run([py, "-c", bare, str(sheet)], runs)
    startup, _, _, _ = median_run([py, "-c", "pass"], runs)
    imports = subprocess.run(
        [py, "-X", "importtime", "-m", "jixiao", "score", str(sheet), "--json"],
        env=_env(),
        capture_output=True,
        text=True,
    ).stderr
    imported = sorted(
        {
            line.split("|")[-1].strip().split(".")[0]
            for line in imports.splitlines()
            if line.startswith("import time:") and "|" in line
        }
        - {"imported package"}
    )
    return {
        "score": score,
        "openpyxl_load": load,
        "python_startup": startup,
        "score/openpyxl": score / load,
        "score_cpu/openpyxl_cpu": score_cpu / load_cpu,
        "pandas_imported": "pandas" in imported,
        "heavy_imports": [m for m in ("pandas", "numpy", "openpyxl", "pydantic") if m in imported],
    }


def stage_breakdown(folder: Path, k: int = 300) -> dict[str, float]:
    """Milliseconds per file spent in each stage of scoring, in this process (where time goes)."""
    sys.path.insert(0, str(ROOT / "src"))
    from python_calamine import CalamineWorkbook

    from jixiao.framework.load import load_all
    from jixiao.matching.detect import detect
    from jixiao.read.dispatch import load_grids
    from jixiao.read.table import read_table
    from jixiao.scoring.pipeline import evaluate, sha256_file

    frameworks = load_all()
    paths = sorted(folder.glob("*.xlsx"))[:k]
    spent = dict.fromkeys(
        (
            "floor: calamine read",
            "read: calamine + XML pass",
            "read: openpyxl (for comparison)",
            "find the table (io/table.py)",
            "detect the framework",
            "SHA-256",
            "match + calculate + check",
        ),
        0.0,
    )
    for p in paths:
        t0 = time.perf_counter()
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        t1 = time.perf_counter()
        grids = load_grids(p)
        t2 = time.perf_counter()
        load_grids(p, reader="openpyxl")
        t3 = time.perf_counter()
        table = read_table(grids[0])
        t4 = time.perf_counter()
        fw = detect(table, frameworks)
        t5 = time.perf_counter()
        digest = sha256_file(p)
        t6 = time.perf_counter()
        evaluate(table, fw, digest)
        t7 = time.perf_counter()
        for key, dt in zip(
            spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6), strict=True
        ):
            spent[key] += dt
    return {key: value / len(paths) * 1000 for key, value in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="numbers of files")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="generated files")
    parser.add_argument("--stages", action="store_true", help="only the per-stage breakdown")
    args = parser.parse_args()

    if args.stages:
        folder = generate(args.data / "n300", 300)
        print("## where the time goes (ms per file, in one process)")
        for key, ms in stage_breakdown(folder).items():
            print(f"{key:34} {ms:6.2f}")
        return

    s = bench_score(max(args.runs, 5), args.data)
    print("## jixiao score (one sheet, fresh interpreter)")
    print(f"python startup            {s['python_startup']:.3f} s")
    print(f"openpyxl.load_workbook    {s['openpyxl_load']:.3f} s")
    print(
        f"jixiao score --json       {s['score']:.3f} s   ratio {s['score/openpyxl']:.2f}x "
        f"(CPU time ratio {s['score_cpu/openpyxl_cpu']:.2f}x)"
    )
    print(f"pandas imported by score: {s['pandas_imported']}; heavy imports: {s['heavy_imports']}")
    print()
    print("## jixiao batch")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other work on the machine skews wall time)")
    print(
        "| N | floor (calamine) s | serial s | --jobs 2 s | serial/floor | jobs2/serial "
        "| CPU s floor / serial / jobs2 | CPU serial/floor "
        "| peak RSS serial MB | peak RSS jobs2, largest process MB | jobs2 tree MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.n:
        r = bench_batch(n, args.runs, args.data)
        print(
            f"| {r['n']} | {r['floor']:.2f} | {r['serial']:.2f} | {r['jobs2']:.2f} "
            f"| {r['serial/floor']:.1f}x | {r['jobs2/serial']:.2f} "
            f"| {r['floor_cpu']:.2f} / {r['serial_cpu']:.2f} / {r['jobs2_cpu']:.2f} "
            f"| {r['serial_cpu/floor_cpu']:.1f}x | {r['serial_rss_mb']:.0f} "
            f"| {r['jobs2_max_process_mb']:.0f} | {r['jobs2_tree_mb']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
