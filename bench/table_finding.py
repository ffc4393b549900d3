"""Table finding on a CSV of junk rows, as a ratio against reading the same CSV's cells.

Issue 13: "inside every documented limit, 150,000 junk rows take minutes". The CSV has a real
header and ``--rows`` rows of distinct junk text and numbers under it (every row looks like an
indicator row, none repeats: no cache helps). Each stage runs in a fresh interpreter:

- ``read``: the CSV's cells (``load_grids``), the baseline;
- ``table``: reading plus table finding (``read_table``: header, rows, totals, funds);
- ``score``: the whole ``score_file`` (sheet-tree mode, since no framework fits junk).

    python bench/table_finding.py [--rows 150000] [--runs 3] [--no-score]

Nothing is asserted; the ratios are printed (and ``bench/suite.py`` reports the table stage).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

STAGE = r"""
import sys, time
from pathlib import Path
stage, path = sys.argv[1], Path(sys.argv[2])
t0 = time.perf_counter()
from jixiao.read.dispatch import load_grids
from jixiao.read.table import read_table
from jixiao.scoring.pipeline import no_gc_pauses, score_file
with no_gc_pauses():
    if stage == "score":
        try:
            score_file(path)
        except Exception as e:  # junk may be refused: the time to refuse is what counts
            print(type(e).__name__, file=sys.stderr)
    else:
        grids = load_grids(path)
        if stage == "table":
            read_table(grids[0])
print(f"{time.perf_counter() - t0:.3f}")
"""


def junk_csv(folder: Path, rows: int) -> Path:
    """A header and ``rows`` rows of distinct junk (seeded: the same file every run)."""
    path = folder / f"junk-{rows}.csv"
    if path.exists():
        return path
    rng = random.Random(13)
    lines = ["一级指标,二级指标,三级指标,分值,自评得分,扣分原因"]
    for _ in range(rows):
        words = [f"{rng.random():.9f}文字{rng.randrange(10**9)}" for _ in range(3)]
        lines.append(f"{','.join(words)},{rng.randrange(10)},{rng.randrange(10)},{rng.randrange(10**6)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stage_command(stage: str, path: Path) -> list[str]:
    """The command that runs one stage in a fresh interpreter (prints its own seconds)."""
    return [sys.executable, "-c", STAGE, stage, str(path)]


def timed(stage: str, path: Path, runs: int, src: Path | None = None) -> float:
    """Median seconds of a stage, measured inside the child (start-up excluded)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    times = []
    for _ in range(runs):
        cmd = stage_command(stage, path)
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-score", action="store_true", help="skip the whole score_file stage")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="source tree to measure")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    path = junk_csv(args.data, args.rows)
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, {time.strftime('%H:%M')}")
    read = timed("read", path, args.runs, args.src)
    print(f"read cells      {read:7.2f} s")
    table = timed("table", path, args.runs, args.src)
    print(
        f"read + table    {table:7.2f} s   table finding alone {table - read:.2f} s, "
        f"{(table - read) / read:.1f}× the read"
    )
    if not args.no_score:
        score = timed("score", path, 1, args.src)
        print(f"score_file      {score:7.2f} s   {score / read:.1f}× the read")


if __name__ == "__main__":
    main()
