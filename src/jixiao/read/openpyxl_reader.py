"""The openpyxl reader: the slow, strict path for .xlsx, and the source of formulas.

The fast reader (:mod:`jixiao.read.xlsx`) hands it every file it does not expect, one way
(this module never calls back). The input file is only ever opened for reading.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError
from jixiao.read import grid
from jixiao.read.grid import Grid, cell_ref, fill_merges, visible
from jixiao.read.ooxml import check_package
from jixiao.read.sniff import Kind, identify


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """Open an .xlsx with openpyxl for reading, after the container checks of :mod:`.safety`.

    The file is opened read-only and handed to openpyxl as a file object (so a real .xlsx saved
    with a wrong extension is still read). Macros and external links are not loaded; openpyxl
    never evaluates formulas. Any failure of the parser on a damaged or hostile file becomes a
    :class:`SheetError`.
    """
    if identify(path) is not Kind.XLSX:
        raise SheetError(path, "不是 .xlsx 工作簿；请在 Excel 或 WPS 中另存为 .xlsx")
    return _open_xlsx(path, data_only=data_only)


def _open_xlsx(path: Path, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    check_package(path)  # zip bombs, DTDs, merged areas, styles: before openpyxl allocates anything
    try:
        fh = path.open("rb")
    except OSError as e:
        raise SheetError(path, f"无法读取文件（{e.strerror or e}）") from e
    try:
        # openpyxl warns in English about parts it drops (data-validation extensions, odd
        # properties, as WPS files often have); they do not affect scoring, so users are not
        # shown them.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(fh, data_only=data_only, read_only=False, keep_links=False)
    except SheetError:
        fh.close()
        raise
    except Exception as e:
        fh.close()
        raise _parser_error(path, e) from e
    # openpyxl has read everything in non-read-only mode; the handle is no longer needed.
    fh.close()
    return wb


def _parser_error(path: Path, e: Exception) -> SheetError:
    """The error to show for an exception raised while parsing a workbook."""
    if isinstance(e, MemoryError):
        return SheetError(path, "读取工作簿时内存不足，文件过大或结构异常，拒绝读取")
    name = type(e).__name__
    if _refused_by_defusedxml(e):
        return SheetError(
            path, "工作簿中含有 XML 实体或文档类型声明（可能是实体炸弹或外部实体引用），为安全起见拒绝读取"
        )
    if isinstance(e, zipfile.BadZipFile):
        return SheetError(path, "文件已损坏（压缩包不完整或校验失败），请重新获取原文件")
    return SheetError(
        path,
        f"无法作为 Excel 工作簿读取（文件已损坏或结构异常：{name}）；"
        "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试",
    )


def _refused_by_defusedxml(e: BaseException) -> bool:
    """True when defusedxml refused the XML somewhere down the chain (openpyxl wraps it)."""
    from defusedxml import DefusedXmlException

    seen: set[int] = set()
    current: BaseException | None = e
    while current is not None and id(current) not in seen:
        if isinstance(current, DefusedXmlException):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def load_xlsx_grids(path: Path) -> list[Grid]:
    """Every worksheet of a file identified as .xlsx, read by openpyxl, as a :class:`Grid`."""
    wb = _open_xlsx(path, data_only=True)
    try:
        names = list(wb.sheetnames)
        return [_to_grid(path, ws, names) for ws in wb.worksheets]
    except SheetError:
        raise
    except Exception as e:
        raise _parser_error(path, e) from e
    finally:
        wb.close()


def _to_grid(path: Path, ws: Any, names: list[str]) -> Grid:
    # Only the cells present in the file are visited: iterating the bounding box
    # (ws.iter_rows) would create a cell object for every position up to a stray value at
    # XFD1048576, which is how a 10 KB file can take hours.
    cells = ws._cells  # {(row, col): cell}, only the cells the file holds
    height = max((r for (r, _), cell in cells.items() if cell.value is not None), default=0)
    if height > grid.MAX_ROWS:
        far = max((rc for rc, cell in cells.items() if cell.value is not None), key=lambda rc: rc[0])
        raise SheetError(
            path,
            f"工作表“{ws.title}”在 {cell_ref(*far)} 仍有内容，超过 {grid.MAX_ROWS} 行的上限；"
            "请删除表格下方多余的内容，或把评分表复制到一个新的工作簿后再评分",
        )
    rows: list[list[Any]] = [[] for _ in range(height)]
    formats: dict[tuple[int, int], str] = {}
    for (r, c), cell in cells.items():
        value = cell.value
        if value is None:
            continue
        if isinstance(value, str):
            value = visible(value)
        line = rows[r - 1]
        if len(line) < c:
            line.extend([None] * (c - len(line)))
        line[c - 1] = value
        if cell.number_format != "General":
            formats[(r, c)] = cell.number_format
    ranges = [(rng.min_row, rng.min_col, rng.max_row, rng.max_col) for rng in ws.merged_cells.ranges]
    return Grid(path, ws.title, names, rows, formats, fill_merges(rows, ranges), formula_reader=read_formulas)


def read_formulas(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Every formula of one worksheet by cell (openpyxl, formulas kept), read on demand."""
    wb = _open_xlsx(path, data_only=False)
    try:
        ws = wb[sheet]
        found: dict[tuple[int, int], str] = {}
        # Only the cells the file holds: iter_rows would walk the whole rectangle up to a
        # stray cell at XFD1048576.
        for cell in list(ws._cells.values()):
            if cell.data_type == "f":
                value = cell.value
                text = value if isinstance(value, str) else getattr(value, "text", "")
                found[(cell.row, cell.column)] = str(text)
        return found
    except SheetError:
        raise
    except Exception as e:
        raise _parser_error(path, e) from e
    finally:
        wb.close()
