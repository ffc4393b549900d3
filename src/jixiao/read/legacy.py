"""Read old formats into grids: Excel 97–2003 .xls (python-calamine) and CSV text.

Both give the same :class:`~jixiao.read.grid.Grid` the .xlsx reader gives, so the table
reader and matching do not know where a sheet came from. Neither format is evaluated: an .xls
carries the values Excel cached when it was saved, and a CSV cell beginning with "=" is just
text (it is reported as not a number if it sits in a score cell).

Limits of what these formats tell: calamine gives no number formats and no formulas for an
.xls, and reads an Excel error value (#DIV/0!) as an empty cell, so such a score is reported
as missing rather than as an error value. A CSV has neither merges nor formats.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError
from jixiao.read.grid import Grid, fill_merges, visible

MAX_XLS_BYTES = 64 << 20
"""Largest .xls read (calamine has no limit of its own; a 100,000-row .xls is about 10 MB)."""

MAX_CSV_BYTES = 32 << 20
"""Largest CSV read (a 100,000-row CSV of six columns is about 6 MB)."""

MAX_CSV_ROWS = 200_000
"""Rows read from a CSV file (the same bound as a worksheet's last row, :data:`grid.MAX_ROWS`).
Without it a 32 MB file of one-character lines is 16 million rows."""

MAX_CELLS = 5_000_000
"""Cells kept from one .xls sheet or CSV file, a bound on memory whatever the file declares."""


XLS_MEMORY_LIMIT = 1536 << 20
"""Address space of the process that runs calamine on an .xls (Linux ``RLIMIT_AS``).
calamine has no limits of its own: a damaged file can make it allocate until the process
dies, so it runs in a child process whose death is reported, never the scoring process."""

XLS_TIMEOUT = 60
"""Seconds the child reading an .xls may take."""

# The child imports python_calamine only (not jixiao) and sends the cells back pickled.
_CHILD = r"""
import pickle, sys
import python_calamine as pc
path, max_cells = sys.argv[1], int(sys.argv[2])
out = {"names": [], "sheets": []}
try:
    with open(path, "rb") as fh:
        wb = pc.CalamineWorkbook.from_filelike(fh)
        out["names"] = list(wb.sheet_names)
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            if sheet.height * max(sheet.width, 1) > max_cells:
                out["too_big"] = (meta.name, sheet.height, sheet.width)
                break
            merges = list(sheet.merged_cell_ranges or [])
            out["sheets"].append((meta.name, sheet.to_python(skip_empty_area=False), merges))
except pc.PasswordError:
    out = {"error": "password"}
except BaseException as e:
    out = {"error": type(e).__name__}
sys.stdout.buffer.write(pickle.dumps(out))
"""


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (XLS_MEMORY_LIMIT, XLS_MEMORY_LIMIT))


def load_xls_grids(path: Path) -> list[Grid]:
    """Every worksheet of an Excel 97–2003 workbook as a :class:`Grid`, merges filled.

    The OLE structure was checked by :func:`jixiao.read.sniff.identify` (no looping chains);
    calamine then runs in a child process bounded in memory and time, and if it dies, the
    message says so, with what it printed.
    """
    import pickle
    import signal
    import subprocess
    import sys

    if path.stat().st_size > MAX_XLS_BYTES:
        raise SheetError(path, f"文件超过 {MAX_XLS_BYTES >> 20} MB，不像一张评分表，拒绝读取")
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(MAX_CELLS)],
            capture_output=True,
            timeout=XLS_TIMEOUT,
            preexec_fn=_limit_memory if sys.platform.startswith("linux") else None,
        )
    except subprocess.TimeoutExpired as e:
        message = f"读取 .xls 超过 {XLS_TIMEOUT} 秒仍未完成（文件结构异常），已停止；{_SAVE_AS}"
        raise SheetError(path, message) from e
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        if done.returncode < 0:
            try:
                how = f"被信号 {signal.Signals(-done.returncode).name} 终止"
            except ValueError:
                how = f"被信号 {-done.returncode} 终止"
        else:
            how = f"退出码 {done.returncode}"
        tail = stderr[-600:] or "（没有输出）"
        raise SheetError(
            path,
            f"读取 .xls 的进程异常退出（{how}，常见于文件损坏或内存不足）；{_SAVE_AS}。读取器的输出：{tail}",
        )
    if stderr:
        print(stderr[-2000:], file=sys.stderr)  # what calamine printed is never hidden
    out = pickle.loads(done.stdout)
    if out.get("error") == "password":
        raise SheetError(
            path, "工作簿设置了打开密码（已加密），jixiao 不读取加密文件；请取消密码后另存为 .xlsx"
        )
    if "error" in out:
        raise SheetError(path, f"无法读取这个 .xls 文件（文件已损坏或格式异常：{out['error']}）；{_SAVE_AS}")
    if "too_big" in out:
        name, height, width = out["too_big"]
        raise SheetError(
            path,
            f"工作表“{name}”有 {height} 行 × {width} 列，"
            f"超过 {MAX_CELLS} 个单元格的上限；请把评分表复制到一个新的工作簿后再评分",
        )
    grids = []
    for name, lines, ranges in out["sheets"]:
        rows = [[_xls_value(v) for v in line] for line in lines]
        merges = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in ranges]
        grids.append(_grid(path, visible(name), [visible(n) for n in out["names"]], rows, merges))
    return grids


_SAVE_AS = "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再评分"


def _xls_value(value: Any) -> Any:
    """calamine's cell value in the form openpyxl gives for the same cell."""
    if isinstance(value, str):
        return visible(value) if value else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)  # BIFF stores every number as a double; openpyxl reads "23" as int
    return value


