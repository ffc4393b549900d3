"""What a batch of .xls files costs per file: the reused worker against the in-process parse.

One department sheet (the 韶关 table, and a generated 60-row department sheet) is saved as .xls
by LibreOffice and copied N times. Each way of reading is measured over the same files in this
run, CPU and wall, and printed as milliseconds per file and as a ratio to the in-process parse:

- ``in-process``: xlrd (``formatting_info=True``) in this process, cells converted as the
  worker converts them — the floor, with no containment at all;
- ``calamine, one child per file``: the code before this change (python-calamine in a new
  child process for every file, which also gave no number formats);
- ``xlrd, one child per file``: the worker started anew for every file (interpreter start
  and imports each time);
- ``reused worker``: ``legacy.load_xls_grids`` as a batch calls it (one worker, file after
  file; the transfer of the cells back is included).

Run: .venv/bin/python bench/xls_batch.py [--n 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _convert(source: Path, folder: Path) -> Path:
    from tests.conftest import convert_with_soffice

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to make the .xls files")
    return convert_with_soffice(soffice, source, "xls", folder)


def _files(folder: Path, n: int) -> dict[str, list[Path]]:
    from bench.bench_batch import generate
    from tests.builders import shaoguan_sheet

    made: dict[str, list[Path]] = {}
    generated = folder / "gen"
    generate(generated, 1)
    department = sorted(generated.rglob("*.xlsx"))[0]
    for name, source in (("韶关 table", shaoguan_sheet(folder / "sg.xlsx")), ("department", department)):
        xls = _convert(source, folder / name.replace(" ", "-"))
        copies = folder / f"copies-{xls.parent.name}"
        copies.mkdir()
        made[name] = []
        for i in range(n):
            target = copies / f"{i:04d}.xls"
            shutil.copyfile(xls, target)
            made[name].append(target)
    return made


# The code that read .xls before the worker (python-calamine in a new child per file), kept here
# so that the "before" row measures what jixiao really did, not a stand-in.
_CALAMINE_CHILD = r"""
import pickle, sys
import python_calamine as pc
path, max_cells = sys.argv[1], int(sys.argv[2])
out = {"names": [], "sheets": []}
with open(path, "rb") as fh:
    wb = pc.CalamineWorkbook.from_filelike(fh)
    out["names"] = list(wb.sheet_names)
    for meta in wb.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        merges = list(sheet.merged_cell_ranges or [])
        out["sheets"].append((meta.name, sheet.to_python(skip_empty_area=False), merges))
sys.stdout.buffer.write(pickle.dumps(out))
"""


def _calamine_child_each(paths: list[Path]) -> None:
    import pickle
    import subprocess

    from jixiao.read import legacy

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (legacy.XLS_MEMORY_LIMIT, legacy.XLS_MEMORY_LIMIT))

    for p in paths:
        done = subprocess.run(
            [sys.executable, "-c", _CALAMINE_CHILD, str(p), str(legacy.MAX_CELLS)],
            capture_output=True,
            timeout=60,
            preexec_fn=limit,
        )
        assert pickle.loads(done.stdout)["sheets"]


def _in_process(paths: list[Path]) -> None:
    from jixiao.read import xls_child

    for p in paths:
        out = xls_child.read(str(p), 5_000_000)
        assert out["sheets"], out


def _one_child_each(paths: list[Path]) -> None:
    from jixiao.read import legacy, xls_worker

    for p in paths:
        worker = xls_worker.XlsWorker(legacy.XLS_MEMORY_LIMIT)
        out = worker.read(p, legacy.MAX_CELLS, legacy.XLS_TIMEOUT)
        worker.close()
        assert out["sheets"], out


def _reused(paths: list[Path]) -> None:
    from jixiao.read import legacy, xls_worker

    xls_worker.shutdown()  # the worker's start is part of the batch
    for p in paths:
        legacy.load_xls_grids(p)
    xls_worker.shutdown()


def _measure(fn: Callable[[list[Path]], None], paths: list[Path], runs: int) -> tuple[float, float]:
    import resource

    def cpu() -> float:  # this process and its reaped children (the workers)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + kids.ru_utime + kids.ru_stime

    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), cpu()
        fn(paths)
        walls.append(time.perf_counter() - w0)
        cpus.append(cpu() - c0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="files per batch")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    import os

    folder = Path(tempfile.mkdtemp(prefix="jixiao-xls-bench-"))
    try:
        files = _files(folder, args.n)
        load = os.getloadavg()[0]
        print(f"{args.n} .xls files per batch, median of {args.runs} runs; load average {load:.1f}")
        print("CPU: this process and its worker processes.")
        print("| sheet | way | wall ms/file | CPU ms/file | wall ÷ in-process | CPU ÷ in-process |")
        print("|---|---|---|---|---|---|")
        for name, paths in files.items():
            base = _measure(_in_process, paths, args.runs)
            for label, fn in (
                ("in-process (floor)", _in_process),
                ("calamine, one child per file (before)", _calamine_child_each),
                ("xlrd, one child per file", _one_child_each),
                ("reused worker (now)", _reused),
            ):
                wall, cpu = base if fn is _in_process else _measure(fn, paths, args.runs)
                per, per_cpu = wall / len(paths) * 1000, cpu / len(paths) * 1000
                ratios = f"{wall / base[0]:.2f}× | {cpu / base[1]:.2f}×"
                print(f"| {name} | {label} | {per:.2f} | {per_cpu:.2f} | {ratios} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
