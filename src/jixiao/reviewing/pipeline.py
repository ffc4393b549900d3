"""Read the inputs of a review (复核) and compare them: one sheet with both columns, or two files.

The reviewer's scores go through the same matcher as the department's: in one sheet, a copy of
the table whose score column is the review column (复核得分/评价得分/财政评分/专家评分/复核分)
and whose reason column is the reviewer's (复核意见, or a 扣分原因 column right of the review
column); in two files, the reviewer's own table. The matcher's findings about the reviewer's
cells are re-labelled as review findings (复核得分 …), and the two trees are paired by path in
:mod:`jixiao.reviewing.compare`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from jixiao import findings as F
from jixiao.errors import SheetError, UsageError
from jixiao.findings import Finding
from jixiao.framework.load import LoadedFramework
from jixiao.framework.models import Framework
from jixiao.matching import Match, match
from jixiao.matching.tree import NodeInput
from jixiao.read.dispatch import load_grids
from jixiao.read.named_cells import named_funds
from jixiao.read.table import SheetCell, SheetRow, SheetTable, read_table, role_of
from jixiao.reviewing.compare import (
    Comparison,
    ReviewEntry,
    Settings,
    Side,
    SideFinding,
    State,
    compare,
    leaves,
)
from jixiao.scoring.checks import check_reported
from jixiao.scoring.evaluation import Evaluation, SourceFile
from jixiao.scoring.pipeline import score_file, sha256_file
from jixiao.values import exact

REVIEW_COLUMN_NAMES = "复核得分、评价得分、财政评分、财政赋分、专家评分、复核分"

# Matcher findings about a review cell, re-labelled: the message must say 复核得分, not 自评得分.
_RETAG = {
    "score-not-a-number": "review-score-not-a-number",
    "score-above-max": "review-score-above-max",
    "score-below-min": "review-score-below-min",
    "score-precision": "review-score-precision",
}
# Replaced by the comparison's own findings (blank review cells, reviewer deductions).
_REPLACED = {"score-missing", "deduction-without-reason"}
# In two files the pairing reports indicators present on one side only, leaf by leaf.
_REPLACED_TWO_FILES = _REPLACED | {"indicator-missing", "children-points-sum", "children-missing"}


@dataclass
class Review:
    """Everything known after a review; ``comparison`` is None when the self side has errors."""

    framework: LoadedFramework
    self_ev: Evaluation
    review_source: SourceFile
    two_files: bool
    settings: Settings
    comparison: Comparison | None
    findings: list[SideFinding]

    @property
    def ok(self) -> bool:
        """True when the final figures were calculated (warnings allowed)."""
        return self.comparison is not None and self.comparison.final_result is not None

    def source(self, side: Side) -> SourceFile:
        """The file a side was read from."""
        return self.self_ev.source if side is Side.SELF else self.review_source


def review_sheet(
    path: str | Path,
    framework: str | Path | LoadedFramework | None = None,
    *,
    sheet: str | None = None,
    settings: Settings | None = None,
) -> Review:
    """Review one sheet that carries both the self score and the reviewer's column."""
    settings = settings or Settings()
    self_ev = score_file(path, framework, sheet=sheet)
    table = self_ev.table
    if "review" not in table.columns:
        raise SheetError(
            table.path,
            f"工作表“{table.sheet}”中没有复核得分列（{REVIEW_COLUMN_NAMES}）。"
            "如复核结果在另一个文件中，请给出两个文件：jixiao review 自评表.xlsx 复核表.xlsx",
        )
    if self_ev.result is None:
        return _self_errors(self_ev, self_ev.source, False, settings)
    review_table = as_review_table(table)
    return _compare(self_ev, review_table, self_ev.source, False, settings)