def _grid(
    path: Path,
    sheet: str,
    names: list[str],
    rows: list[list[Any]],
    merges: list[tuple[int, int, int, int]],
) -> Grid:
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return Grid(path, sheet, names, rows, {}, fill_merges(rows, merges), _formulas={})


def load_csv_grid(path: Path) -> list[Grid]:
    """A CSV file (UTF-8 or GB18030, comma/tab/semicolon separated) as one :class:`Grid`."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise SheetError(path, f"CSV 文件超过 {MAX_CSV_BYTES >> 20} MB，不像一张评分表，拒绝读取")
    data = path.read_bytes()
    text = _decode(path, data)
    if "\x00" in text:
        raise SheetError(path, "CSV 文件中含有空字符（NUL），不是正常的文本表格")
    rows: list[list[Any]] = []
    cells = 0
    try:
        for line in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)):
            if len(rows) >= MAX_CSV_ROWS:
                raise SheetError(
                    path,
                    f"CSV 文件超过 {MAX_CSV_ROWS} 行的上限（第 {len(rows) + 1} 行仍有内容），不像一张评分表；"
                    "请删除多余的行后再评分",
                )
            cells += len(line)
            if cells > MAX_CELLS:
                raise SheetError(path, f"CSV 文件超过 {MAX_CELLS} 个单元格的上限，不像一张评分表")
            rows.append([visible(v) if v.strip() else None for v in line])
    except csv.Error as e:
        raise SheetError(path, f"CSV 文件格式有误（第 {len(rows) + 1} 行：{e}）") from e
    return [_grid(path, path.stem, [path.stem], rows, [])]


def _delimiter(text: str) -> str:
    """The separator most lines use (csv.Sniffer is thrown off by a title line without one)."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:50]
    counts = {d: sum(1 for line in lines if d in line) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decode(path: Path, data: bytes) -> str:
    # Excel on Chinese Windows saves "CSV" in GBK (GB18030 is its superset); newer ones UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(path, "CSV 文件的编码无法识别（应为 UTF-8 或 GBK）；请另存为 .xlsx")
