"""One entry point for every sheet file: identify it by content, then hand it to its reader.

The readers are chosen from a table ``{kind: reader}``; what the file is called does not
matter (an .xlsx saved as "x.xls" is read as .xlsx). Every reader gives the same :class:`Grid`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jixiao.read import legacy, openpyxl_reader, xlsx
from jixiao.read.grid import Grid
from jixiao.read.sniff import Kind, identify

Reader = Callable[[Path], list[Grid]]

READERS: dict[Kind, Reader] = {
    Kind.XLSX: xlsx.load_xlsx_grids,
    Kind.XLS: legacy.load_xls_grids,
    Kind.CSV: legacy.load_csv_grid,
}
"""The reader of each kind of file. The .xlsx reader is python-calamine, which hands anything
it does not expect to openpyxl (one way: openpyxl never calls back)."""


def load_grids(path: Path, *, reader: str = "calamine") -> list[Grid]:
    """Every worksheet of a workbook (.xlsx, .xls or CSV) as a :class:`Grid`.

    ``identify`` raises a :class:`~jixiao.errors.SheetError` for anything that is not a sheet.
    ``reader="openpyxl"`` reads an .xlsx with openpyxl alone (the reference the fast reader is
    tested against).
    """
    kind = identify(path)
    if kind is Kind.XLSX and reader == "openpyxl":
        return openpyxl_reader.load_xlsx_grids(path)
    return READERS[kind](path)
