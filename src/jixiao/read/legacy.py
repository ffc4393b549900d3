"""Read old formats into grids: Excel 97–2003 .xls (xlrd, in a contained worker) and CSV text.

Both give the same :class:`~jixiao.read.grid.Grid` the .xlsx reader gives, so the table
reader and matching do not know where a sheet came from. Neither format is evaluated: an .xls
carries the values Excel cached when it was saved, and a CSV cell beginning with "=" is just
text (it is reported as not a number if it sits in a score cell).

Limits of what these formats tell: an .xls gives its cells' values, number formats and merges
(xlrd with ``formatting_info``) but not its formulas' text; BIFF keeps a result for every
formula, and that result is what is read. A CSV has neither merges nor formats.
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
"""Address space of the worker process that parses an .xls (Linux ``RLIMIT_AS``). The parser
runs in a contained worker (:mod:`jixiao.read.xls_worker`) whose death is reported, never in
the scoring process; the worker retires after any file that left it large, so the bound holds
for each file."""

XLS_TIMEOUT = 60
"""Seconds the worker may take over one .xls (it is killed and restarted past it)."""


def load_xls_grids(path: Path) -> list[Grid]:
    """Every worksheet of an Excel 97–2003 workbook as a :class:`Grid`, merges filled.

    The OLE structure was checked by :func:`jixiao.read.sniff.identify` (no looping chains);
    xlrd then parses it in a reused worker process bounded in memory and time per file, and if
    the worker dies, the message says so, with what it printed. Number formats ("0.00%") come
    with the cells, so a reported 得分率 is compared at the precision the sheet shows, as in an
    .xlsx; a formula gives its cached result (text results too), an error value its text.
    """
    import signal

    from jixiao.read import xls_worker

    if path.stat().st_size > MAX_XLS_BYTES:
        raise SheetError(path, f"文件超过 {MAX_XLS_BYTES >> 20} MB，不像一张评分表，拒绝读取")
    try:
        out = xls_worker.read_xls(path, MAX_CELLS, memory_limit=XLS_MEMORY_LIMIT, timeout=XLS_TIMEOUT)
    except xls_worker.WorkerTimeout as e:
        message = f"读取 .xls 超过 {XLS_TIMEOUT} 秒仍未完成（文件结构异常），已停止；{_SAVE_AS}"
        raise SheetError(path, message) from e
    except xls_worker.WorkerBroken as e:
        message = f"读取 .xls 的进程返回了无法识别的数据（{visible(str(e))}），已停止；{_SAVE_AS}"
        raise SheetError(path, message) from e
    except xls_worker.WorkerDied as e:
        if e.returncode < 0:
            try:
                how = f"被信号 {signal.Signals(-e.returncode).name} 终止"
            except ValueError:
                how = f"被信号 {-e.returncode} 终止"
        else:
            how = f"退出码 {e.returncode}"
        tail = e.output[-600:] or "（没有输出）"
        raise SheetError(
            path,
            f"读取 .xls 的进程异常退出（{how}，常见于文件损坏或内存不足）；{_SAVE_AS}。读取器的输出：{tail}",
        ) from e
    if out.get("error") == "password":
        raise SheetError(
            path, "工作簿设置了打开密码（已加密），jixiao 不读取加密文件；请取消密码后另存为 .xlsx"
        )
    if out.get("error") == "memory":
        raise SheetError(
            path,
            f"读取 .xls 超过 {XLS_MEMORY_LIMIT >> 20} MB 的内存上限（文件结构异常），已停止；{_SAVE_AS}",
        )
    if "error" in out:
        why = visible(str(out["error"]))
        raise SheetError(path, f"无法读取这个 .xls 文件（文件已损坏或格式异常：{why}）；{_SAVE_AS}")
    if "too_big" in out:
        name, height, width = out["too_big"]
        raise SheetError(
            path,
            f"工作表“{visible(name)}”有 {height} 行 × {width} 列，"
            f"超过 {MAX_CELLS} 个单元格的上限；请把评分表复制到一个新的工作簿后再评分",
        )
    grids = []
    names = [visible(n) for n in out["names"]]
    for name, lines, ranges, formats in out["sheets"]:
        rows = [[_xls_value(v) for v in line] for line in lines]
        # xlrd's merges are 0-based with exclusive ends: (top, bottom + 1, left, right + 1)
        merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in ranges if r1 > r0 and c1 > c0]
        number_formats = {(r + 1, c + 1): fmt for (r, c), fmt in formats.items()}
        grids.append(_grid(path, visible(name), names, rows, merges, number_formats))
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
    number_formats: dict[tuple[int, int], str] | None = None,
) -> Grid:
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    merged = fill_merges(rows, merges)
    return Grid(path, sheet, names, rows, number_formats or {}, merged, _formulas={})


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