def review_sheets(
    self_path: str | Path,
    review_path: str | Path,
    framework: str | Path | LoadedFramework | None = None,
    *,
    sheet: str | None = None,
    review_sheet_name: str | None = None,
    settings: Settings | None = None,
) -> Review:
    """Review a department's sheet against the reviewer's own sheet, matched by indicator."""
    settings = settings or Settings()
    self_ev = score_file(self_path, framework, sheet=sheet)
    review_path = Path(review_path)
    table = _review_table(review_path, review_sheet_name)
    if "review" in table.columns:
        table = as_review_table(table)
    elif "review_reason" in table.columns:
        table = _with_review_reason(table)
    source = SourceFile(review_path, sha256_file(review_path), table.sheet, tuple(table.sheet_names))
    if self_ev.result is None:
        return _self_errors(self_ev, source, True, settings)
    return _compare(self_ev, table, source, True, settings)


def as_review_table(table: SheetTable) -> SheetTable:
    """A copy of ``table`` whose score and reason columns are the reviewer's."""
    review_col = table.columns["review"]
    reason_col = table.columns.get("review_reason") or _reason_after(table, review_col)
    columns = {
        k: v
        for k, v in table.columns.items()
        if k not in ("score", "reason", "rate", "review", "review_reason")
    }
    columns["score"] = review_col
    if reason_col is not None:
        columns["reason"] = reason_col

    def remap(row: SheetRow) -> SheetRow:
        cells = {
            k: v
            for k, v in row.cells.items()
            if k not in ("score", "reason", "rate", "review", "review_reason")
        }
        cells["score"] = row.cells["review"]
        if reason_col is not None:
            cells["reason"] = row.cells.get("review_reason") or _cell(table, row.row, reason_col)
        return SheetRow(row.row, row.labels, cells, row.is_total)

    return replace(
        table,
        columns=columns,
        rows=[remap(r) for r in table.rows],
        totals=[remap(r) for r in table.totals],
        reported_grade=None,  # a grade stated in the sheet is the department's
    )


def _with_review_reason(table: SheetTable) -> SheetTable:
    """A reviewer's table scored under 得分: its reason is the 复核意见 column, not 扣分原因."""
    col = table.columns["review_reason"]
    columns = {k: v for k, v in table.columns.items() if k not in ("reason", "review_reason")}
    columns["reason"] = col

    def remap(row: SheetRow) -> SheetRow:
        cells = {k: v for k, v in row.cells.items() if k not in ("reason", "review_reason")}
        reason = row.cells.get("review_reason")
        if reason is None and table.grid is not None:
            reason = _cell(table, row.row, col)
        if reason is not None:
            cells["reason"] = reason
        return SheetRow(row.row, row.labels, cells, row.is_total)

    return replace(
        table,
        columns=columns,
        rows=[remap(r) for r in table.rows],
        totals=[remap(r) for r in table.totals],
    )


def _cell(table: SheetTable, row: int, col: int) -> SheetCell:
    grid = table.grid
    assert grid is not None
    return SheetCell(grid.value(row, col), row, col, grid.number_format(row, col))


def _reason_after(table: SheetTable, review_col: int) -> int | None:
    """A 扣分原因/说明 column right of the review column, other than the department's."""
    grid = table.grid
    if grid is None:
        return None
    own = table.columns.get("reason")
    for c in range(review_col + 1, grid.max_col + 1):
        if c != own and any(role_of(grid.value(r, c)) == "reason" for r in table.header_rows):
            return c
    return None


def _review_table(path: Path, sheet: str | None) -> SheetTable:
    grids = load_grids(path)
    names = [g.sheet for g in grids]
    if sheet is not None:
        chosen = [g for g in grids if g.sheet == sheet]
        if not chosen:
            raise UsageError(f"{path}：没有名为“{sheet}”的工作表。工作表有：{'、'.join(names)}")
        grids = chosen
    tables = [t for t in (read_table(g) for g in grids) if t is not None and t.rows]
    if len(tables) > 1:
        with_review = [t for t in tables if "review" in t.columns]
        tables = with_review if len(with_review) == 1 else tables
    if not tables:
        raise SheetError(path, "没有找到评分表的表头（需要指标名称列，以及复核得分或得分列）")
    if len(tables) > 1:
        listing = "、".join(t.sheet for t in tables)
        raise SheetError(path, f"有多个工作表像评分表（{listing}），请用 --review-sheet 指定其中一个")
    return tables[0]


