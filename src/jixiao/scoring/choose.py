"""Which sheet of a workbook is the score sheet: the one table a run scores."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from jixiao.errors import SheetError, UsageError
from jixiao.framework.load import LoadedFramework, load_all
from jixiao.matching.detect import rank
from jixiao.read._excel import column_index_from_string, get_column_letter
from jixiao.read.grid import Grid
from jixiao.read.table import HEADER_SCAN_ROWS, SheetTable, columns_only, read_table


def hidden_sheets(path: Path) -> frozenset[str]:
    """Names of the hidden sheets of an .xlsx (read from its workbook part only)."""
    import re
    import zipfile
    from html import unescape

    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("xl/workbook.xml")
            if info.file_size > 1 << 20:
                return frozenset()
            book = z.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, ValueError, RuntimeError, zipfile.BadZipFile, EOFError):
        return frozenset()  # not an .xlsx (or damaged): the reader says what is wrong
    names = set()
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        state = re.search(r'\bstate="([^"]*)"', tag)
        name = re.search(r'\bname="([^"]*)"', tag)
        if state and name and state.group(1) in ("hidden", "veryHidden"):
            names.add(unescape(name.group(1)))
    return frozenset(names)


def _choose_table(
    path: Path,
    grids: list[Grid],
    sheet: str | None,
    framework: LoadedFramework | None,
    frameworks: Sequence[LoadedFramework] | None,
) -> SheetTable:
    names = [g.sheet for g in grids]
    if sheet is not None:
        span = None
        original = sheet
        if sheet not in names and (m := _SHEET_COLUMNS.match(sheet)):
            sheet, span = m.group("sheet"), (column_index(m.group("a")), column_index(m.group("b")))
        for g in grids:
            if g.sheet == sheet:
                part = None if span is None else columns_only(g, *span, name=original)
                table = read_table(g if part is None else part)
                if table is None:
                    where = f"{get_column_letter(span[0])}:{get_column_letter(span[1])} 列" if span else ""
                    raise SheetError(path, f"工作表“{sheet}”{where}中{_no_header()}")
                return _one_of_side_by_side(path, table, sheet)
        raise UsageError(f"{path}：没有名为“{sheet}”的工作表。工作表有：{_listing(names)}")
    hidden = hidden_sheets(path)
    # A hidden sheet (an old copy, a lookup table) is nobody's submission: never a candidate
    # unless named with --sheet, or unless every sheet is hidden.
    visible = [g for g in grids if g.sheet not in hidden] or grids
    found = [t for t in (read_table(g) for g in visible) if t is not None]
    # A funds block on its own is scored only when no sheet has indicator rows.
    tables = [t for t in found if t.rows] or [t for t in found if t.funds][:1]
    if not tables:
        where = "任何工作表" if len(grids) > 1 else f"工作表“{names[0]}”" if names else "工作簿"
        raise SheetError(path, f"在{where}中{_no_header()}")
    if len(tables) == 1:
        _one_of_side_by_side(path, tables[0])
        if len(grids) > 1:
            others = [n for n in names if n != tables[0].sheet]
            tables[0].notes.insert(
                0,
                f"工作簿有 {len(grids)} 个工作表，评分用的是“{tables[0].sheet}”"
                f"（{_listing([f'“{n}”' for n in others])}中没有评分表的表头）",
            )
        return tables[0]
    pool = [framework] if framework else (list(frameworks) if frameworks is not None else load_all())
    scored = sorted(
        ((max((c.coverage for c in rank(t, pool)), default=0.0), i) for i, t in enumerate(tables)),
        reverse=True,
    )
    if scored[0][0] > 0 and scored[0][0] - scored[1][0] >= 0.2:
        best = _one_of_side_by_side(path, tables[scored[0][1]])
        best.notes.insert(
            0, f"工作簿有 {len(tables)} 个工作表像评分表，评分用的是指标名称与评价框架最吻合的“{best.sheet}”"
        )
        return best
    # Equally good candidates: a blank copy of the form (no score typed at all) beside the
    # filled one is common; the filled one is meant.
    close = [tables[i] for cov, i in scored if scored[0][0] - cov < 0.2]
    filled = [t for t in close if _scores_typed(t)]
    if len(filled) == 1:
        _one_of_side_by_side(path, filled[0])
        filled[0].notes.insert(
            0, f"工作簿有 {len(tables)} 个工作表像评分表，评分用的是唯一填写了自评得分的“{filled[0].sheet}”"
        )
        return filled[0]
    listing = _listing([t.sheet for t in tables])
    raise SheetError(path, f"有多个工作表像评分表（{listing}），请用 --sheet 指定其中一个")


_SHEET_COLUMNS = re.compile(r"^(?P<sheet>.+)!\$?(?P<a>[A-Za-z]{1,3})\$?\d*:\$?(?P<b>[A-Za-z]{1,3})\$?\d*$")
"""``--sheet "表名!K:S"``: one of several tables side by side, by its columns."""


def column_index(letters: str) -> int:
    """The 1-based column number of column letters (``K`` → 11)."""
    return column_index_from_string(letters.upper())


def _one_of_side_by_side(path: Path, table: SheetTable, sheet: str | None = None) -> SheetTable:
    """Refuse a sheet holding several tables side by side (never read only the left one).

    ``sheet`` is the worksheet's own name when the table was read from part of it (``表名!A:S``).
    """
    spans = table.side_by_side
    if len(spans) < 2 or table.grid is None:
        return table
    grid = table.grid
    name = sheet or table.sheet
    described = []
    options = []
    for first, last in spans:
        part = columns_only(grid, first, last)
        one = read_table(part)
        bottom = max(
            (r for r, line in enumerate(part.rows, start=1) if any(v not in (None, "") for v in line)),
            default=1,
        )
        letters = f"{get_column_letter(first)}:{get_column_letter(last)}"
        area = f"{get_column_letter(first)}1:{get_column_letter(last)}{bottom}"
        who = (one.unit_name or one.title) if one is not None else None
        described.append(f"{area}（{who}）" if who else area)
        options.append(f'--sheet "{name}!{letters}"')
    raise SheetError(
        path,
        f"工作表“{name}”中并排有 {len(spans)} 张评分表：{'、'.join(described)}。"
        "jixiao 一次只评一张表，不会只读其中一张而不说明；"
        f"请用 {' 或 '.join(options)} 指定要评的那一张（或把它们分到不同的工作表）",
    )


MAX_LISTED_SHEETS = 20
"""Sheet names a message lists; a workbook of 5,000 sheets gets the first ones and a count."""


def _listing(names: list[str]) -> str:
    shown = "、".join(names[:MAX_LISTED_SHEETS])
    if len(names) > MAX_LISTED_SHEETS:
        shown += f"……等共 {len(names)} 个"
    return shown


def _scores_typed(table: SheetTable) -> int:
    """How many indicator rows of a table have something in their score column."""
    return sum(1 for row in table.rows if (cell := row.get("score")) is not None and not cell.blank)


def _no_header() -> str:
    return (
        f"前 {HEADER_SCAN_ROWS} 行没有找到评分表的表头"
        "（需要指标名称列，如“一级指标/二级指标”或“指标名称”，以及“自评得分”列）"
    )
