"""Measure every hostile-input bound: wall time and peak memory of refusing each case.

Each case is generated (a few KB, as tests/hostile.py and tests/reliability make them) and
handed to jixiao in a fresh process, so each peak resident memory (VmHWM) is its own.
The figures are printed for the README's hostile-input table, never asserted.

Run: .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import sys, time
from pathlib import Path
t0 = time.perf_counter()
kind, path = sys.argv[1], Path(sys.argv[2])
try:
    if kind == "sheet":
        from jixiao.read.dispatch import load_grids
        load_grids(path)
        outcome = "read"
    elif kind == "framework":
        from jixiao.framework.load import load_framework
        load_framework(path)
        outcome = "loaded"
except Exception as e:
    outcome = type(e).__name__ + ": " + str(e).replace(str(path), "")[:70]
# VmHWM is this process's own peak (ru_maxrss would carry the parent's across exec)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(f"{time.perf_counter() - t0:.3f}\t{peak:.0f}\t{outcome}")
"""


def measure(kind: str, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(path)], capture_output=True, text=True, timeout=300
    )
    return done.stdout.strip() or f"died ({done.returncode}): {done.stderr[-200:]}"


def main() -> None:
    from tests.builders import shaoguan_sheet
    from tests.hostile import rewrite_zip
    from tests.reliability.test_yaml_bounds import ALIAS_BOMB

    folder = Path(tempfile.mkdtemp(prefix="jixiao-hostile-"))
    good = shaoguan_sheet(folder / "good.xlsx")
    sheet = "xl/worksheets/sheet1.xml"

    def in_sheet(name: str, edit) -> Path:
        return rewrite_zip(
            good, folder / name, lambda n, d: edit(d.decode()).encode() if n == sheet else None
        )

    cases: list[tuple[str, str, Path]] = [("sheet", "the 韶关 sheet (baseline)", good)]
    cases.append(
        (
            "sheet",
            "merge ref='G1:XFD1048576' (single quotes)",
            in_sheet(
                "merge.xlsx",
                lambda t: t.replace("</mergeCells>", "<mergeCell ref='G1:XFD1048576'/></mergeCells>"),
            ),
        )
    )

    def styles(n: bytes, d: bytes) -> bytes | None:
        if n != "xl/styles.xml":
            return None
        xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 1_000_000
        return re.sub(
            r"<cellXfs[^>]*>.*?</cellXfs>", f"<cellXfs>{xfs}</cellXfs>", d.decode(), flags=re.S
        ).encode()

    cases.append(("sheet", "1,000,000 cell styles", rewrite_zip(good, folder / "styles.xlsx", styles)))
    cases.append(
        (
            "sheet",
            "formula without value + cell at XFD1048576",
            in_sheet(
                "formula.xlsx",
                lambda t: re.sub(r'<c r="D3"[^>]*>.*?</c>', '<c r="D3"><f>1+1</f></c>', t, count=1).replace(
                    "</sheetData>", '<row r="1048576"><c r="XFD1048576"/></row></sheetData>'
                ),
            ),
        )
    )
    far = "".join(f'<row r="{r}"><c r="XFD{r}" t="n"><v>1</v></c></row>' for r in range(12, 1012))
    cases.append(
        (
            "sheet",
            "1,000 rows with a value at XFD",
            in_sheet("far.xlsx", lambda t: t.replace("</sheetData>", far + "</sheetData>")),
        )
    )
    csv = folder / "junk.csv"
    csv.write_bytes(b"a,1\n" * 1_000_000)
    cases.append(("sheet", "CSV of 1,000,000 rows (4 MB)", csv))
    bomb = folder / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    cases.append(("framework", f"YAML alias bomb ({len(ALIAS_BOMB)} bytes)", bomb))
    cases.append(("framework", "framework /dev/zero", Path("/dev/zero")))
    fifo = folder / "fifo.yaml"
    os.mkfifo(fifo)
    cases.append(("framework", "framework FIFO", fifo))
    soffice = subprocess.run(["which", "soffice"], capture_output=True, text=True).stdout.strip()
    if soffice:
        from tests.reliability.ole import looping_directory

        subprocess.run(
            [soffice, "--headless", "--convert-to", "xls", "--outdir", str(folder), str(good)],
            capture_output=True,
        )
        cases.append(
            (
                "sheet",
                ".xls whose directory chain loops",
                looping_directory(folder / "good.xls", folder / "loop.xls"),
            )
        )
    print("case\tseconds\tpeak MB\toutcome")
    for kind, name, path in cases:
        print(f"{name}\t{measure(kind, path)}")


if __name__ == "__main__":
    main()