def _self_errors(ev: Evaluation, source: SourceFile, two: bool, settings: Settings) -> Review:
    found = [SideFinding(Side.SELF, f) for f in ev.findings]
    return Review(ev.framework, ev, source, two, settings, None, found)


@exact
def _compare(
    self_ev: Evaluation, table: SheetTable, source: SourceFile, two: bool, settings: Settings
) -> Review:
    fw = self_ev.framework.framework
    assert self_ev.result is not None
    outcome = match(table, fw, named_funds=named_funds)
    self_tree = _self_tree(self_ev)
    self_leaves = dict(leaves(self_tree))
    entries, review_found = _entries(outcome, table, fw, self_leaves, two)
    if not two:
        seen = {(f.code, f.cell) for f in self_ev.findings}
        review_found = [f for f in review_found if (f.code, f.cell) not in seen]
    comparison = compare(
        fw,
        self_tree,
        entries,
        settings,
        self_sheet=self_ev.source.sheet,
        review_sheet=table.sheet,
        review_name=source.path.name,
        self_name=self_ev.source.path.name,
        extra_errors=F.has_errors(review_found),
    )
    if comparison.review_result is not None:
        reported = check_reported(
            fw, comparison.review_result, outcome.inputs, outcome.reported, None, table.sheet
        )
        if not two:
            seen = {(f.code, f.cell) for f in self_ev.findings}
            reported = [f for f in reported if (f.code, f.cell) not in seen]
        review_found += reported
    found = [SideFinding(Side.SELF, f) for f in self_ev.findings]
    found += [SideFinding(Side.REVIEW, f) for f in review_found]
    found += comparison.findings
    found.sort(key=lambda s: (F.sort_key(s.finding), str(s.side)))
    return Review(self_ev.framework, self_ev, source, two, settings, comparison, found)


def _self_tree(ev: Evaluation) -> list[NodeInput]:
    """The department's matched tree, rebuilt from the evaluation's table."""
    outcome = match(ev.table, ev.framework.framework, named_funds=named_funds)
    assert outcome.tree is not None
    return outcome.tree


def _entries(
    outcome: Match,
    table: SheetTable,
    fw: Framework,
    self_leaves: dict[tuple[str, ...], NodeInput],
    two: bool,
) -> tuple[dict[tuple[str, ...], ReviewEntry], list[Finding]]:
    """The reviewer's entry for every indicator, and the review side's own findings."""
    entries: dict[tuple[str, ...], ReviewEntry] = {}
    for path, node in outcome.inputs.items():
        for sub, leaf in leaves([node], path[:-1]):
            entries.setdefault(sub, ReviewEntry(State.GIVEN, leaf.score, leaf.points, leaf.cell, leaf.reason))
    replaced = _REPLACED_TWO_FILES if two else _REPLACED
    found: list[Finding] = []
    given = set(entries)
    for f in outcome.findings:
        if f.is_error and f.path in self_leaves and f.path not in given:
            before = entries.get(f.path)
            blank = f.code == "score-missing" and before is None
            entries[f.path] = ReviewEntry(State.BLANK if blank else State.INVALID, cell=f.cell)
        if f.code in replaced:
            continue
        found.append(_retag(f, fw, self_leaves) if f.code in _RETAG else f)
    return entries, found


def _retag(f: Finding, fw: Framework, self_leaves: dict[tuple[str, ...], NodeInput]) -> Finding:
    """The matcher's finding about a review cell, worded for the review score (from its values)."""
    values = f.values
    node = self_leaves.get(f.path)
    points = node.points if node is not None else values.get("points")
    return F.make(
        _RETAG[f.code],
        position=f.position,
        path=f.path,
        value=values.get("value", ""),
        why=values.get("why", ""),
        score=values.get("score", values.get("value", "")),
        points=points if points is not None else "",
        minimum=values.get("minimum", 0),
        precision=values.get("precision", fw.precision),
    )


def sources(review: Review) -> Sequence[tuple[str, SourceFile]]:
    """The input files with their role: one sheet with both columns, or self and review."""
    if not review.two_files:
        return [("self+review", review.self_ev.source)]
    return [("self", review.self_ev.source), ("review", review.review_source)]
