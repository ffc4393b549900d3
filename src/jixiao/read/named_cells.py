"""Funds figures given as named cells (Excel defined names) instead of a funds block.

Some project sheets keep 全年预算数 / 全年执行数 in cells named so (公式 → 名称管理器) rather than
in the official funds block. Names are matched like column headers (年初预算数, 全年预算数,
全年执行数, 执行率, plus 预算执行率得分 for the score); only single cells on the scored sheet are
used, so that every finding still points at a cell of that sheet. The workbook is opened for
reading only, and only when a rule needs these figures and the sheet has no funds block.
"""

from __future__ import annotations

import re
from typing import Any

from jixiao.read.table import FUNDS_ROLES, SheetCell, SheetTable, role_of
from jixiao.values import header_key

_SCORE_NAMES = re.compile(r"^(预算)?执行率得分$")


def _role(name: str) -> str | None:
    if _SCORE_NAMES.match(header_key(name)):
        return "score"
    role = role_of(name)
    return role if role in FUNDS_ROLES and role not in ("points", "score") else None


def named_funds(table: SheetTable) -> dict[str, SheetCell]:
    """The funds figures named in the workbook that point at single cells of ``table``'s sheet."""
    # openpyxl (and numpy under it) only for the rare sheet that needs its defined names.
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    from jixiao.read.openpyxl_reader import open_workbook

    wb = open_workbook(table.path)
    try:
        names: list[tuple[str, Any]] = list(wb.defined_names.items())
        for ws in wb.worksheets:
            names += list(ws.defined_names.items())
        found: dict[str, SheetCell] = {}
        for name, defined in names:
            role = _role(name)
            if role is None or role in found:
                continue
            for title, ref in defined.destinations:
                if title != table.sheet or ":" in ref:
                    continue
                letters, row = coordinate_from_string(ref.replace("$", ""))
                cell = wb[title].cell(row=row, column=column_index_from_string(letters))
                found[role] = SheetCell(cell.value, cell.row, cell.column, cell.number_format)
        return found
    finally:
        wb.close()
