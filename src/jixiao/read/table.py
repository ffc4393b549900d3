"""Find the score table in a worksheet: header row(s), column roles, indicator rows, totals.

Sheets put title rows above the header, split the header over two rows ("绩效指标" spanning
the three level columns), merge level cells, and add 合计 rows and notes. This module finds
the header by the usual column names and their variants and turns every row below it into a
:class:`SheetRow`: the path of indicator labels plus the cells of each recognised column.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.read._excel import get_column_letter
from jixiao.read.grid import Grid, cell_ref
from jixiao.read.vocabulary import vocabulary
from jixiao.values import (
    Label,
    NotANumber,
    clean_text,
    header_key,
    is_blank,
    nfkc,
    parse_decimal,
    split_label,
)

HEADER_SCAN_ROWS = 30
_HEADER_TEXT_MAX = 64
"""Longest cell text that may name a column (role_of refuses keys over 24 characters; spaces
and line breaks inside a header cell are removed before that)."""
LEVEL_ROLES = ("level1", "level2", "level3", "level4")

# Header names by role, total words and footer words: data, in vocabulary.yaml.
_TOTAL_SPACED = re.compile(r"^(合\s*计|总\s*计|总\s*分)[:：]?$")
# A 小计 row under (or above) a group reports that group's subtotal: it belongs to the parent.
_SUBTOTAL_KEYS = frozenset({"小计", "本级小计", "小计得分", "合计", "分项合计"})
_GRADE_INLINE = re.compile(r"^(?:绩效|评价|自评|综合)?等级[:：为]\s*[“\"'「]?([^”\"'」\s]{1,4})[”\"'」]?$")
_GRADE_LABEL = re.compile(r"^(?:绩效|评价|自评|综合)?等级[:：]?$")
# "填报单位（盖章）：某局", "单位名称(公章)：…", "申报单位：…" (after NFKC the brackets are ASCII).
_UNIT_WORDS = (
    r"(?:单位名称|部门名称|填报单位名称|填报单位|评价单位|申报单位|报送单位|预算单位|项目单位|项目名称)"
)
_SEAL = r"(?:\s*\((?:盖章|公章|签章|盖公章)\))?"
_UNIT_LABEL = re.compile(rf"^{_UNIT_WORDS}{_SEAL}[:：]?$")
_UNIT = re.compile(rf"^(?:{_UNIT_WORDS}|单位|部门){_SEAL}[:：]\s*(.+)$")
# What often follows the name in the same cell: "某局    填报日期：2024年3月1日".
_UNIT_TAIL = re.compile(r"\s{2,}.*$|\s*(?:填报日期|填表日期|日期|联系人|联系电话|填报人)[:：].*$")


@functools.lru_cache(maxsize=4096, typed=True)  # header detection asks for the same texts often
def role_of(text: object) -> str | None:
    """The column role a header cell names, or None."""
    words = vocabulary()
    key = header_key(text)
    if not key or len(key) > 24:
        return None
    candidates = [key]
    if key.endswith(words.header_suffixes):
        candidates += [key[: -len(s)] for s in words.header_suffixes if key.endswith(s)]
    for candidate in candidates:
        if not candidate or len(candidate) > 16:
            continue
        # The first role whose pattern matches, as if each were tried in turn (every pattern is
        # anchored, so the alternation's first matching branch is the first matching role).
        m = words.role_pattern.match(candidate)
        if m and m.lastgroup:
            return words.roles[int(m.lastgroup[1:])][0]
    return None


def is_repeated_header(grid: Grid, r: int, columns: dict[str, int]) -> bool:
    """Whether row ``r`` repeats the header (two or more cells naming their own column's role)."""
    return _repeats_header([grid.value(r, c) for c in columns.values()], list(columns.items()))


def _repeats_header(values: list[Any], roles: list[tuple[str, int]]) -> bool:
    same = 0
    for (role, _), value in zip(roles, values, strict=True):
        # A header cell is short text; anything else cannot name a role (role_of would say None).
        if isinstance(value, str) and len(value) <= _HEADER_TEXT_MAX and role_of(value) == role:
            same += 1
            if same >= 2:
                return True
    return False


def is_total_text(text: str) -> bool:
    """Whether a cell's text names a total row (合计, 总分 …; vocabulary.yaml)."""
    key = nfkc(text).replace(" ", "")
    return bool(vocabulary().total_words.match(key) or _TOTAL_SPACED.match(key))


def is_footer_text(text: str) -> bool:
    """Whether a cell's text starts a footer row (评价结论, 填报人 …; vocabulary.yaml)."""
    return bool(vocabulary().footer_words.match(nfkc(text).replace(" ", "")))


@dataclass(frozen=True)
class SheetCell:
    """A cell read from the sheet: its value and position, with its number format."""

    value: Any
    row: int
    col: int
    number_format: str = "General"

    @property
    def ref(self) -> str:
        """The A1 address, e.g. ``D7``."""
        return cell_ref(self.row, self.col)

    @property
    def blank(self) -> bool:
        """True when the cell is empty."""
        return is_blank(self.value)


@dataclass
class SheetRow:
    """One row below the header: its indicator labels (一级 down) and its recognised cells."""

    row: int
    labels: list[tuple[Label, SheetCell]]
    cells: dict[str, SheetCell]
    is_total: bool = False

    def get(self, role: str) -> SheetCell | None:
        """The cell of a role in this row, or None when the sheet has no such column."""
        return self.cells.get(role)


@dataclass
class SheetTable:
    """The score table found in a worksheet."""

    path: Path
    sheet: str
    sheet_names: list[str]
    header_rows: tuple[int, ...]
    columns: dict[str, int]
    rows: list[SheetRow] = field(default_factory=list)
    totals: list[SheetRow] = field(default_factory=list)
    reported_grade: SheetCell | None = None
    unit_name: str | None = None
    title: str | None = None
    grid: Grid | None = None
    funds: dict[str, SheetCell] = field(default_factory=dict)
    named_funds: dict[str, SheetCell] | None = None  # funds figures in named cells, read on demand
    funds_parts: list[tuple[str, dict[str, SheetCell]]] = field(default_factory=list)
    """The rows below the funds total (其中:本年财政拨款, 其他资金 …): label and cells by role."""
    level_points: dict[int, int] = field(default_factory=dict)
    """Level column → the column beside it holding that level's 分值 (a header with one 分值
    column per level); empty for the usual header."""
    side_by_side: list[tuple[int, int]] = field(default_factory=list)
    """Column spans (first, last) of the score tables standing side by side on this sheet,
    when there are two or more (this table is read from the first only); see
    :func:`table_spans`."""
    notes: list[str] = field(default_factory=list)
    """What the reader tells the user about how it read the sheet (which sheet of several, rows
    read without a name); every output that shows notes shows these."""
    """The funds block above a 项目支出 table (年初预算数, 全年预算数, 全年执行数, 分值, 执行率,
    得分 of the 年度资金总额 row), by role; empty when the sheet has none."""

    @property
    def level_columns(self) -> list[int]:
        """Columns that hold indicator names, 一级 first."""
        cols = [self.columns[r] for r in LEVEL_ROLES if r in self.columns]
        return cols or ([self.columns["name"]] if "name" in self.columns else [])

    @property
    def single_name_column(self) -> bool:
        """True when one 指标名称 column holds every level."""
        return not any(r in self.columns for r in LEVEL_ROLES)


@dataclass(frozen=True)
class _Header:
    rows: tuple[int, ...]
    columns: dict[str, int]
    level_points: dict[int, int] = field(default_factory=dict)
    """Level column → the column beside it that holds that level's 分值 (see
    :func:`_per_level_points`); empty for the usual one-分值-column header."""

    @property
    def quality(self) -> tuple[int, int]:
        return (len(self.columns), -len(self.rows))


def find_header(grid: Grid, scan_rows: int = HEADER_SCAN_ROWS) -> _Header | None:
    """The best header in the first rows: one row or two, with a name and a score column."""
    best: _Header | None = None
    limit = min(grid.max_row, scan_rows)
    for r in range(1, limit + 1):
        if best is not None and r > max(best.rows) + 2:
            break  # below a header come data rows; a header is never under its own data
        for rows in ((r,), (r, r + 1)) if r < grid.max_row else ((r,),):
            columns, level_points = _header_columns(grid, rows)
            has_name = any(k in columns for k in (*LEVEL_ROLES, "name"))
            if not has_name or not ({"score", "review"} & columns.keys()):
                continue
            candidate = _Header(rows, columns, level_points)
            if best is None or candidate.quality > best.quality:
                best = candidate
    return best


def _header_columns(grid: Grid, rows: tuple[int, ...]) -> tuple[dict[str, int], dict[int, int]]:
    columns: dict[str, int] = {}
    by_col: dict[int, str] = {}
    for c in range(1, grid.max_col + 1):
        # In a two-row header the lower row is the more specific one ("一级指标" under "绩效指标").
        roles = [role_of(grid.value(r, c)) for r in rows]
        role = next((x for x in reversed(roles) if x), None)
        if role:
            by_col[c] = role
        if role and role not in columns:
            columns[role] = c
    if any(r in columns for r in LEVEL_ROLES):
        columns.pop("name", None)
    return _per_level_points(columns, by_col)


def header_level_points(
    grid: Grid, rows: tuple[int, ...], columns: dict[str, int]
) -> tuple[dict[str, int], dict[int, int]]:
    """The columns of a header, and its per-level 分值 columns (see :func:`_per_level_points`)."""
    by_col: dict[int, str] = {}
    for c in range(1, grid.max_col + 1):
        roles = [role_of(grid.value(r, c)) for r in rows]
        role = next((x for x in reversed(roles) if x), None)
        if role:
            by_col[c] = role
    return _per_level_points(columns, by_col)


def _per_level_points(
    columns: dict[str, int], by_col: dict[int, str]
) -> tuple[dict[str, int], dict[int, int]]:
    """A header that gives every level its own 分值 column, and the score the last column.

    "一级指标 | 得分 | 二级指标 | 得分 | 三级指标 | 得分 | 评价标准 | 指标说明 | 得分" (a published
    部门整体 form): the column right of each level holds that level's 分值 (the 一级's equals the
    sum of its 二级's), whatever its header says, and the rightmost 得分 column the score. Taken
    only when every level column has such a neighbour, a score column stands further right and
    no other 分值 column exists; the levels above the deepest get their 分值 as if written in
    their labels ("投入(16分)"), so the usual checks (children add up to the parent) apply.
    """
    levels = [columns[r] for r in LEVEL_ROLES if r in columns]
    beside = {c: c + 1 for c in levels if by_col.get(c + 1) in ("points", "score")}
    if len(levels) < 2 or len(beside) != len(levels):
        return columns, {}
    deepest = beside[levels[-1]]
    right = [c for c, role in by_col.items() if role == "score" and c > deepest]
    if not right or ("points" in columns and columns["points"] not in beside.values()):
        return columns, {}
    return {**columns, "points": deepest, "score": max(right)}, {c: beside[c] for c in levels[:-1]}


def columns_only(grid: Grid, first: int, last: int, *, name: str | None = None) -> Grid:
    """The grid with every cell outside columns ``first``..``last`` left empty.

    Cells keep their addresses (a finding still says K15), so one table of several side by side
    is read as if it stood alone. ``name`` renames the sheet (``表名!K:S``, what ``--sheet``
    chose, so that a result records which part was scored and ``verify`` re-reads that part);
    formulas are still looked up in the sheet itself.
    """
    first, last = min(first, last), max(first, last)
    rows = [[v if first <= c <= last else None for c, v in enumerate(line, start=1)] for line in grid.rows]
    merged = {k: o for k, o in grid.merged_from.items() if first <= k[1] <= last and first <= o[1] <= last}
    sheet, reader = grid.sheet, grid.formula_reader

    def formulas(path: Path, _name: str) -> dict[tuple[int, int], str]:
        return reader(path, sheet) if reader is not None else {}

    return dataclasses.replace(
        grid,
        sheet=name or grid.sheet,
        rows=rows,
        merged_from=merged,
        _max_col=None,
        _formulas=None,
        formula_reader=formulas if reader is not None else None,
    )


def table_spans(grid: Grid, rows: tuple[int, ...]) -> list[tuple[int, int]]:
    """The column spans of score tables standing side by side in one header, or [] for one.

    A header that names an indicator column again to the right of a score column, followed by
    a score column of its own, starts a second table there (two units' or projects' tables put
    next to each other). Each span runs from the column of its first header text to the column
    before the next table's first header text.
    """
    by_col: dict[int, str | None] = {}
    texts: dict[int, bool] = {}
    for c in range(1, grid.max_col + 1):
        roles = [role_of(grid.value(r, c)) for r in rows]
        by_col[c] = next((x for x in reversed(roles) if x), None)
        texts[c] = any(not is_blank(grid.value(r, c)) for r in rows)
    names = (*LEVEL_ROLES, "name")
    starts: list[int] = []
    seen: set[str] = set()  # the roles of the current table so far
    for c in range(1, grid.max_col + 1):
        role = by_col[c]
        if role is None:
            continue
        # A name column the current table already has, after its score column, begins the next
        # table (a 得分 column beside each level, "一级指标 | 得分 | 二级指标 | 得分", does not).
        if role in names and (not starts or ("score" in seen and role in seen)):
            if starts and not any(by_col[c2] == "score" for c2 in range(c + 1, grid.max_col + 1)):
                break  # names after the last score column: notes, not another table
            starts.append(c)
            seen = set()
        seen.add(role)
    if len(starts) < 2:
        return []
    firsts = []
    for i, c in enumerate(starts):
        low = starts[i - 1] + 1 if i else 1
        # the table begins with the header text just left of its first name column (绩效指标, 序号)
        while c - 1 >= low and texts[c - 1] and by_col[c - 1] not in ("score", "reason", "review"):
            c -= 1
        firsts.append(c)
    firsts[0] = 1
    ends = [firsts[i + 1] - 1 if i + 1 < len(firsts) else grid.max_col for i in range(len(firsts))]
    return _trimmed(grid, list(zip(firsts, ends, strict=True)))


def _trimmed(grid: Grid, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans without the empty columns at their right (between two tables: neither's)."""
    out = []
    for first, last in spans:
        while last > first and all(is_blank(line[last - 1]) for line in grid.rows if len(line) >= last):
            last -= 1
        out.append((first, last))
    return out


def tables_beside(grid: Grid, header: _Header) -> list[tuple[int, int]]:
    """Spans of this table and of another score table left or right of it whose header stands on
    another row (two units' tables side by side, one a few rows lower), or [] for none."""
    if len(grid.rows) * grid.max_col > MAX_BESIDE_CELLS:
        return []  # a huge grid: one look is all (a second table is told by the header row)
    used = [c for c in range(1, grid.max_col + 1) if any(not is_blank(grid.value(r, c)) for r in header.rows)]
    roles = sorted(header.columns.values())
    lo, hi = roles[0], roles[-1]
    while lo - 1 in used:
        lo -= 1
    while hi + 1 in used:
        hi += 1
    if hi < grid.max_col:
        right = find_header(columns_only(grid, hi + 1, grid.max_col))
        if right is not None:
            start = min(right.columns.values())
            return _trimmed(grid, [(1, start - 1), (start, grid.max_col)])
    if lo > 1:
        left = find_header(columns_only(grid, 1, lo - 1))
        if left is not None:
            return _trimmed(grid, [(1, lo - 1), (lo, grid.max_col)])
    return []


MAX_BESIDE_CELLS = 2_000_000
"""Largest grid looked at for a second table beside the first on another header row."""


def read_table(grid: Grid) -> SheetTable | None:
    """The score table of a worksheet, or None when no header is found."""
    header = find_header(grid)
    if header is None:
        return funds_only_table(grid)
    table = SheetTable(grid.path, grid.sheet, grid.sheet_names, header.rows, header.columns, grid=grid)
    table.level_points = dict(header.level_points)
    table.side_by_side = table_spans(grid, header.rows) or tables_beside(grid, header)
    if header.level_points:
        table.notes.append(level_points_note(header))
    level_cols = table.level_columns
    first_data = max(header.rows) + 1
    previous: list[tuple[Label, SheetCell]] = []
    roles = list(header.columns.items())
    unnamed: list[SheetRow] = []  # rows without a name, kept once a named sibling follows
    gaps: list[int] = []
    formats = grid.number_formats
    merged = grid.merged_from
    for r in range(first_data, grid.max_row + 1):
        # One pass over the row's own list: a junk row costs a few look-ups, not a cell object
        # per column (150,000 junk rows were read cell by cell several times over).
        line = grid.rows[r - 1]
        width = len(line)
        values = [line[c - 1] if c <= width else None for _, c in roles]
        if all(is_blank(v) for v in values):
            continue
        if _repeats_header(values, roles):
            continue  # the header printed again before each 一级 section
        if formats:
            cells = {
                role: SheetCell(v, r, c, formats.get(merged.get((r, c), (r, c)), "General"))
                for (role, c), v in zip(roles, values, strict=True)
            }
        else:
            cells = {role: SheetCell(v, r, c) for (role, c), v in zip(roles, values, strict=True)}
        if _is_total_row(line, level_cols):
            table.totals.append(SheetRow(r, [], cells, is_total=True))
            unnamed = []  # a total row ends the run: rows before it are not between siblings
            continue
        labels = _row_labels(grid, r, level_cols, previous, table.level_points)
        if labels is None:
            gap = unnamed_row_labels(r, previous, cells)
            if gap is not None:
                unnamed.append(SheetRow(r, gap, cells))
            continue
        if unnamed:
            kept = named_gaps(unnamed, labels)
            table.rows.extend(kept)
            gaps.extend(row.row for row in kept)
            unnamed = []
        if labels[-1][0].key in _SUBTOTAL_KEYS:
            labels = labels[:-1]
            if not labels:
                continue  # a 小计 with no group named: nothing to check it against
        if _is_note_row(labels, cells):
            continue
        table.rows.append(SheetRow(r, labels, cells))
        previous = labels
    if gaps:
        table.notes.append(unnamed_rows_note(gaps))
    table.reported_grade = _find_grade(grid)
    table.unit_name, table.title = _find_unit_and_title(grid, min(header.rows))
    above = find_header_total(grid, min(header.rows))
    if above is not None:
        table.totals.append(above)
    table.funds = find_funds(grid, min(header.rows))
    table.funds_parts = find_funds_parts(grid, min(header.rows), table.funds)
    return table


def funds_only_table(grid: Grid) -> SheetTable | None:
    """A sheet that holds only the funds block (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 |
    得分) and no indicator table: a table without indicator rows whose funds are scored.

    Only a block with both a 分值 and a 得分 column counts (a budget table with amounts alone is
    no score sheet).
    """
    scan = min(grid.max_row, HEADER_SCAN_ROWS)
    funds = find_funds(grid, scan + 1)
    if "points" not in funds or "score" not in funds:
        return None
    score_col = funds["score"].col
    first = funds["score"].row
    header_row = next(
        (r for r in range(first - 1, 0, -1) if role_of(grid.value(r, score_col)) == "score"), first - 1
    )
    columns = {"points": funds["points"].col, "score": score_col}
    table = SheetTable(grid.path, grid.sheet, grid.sheet_names, (header_row,), columns, grid=grid)
    table.funds = funds
    table.funds_parts = find_funds_parts(grid, scan + 1, funds)
    table.unit_name, table.title = _find_unit_and_title(grid, header_row)
    table.notes.append(
        f"工作表“{grid.sheet}”只有资金情况一块（第 {header_row} 行起），没有绩效指标表：只按预算执行率计分"
    )
    return table


FUNDS_ROLES = ("budget_initial", "budget", "spent", "points", "execution_rate", "score")
_FUNDS_TOTAL = re.compile(r"^(年度资金总额|资金总额|项目资金总额|合计|总计|小计|年度资金合计)[:：]?$")


def find_funds(grid: Grid, header_row: int) -> dict[str, SheetCell]:
    """The funds block above the indicator table (项目支出绩效自评表), by role.

    Its header row names at least two of 年初预算数 / 全年预算数 / 全年执行数; its figures are
    read from the row labelled 年度资金总额 (or 合计), else from the first row below the header
    with a 全年预算数 or 全年执行数.
    """
    for r in range(1, header_row):
        columns: dict[str, int] = {}
        for c in range(1, grid.max_col + 1):
            role = role_of(grid.value(r, c))
            if role in FUNDS_ROLES and role not in columns:
                columns[role] = c
        if sum(1 for k in ("budget_initial", "budget", "spent") if k in columns) < 2:
            continue
        first = min(columns.values())
        chosen: int | None = None
        for r2 in range(r + 1, header_row):
            labels = [nfkc(clean_text(grid.value(r2, c))).replace(" ", "") for c in range(1, first)]
            if any(_FUNDS_TOTAL.match(t) for t in labels if t):
                chosen = r2
                break
            # The figures of the total row: amounts, else (amounts lost) its 分值 / 得分.
            figures = [
                grid.value(r2, columns[k]) for k in ("budget", "spent", "points", "score") if k in columns
            ]
            if chosen is None and any(not is_blank(v) for v in figures):
                chosen = r2
        if chosen is None:
            return {}
        return {
            role: SheetCell(grid.value(chosen, c), chosen, c, grid.number_format(chosen, c))
            for role, c in columns.items()
        }
    return {}


def find_funds_parts(
    grid: Grid, header_row: int, funds: dict[str, SheetCell]
) -> list[tuple[str, dict[str, SheetCell]]]:
    """The rows under the funds total row (其中 …) that hold a 预算数 or 执行数."""
    if not funds:
        return []
    total_row = next(iter(funds.values())).row
    first = min(c.col for c in funds.values())
    parts = []
    for r in range(total_row + 1, header_row):
        labels = [clean_text(grid.value(r, c)) for c in range(1, first)]
        label = next((t for t in reversed(labels) if t), "")
        cells = {
            role: SheetCell(grid.value(r, cell.col), r, cell.col, grid.number_format(r, cell.col))
            for role, cell in funds.items()
        }
        if any(role_of(t) for t in labels if t) or any(role_of(c.value) for c in cells.values()):
            break  # the next header: the funds block ends
        if label and any(not cells[k].blank for k in ("budget", "spent") if k in cells):
            parts.append((label, cells))
    return parts


def _row_is_total(grid: Grid, r: int, level_cols: list[int]) -> bool:
    """Whether row ``r`` is a 合计/总计 row: its first non-empty level (else any) cell says so."""
    return _is_total_row(grid.rows[r - 1] if 1 <= r <= grid.max_row else [], level_cols)


def _is_total_row(line: list[Any], level_cols: list[int]) -> bool:
    width = len(line)
    # The first non-empty cell decides: the level columns first, then the row left to right.
    # Only that cell's text is looked at (the whole row only for a footer line).
    for c in (*level_cols, *range(1, width + 1)):
        if 1 <= c <= width and line[c - 1] is not None:
            text = clean_text(line[c - 1])
            if not text:
                continue
            if is_total_text(text):
                return True
            # A footer that also holds the totals ("其他需要说明事项 | 无 | 总分 | 100 | 96").
            return is_footer_text(text) and any(is_total_text(t) for t in (clean_text(v) for v in line) if t)
    return False


def level_points_note(header: _Header) -> str:
    """What a user is told when each level's 分值 is read from the column beside it."""
    beside = "、".join(f"{get_column_letter(c)}列" for c in header.level_points.values())
    last = get_column_letter(header.columns["points"])
    score = get_column_letter(header.columns["score"])
    return (
        f"表头中每级指标右边各有一列（{beside}、{last}列），按该级指标的分值读（不论表头写的是“分值”"
        f"还是“得分”）；最右的{score}列按自评得分读"
    )


def _row_labels(
    grid: Grid,
    r: int,
    level_cols: list[int],
    previous: list[tuple[Label, SheetCell]],
    level_points: dict[int, int] | None = None,
) -> list[tuple[Label, SheetCell]] | None:
    """The path of labels in a row, blank levels filled from the row above.

    ``level_points`` (level column → its 分值 column) gives a label the 分值 beside it, as if
    written inside it.
    """
    raw: list[SheetCell | None] = []
    for i, c in enumerate(level_cols):
        value = grid.value(r, c)
        origin = grid.merged_from.get((r, c))
        # A label merged across level columns (加减分项 over 一级..三级) counts once.
        if origin and origin[0] == r and origin[1] in level_cols[:i]:
            value = None
        raw.append(None if is_blank(value) else SheetCell(value, *(origin or (r, c))))
    deepest = max((i for i, cell in enumerate(raw) if cell is not None), default=-1)
    if deepest < 0:
        return None
    path: list[tuple[Label, SheetCell]] = []
    for i in range(deepest + 1):
        cell = raw[i]
        if cell is None:
            # From the row above, if its label at this position stands in this level's column
            # (not when that row's labels started lower, their upper levels lost).
            if i < len(previous) and previous[i][1].col <= level_cols[i]:
                path.append(previous[i])
                continue
            if not path:
                continue  # upper levels left blank from the top (labels lost): start lower
            return path  # a gap with nothing above: keep what we have
        label = split_label(cell.value)
        beside = level_points.get(level_cols[i]) if level_points else None
        if beside is not None and label.points is None:
            points = grid.value(cell.row, beside)
            if not is_blank(points) and _is_number(points):
                label = dataclasses.replace(label, points=parse_decimal(points))
        if path and path[-1][0].key == label.key:
            continue  # the same name typed again in the next level column
        path.append((label, cell))
    return path


UNNAMED = "第{row}行（无指标名称）"
"""The name given to a row that has a 分值 and a 得分 but no indicator name."""


def unnamed_row_labels(
    r: int, previous: list[tuple[Label, SheetCell]], cells: dict[str, SheetCell]
) -> list[tuple[Label, SheetCell]] | None:
    """The labels of a row with a 分值 and a 得分 but no name in any level column, or None.

    Copies of published sheets lose names (a flattened page drops a cell) and people leave a
    name blank; the row's figures still count towards its parent. It is read as a sibling of
    the indicator above, named by its row (:data:`UNNAMED`). The caller keeps it only when a
    named row of the same level follows (:func:`named_gaps`): a row of bare figures below the
    last indicator is a total or a note, never an indicator.
    """
    if not previous:
        return None
    for role in ("points", "score"):
        cell = cells.get(role)
        if cell is None or cell.blank or not _is_number(cell.value):
            return None
    name = UNNAMED.format(row=r)
    col = previous[-1][1].col
    return [*previous[:-1], (split_label(name), SheetCell(name, r, col))]


def named_gaps(unnamed: list[SheetRow], following: list[tuple[Label, SheetCell]]) -> list[SheetRow]:
    """The unnamed rows that sit between two named siblings (same parent, same level column)."""
    if not unnamed:
        return []
    first = unnamed[0].labels
    same_parent = [lab.key for lab, _ in first[:-1]] == [lab.key for lab, _ in following[:-1]]
    if same_parent and first[-1][1].col == following[-1][1].col:
        return unnamed
    return []


def unnamed_rows_note(rows: list[int]) -> str:
    """The note that says which rows were read without a name."""
    listed = "、".join(str(r) for r in rows[:10]) + ("……" if len(rows) > 10 else "")
    return (
        f"第 {listed} 行有分值和得分但没有指标名称（可能在复制或填写时丢失），"
        f"已按“{UNNAMED.format(row=rows[0])}”这样的名称读入并计入上级指标，请核对"
    )


def _is_number(value: object) -> bool:
    try:
        parse_decimal(value)
    except NotANumber:
        return False
    return True


def _is_note_row(labels: list[tuple[Label, SheetCell]], cells: dict[str, SheetCell]) -> bool:
    first = nfkc(labels[0][0].text).replace(" ", "")
    if _GRADE_INLINE.match(first) or _GRADE_LABEL.match(first):
        return True  # "等级 | 优": the grade line below a table, checked separately
    if is_footer_text(first):
        return True  # "说明：… | …", "审核人： | … | 2024年3月1日": notes and signatures under a table
    numeric = [cells[r] for r in ("points", "score", "rate") if r in cells]
    if any(not c.blank for c in numeric):
        return False
    label = labels[-1][0]
    return len(label.text) > 40 or is_footer_text(label.text)


def _find_grade(grid: Grid) -> SheetCell | None:
    """A grade the sheet states about itself ("绩效等级：优", or 等级 with the label beside it)."""
    for r, line in grid.iter_rows():
        for c, value in enumerate(line, start=1):
            if not isinstance(value, str) or "等级" not in value or grid.merged_from.get((r, c)):
                continue
            text = nfkc(value).replace(" ", "")
            m = _GRADE_INLINE.match(text)
            if m:
                return SheetCell(m.group(1), r, c)
            if _GRADE_LABEL.match(text):
                for c2 in range(c + 1, min(c + 4, len(line) + 1)):
                    beside = line[c2 - 1]
                    if not is_blank(beside) and (r, c2) not in grid.merged_from:
                        return SheetCell(clean_text(beside).strip("“”\"'"), r, c2)
    return None


_HEADER_TOTAL_KEYS = frozenset(
    {"自评得分", "自评总分", "自评分", "总得分", "自评得分合计", "综合得分"}  # not 总分: often the 分值
)


def find_header_total(grid: Grid, header_row: int) -> SheetRow | None:
    """A total printed in the block above the table ("自评得分 | 98" beside the project name).

    Some forms state the total once, in the header block, instead of a 合计 row below the
    table. It is read as a total row (its score compared like a 合计's): the label names the
    self-assessed total and the next filled cell to its right is a number. A funds block's
    得分 column (a header over figures below it) is not such a label.
    """
    for r in range(1, header_row):
        line = grid.rows[r - 1]
        for c, value in enumerate(line, start=1):
            if not isinstance(value, str) or header_key(value).rstrip(":：") not in _HEADER_TOTAL_KEYS:
                continue
            beside = next(((c2, v) for c2, v in enumerate(line[c:], start=c + 1) if not is_blank(v)), None)
            if beside is None or not _is_number(beside[1]):
                continue
            cell = SheetCell(beside[1], r, beside[0], grid.number_format(r, beside[0]))
            return SheetRow(r, [], {"score": cell}, is_total=True)
    return None


def _find_unit_and_title(grid: Grid, header_row: int) -> tuple[str | None, str | None]:
    unit: str | None = None
    title: str | None = None
    for r in range(1, header_row):
        for value in grid.rows[r - 1]:
            text = clean_text(value)
            if not text:
                continue
            m = _UNIT.match(nfkc(text))
            if m and unit is None:
                unit = _UNIT_TAIL.sub("", m.group(1)).strip() or None
            elif _UNIT_LABEL.match(nfkc(text)) and unit is None:
                beside = [clean_text(v) for v in grid.rows[r - 1] if clean_text(v)]
                after = beside[beside.index(text) + 1 :] if text in beside else []
                unit = after[0] if after else None
            elif title is None and len(text) >= 4 and not _UNIT_LABEL.match(nfkc(text)):
                title = text
    return unit, title
