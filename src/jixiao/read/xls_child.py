"""The contained .xls reader: a worker process that parses BIFF workbooks with xlrd.

jixiao never runs it in its own process: :mod:`jixiao.read.xls_worker` runs this file's text
with ``python -P -c SOURCE LIMIT`` in a child process, which limits its own address space to
LIMIT bytes before it reads anything, and sends it one request per file. It imports the
standard library and xlrd only (not jixiao), so starting it is cheap and nothing of jixiao's
state is reachable from a parser that a hostile file might upset.

Protocol, on the child's stdin and stdout: each message is a 4-byte big-endian length and a
pickle. A request is ``(path, max_cells)``; the reply is a dict with ``names`` (every sheet
name), ``sheets`` (``(name, rows, merges, formats)`` per worksheet) or ``error``, ``too_big``,
and ``retire`` when the worker has grown and will exit after this reply, so that the next file
gets the whole memory budget. EOF on stdin, or no request for ``IDLE_SECONDS``, ends the worker.

Values are sent as openpyxl's ``data_only`` read gives them: text, numbers, booleans, dates as
``datetime``, a formula's cached result (text results included), an error value as its text
("#DIV/0!"), empty cells as None. ``formats`` maps 0-based ``(row, col)`` to the cell's number
format string where it is not General.
"""

import io
import os
import pickle
import select
import struct
import sys
from typing import Any

IDLE_SECONDS = 30.0
"""A worker no request reached for this long exits (the parent starts a new one when needed)."""

RETIRE_BYTES = 512 << 20
"""Address space past which a worker retires after its reply (the limit is per file, not per run)."""

_IDLE_EXIT = 0  # the one exit status that means "left while idle, no request lost"


def _read_exact(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _address_space() -> int:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _cell_value(xlrd: Any, book: Any, cell: Any) -> Any:
    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return cell.value if cell.value else None
    if kind == xlrd.XL_CELL_NUMBER:
        return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#VALUE!")
    if kind == xlrd.XL_CELL_DATE:
        try:
            stamp = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return "#VALUE!"
        return stamp.time() if 0 <= cell.value < 1 else stamp
    return cell.value


def read(path: str, max_cells: int) -> dict[str, Any]:
    """Every worksheet of the workbook at ``path``, or the reason it cannot be read."""
    import xlrd

    log = io.StringIO()
    out: dict[str, Any] = {"names": [], "sheets": []}
    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True, logfile=log)
    except xlrd.XLRDError as e:
        if "encrypted" in str(e).lower():
            return {"error": "password"}
        return {"error": f"{type(e).__name__}: {e}"[:300]}
    try:
        out["names"] = list(book.sheet_names())
        formats = {key: fmt.format_str for key, fmt in book.format_map.items()}
        xf_format = [formats.get(xf.format_key, "General") for xf in book.xf_list]
        for index, name in enumerate(out["names"]):
            sheet = book.sheet_by_index(index)
            if sheet.nrows * max(sheet.ncols, 1) > max_cells:
                out["too_big"] = (name, sheet.nrows, sheet.ncols)
                break
            rows = []
            cell_formats = {}
            for r in range(sheet.nrows):
                line = []
                for c, cell in enumerate(sheet.row(r)):
                    value = _cell_value(xlrd, book, cell)
                    line.append(value)
                    if value is not None and 0 <= cell.xf_index < len(xf_format):
                        fmt = xf_format[cell.xf_index]
                        if fmt and fmt != "General":
                            cell_formats[(r, c)] = fmt
                rows.append(line)
            merges = list(sheet.merged_cells)
            out["sheets"].append((name, rows, merges, cell_formats))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out


def _limit_memory(limit: int) -> None:
    if sys.platform.startswith("linux"):
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)  # already tighter (the web app's workers): keep that
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> None:
    """Answer requests until stdin closes or stays quiet for ``IDLE_SECONDS``."""
    _limit_memory(int(sys.argv[1]))  # before reading anything from any file
    stdin, stdout = sys.stdin.fileno(), sys.stdout.buffer  # unbuffered reads: select sees all
    while True:
        try:
            ready, _, _ = select.select([stdin], [], [], IDLE_SECONDS)
        except (OSError, ValueError):  # no select() on pipes (Windows): wait without a timeout
            ready = [stdin]
        if not ready:
            sys.exit(_IDLE_EXIT)
        head = _read_exact(stdin, 4)
        if head is None:
            sys.exit(_IDLE_EXIT)
        body = _read_exact(stdin, struct.unpack(">I", head)[0])
        if body is None:
            sys.exit(_IDLE_EXIT)
        path, max_cells = pickle.loads(body)
        try:
            reply = read(path, max_cells)
        except MemoryError:
            reply = {"error": "memory", "retire": True}
        except RecursionError:
            reply = {"error": "recursion", "retire": True}
        except Exception as e:  # a damaged file raises all sorts of things inside xlrd
            reply = {"error": f"{type(e).__name__}: {e}"[:300]}
        if _address_space() > RETIRE_BYTES:
            reply["retire"] = True
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(struct.pack(">I", len(data)) + data)
        stdout.flush()
        if reply.get("retire"):
            sys.exit(3)


if __name__ == "__main__":
    main()
