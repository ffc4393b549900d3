"""The batch summary: ranks within each framework, grade counts, 得分率 statistics per indicator.

Accumulated outcome by outcome, so a province's batch never holds its workbooks in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.batch.discover import discover
from jixiao.batch.run import FileOutcome, iter_outcomes
from jixiao.matching.sheet_tree import SHEET_FRAMEWORK_ID

if TYPE_CHECKING:
    import pandas

RANK_COLUMN = "框架内排名"  # departments are ranked only against sheets of the same framework


@dataclass
class IndicatorStats:
    """得分率 of one indicator across departments: count, average, minimum, maximum."""

    framework_id: str
    path: tuple[str, ...]
    count: int = 0
    rate_sum: Decimal = Decimal(0)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    lost_sum: Decimal = Decimal(0)

    def add(self, points: Decimal | None, score: Decimal, rate: Decimal | None) -> None:
        """Count one department's figures for this indicator."""
        if rate is None:
            return
        self.count += 1
        self.rate_sum += rate
        self.minimum = rate if self.minimum is None else min(self.minimum, rate)
        self.maximum = rate if self.maximum is None else max(self.maximum, rate)
        if points is not None:
            self.lost_sum += points - score

    @property
    def average(self) -> Decimal | None:
        """The exact mean 得分率 (unrounded; writers round for display only)."""
        return self.rate_sum / self.count if self.count else None


@dataclass(frozen=True)
class Resubmission:
    """Several files from one unit (same name, or the same file content): the newest counts."""

    kept: FileOutcome
    older: tuple[FileOutcome, ...]
    reason: str  # 单位名称相同 / 文件内容相同


_RESUBMISSION_SUFFIX = re.compile(
    r"(?:[\s_\-—]*(?:修改版?|修订版?|更正版?|最终版|终版|定稿|新版|重报|补报|副本|v\d+|第\d+版|\d+版)"
    r"|\s*[（(](?:\d+|修改版?|修订版?|更正版?|最终版|重报|补报|副本)[)）])$",
    re.IGNORECASE,
)


def unit_key(outcome: FileOutcome) -> str:
    """What identifies the unit a file came from: its name, without "_修改版" and the like."""
    from jixiao.values import name_key

    # A title shared by every copy of a form says nothing about who sent it: then the file name.
    name = (outcome.unit if outcome.unit_stated else None) or outcome.file_stem
    previous = None
    while previous != name:
        previous, name = name, _RESUBMISSION_SUFFIX.sub("", name)
    return name_key(name or outcome.file_stem)


@dataclass
class BatchSummary:
    """What the summary needs, accumulated outcome by outcome (no workbook is kept).

    Departments are compared only within their framework: 排名 is the rank among sheets of the
    same framework, and when several frameworks are present each 一级 subtotal column belongs
    to one framework (its header names it), so no column mixes different indicators or maxima.

    A unit that sent several files (same unit name, or byte-identical files) is a resubmission:
    only the newest file counts in ranks and statistics, unless ``count_resubmissions`` is set;
    either way :meth:`resubmissions` lists them.
    """

    scored: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)
    first_levels: list[tuple[str, str]] = field(default_factory=list)  # (framework id, 一级 name)
    grade_labels: list[str] = field(default_factory=list)
    count_resubmissions: bool = False

    def add(self, outcome: FileOutcome) -> None:
        """Take one outcome; only its small figures are kept (findings only for failed files)."""
        if outcome.skipped is not None:
            self.skipped.append(replace(outcome, indicators=(), findings=()))
            return
        if not outcome.ok:
            self.failed.append(replace(outcome, indicators=()))
            return
        # The indicator figures are kept (a few numbers each): which file of a resubmitted unit
        # counts is known only when every file is in.
        self.scored.append(replace(outcome, findings=(), warning_count=outcome.warnings))
        fid = outcome.framework_id or ""
        for s in outcome.subtotals:
            if (fid, s.name) not in self.first_levels:
                self.first_levels.append((fid, s.name))
        for label in outcome.grade_order:
            if label not in self.grade_labels:
                self.grade_labels.append(label)

    def resubmissions(self) -> list[Resubmission]:
        """Units that sent more than one scored file, the newest file first (then input order)."""
        groups: list[list[FileOutcome]] = []
        reasons: list[str] = []
        where: dict[object, int] = {}
        for o in self.scored:
            keys: list[tuple[object, str]] = [(("unit", unit_key(o)), "单位名称相同")]
            if o.sha256:
                keys.append((("sha", o.sha256), "文件内容相同"))
            hit = next(((where[k], why) for k, why in keys if k in where), None)
            if hit is None:
                index = len(groups)
                groups.append([o])
                reasons.append("")
            else:
                index, why = hit
                groups[index].append(o)
                reasons[index] = reasons[index] or why
            for k, _ in keys:
                where.setdefault(k, index)
        out = []
        for members, reason in zip(groups, reasons, strict=True):
            if len(members) < 2:
                continue
            order = sorted(range(len(members)), key=lambda i: (members[i].modified or 0, i), reverse=True)
            newest = members[order[0]]
            out.append(Resubmission(newest, tuple(members[i] for i in order[1:]), reason))
        return out

    @property
    def counted(self) -> list[FileOutcome]:
        """The scored files that count in ranks and statistics (input order)."""
        if self.count_resubmissions:
            return list(self.scored)
        older = {id(o) for r in self.resubmissions() for o in r.older}
        return [o for o in self.scored if id(o) not in older]

    @property
    def indicators(self) -> dict[tuple[str, tuple[str, ...]], IndicatorStats]:
        """得分率 statistics of every indicator, over the files that count."""
        stats: dict[tuple[str, tuple[str, ...]], IndicatorStats] = {}
        for o in self.counted:
            fid = o.framework_id or ""
            for path, points, score, rate in o.indicators:
                key = (fid, path)
                item = stats.get(key)
                if item is None:
                    item = stats[key] = IndicatorStats(fid, path)
                item.add(points, score, rate)
        return stats

    @property
    def kinds(self) -> list[str]:
        """The kinds of framework (部门整体支出, 项目支出) of the counted files, in order."""
        return list(dict.fromkeys(o.framework_kind or "" for o in self.counted))

    def grade_counts_by_kind(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Departments per grade, separately for each kind of framework."""
        out = []
        for kind in self.kinds:
            same = [o for o in self.counted if (o.framework_kind or "") == kind]
            out.append((kind, _grade_counts(same, self.grade_labels)))
        return out

    @property
    def frameworks(self) -> list[str]:
        """The frameworks of the scored sheets, in order of first appearance."""
        return list(dict.fromkeys(o.framework_id or "" for o in self.counted))

    def ranks(self) -> dict[int, int]:
        """Rank by total within each framework, highest first; ties share a rank (1, 2, 2, 4).

        Keyed by id() of the outcome.
        """
        ranks: dict[int, int] = {}
        counted = self.counted
        for fid in self.frameworks:
            same = [o for o in counted if (o.framework_id or "") == fid]
            # Sheets scored by their own trees have each their own 分值 (100, 90, 110 …): their
            # totals are not comparable, their 得分率 are.
            figure = (lambda o: o.rate) if fid == SHEET_FRAMEWORK_ID else (lambda o: o.total)
            ordered = sorted(same, key=lambda o: figure(o) or 0, reverse=True)
            previous: Decimal | None = None
            rank = 0
            for i, o in enumerate(ordered, start=1):
                if figure(o) != previous:
                    rank, previous = i, figure(o)
                ranks[id(o)] = rank
        return ranks

    def grade_counts(self) -> list[tuple[str, int]]:
        """Departments per grade, in the frameworks' band order (best first)."""
        return _grade_counts(self.counted, self.grade_labels)

    def first_level_titles(self) -> list[str]:
        """Headers of the 一级 subtotal columns; each names its framework when there are several."""
        several = len(self.frameworks) > 1
        return [
            f"{framework_label(fid)}：{name}（得分）" if several else f"{name}（得分）"
            for fid, name in self.first_levels
        ]

    def summary_columns(self) -> list[str]:
        """The columns of the 汇总 sheet and of :func:`summary_frame`.

        With several frameworks each row fills only its own framework's 一级 columns, so they
        come last, after 框架内排名 and 警告数: the columns every row fills stay together (and
        are what the sheet prints).
        """
        common = ["单位名称", "文件", "评价框架", "总分", "得分率（%）", "等级"]
        if len(self.frameworks) > 1:
            return [*common, RANK_COLUMN, "警告数", *self.first_level_titles()]
        return [*common, *self.first_level_titles(), RANK_COLUMN, "警告数"]

    def summary_rows(self) -> list[list[Any]]:
        """One row per scored department, in input order (exact Decimals), as the columns."""
        ranks = self.ranks()
        several = len(self.frameworks) > 1
        rows = []
        for o in self.counted:
            fid = o.framework_id or ""
            by_key = {(fid, s.name): s.score for s in o.subtotals}
            common = [o.unit, str(o.path), framework_label(fid), o.total, o.rate, o.grade]
            firsts = [by_key.get(key) for key in self.first_levels]
            if several:
                rows.append([*common, ranks[id(o)], o.warnings, *firsts])
            else:
                rows.append([*common, *firsts, ranks[id(o)], o.warnings])
        return rows

    def to_frame(self) -> pandas.DataFrame:
        """The 汇总 table as a pandas DataFrame with numeric columns (float) for sorting and plots.

        Exact figures stay in :meth:`summary_rows`; unscored files are in ``failed``/``skipped``.
        """
        import pandas as pd

        columns = self.summary_columns()
        frame = pd.DataFrame(self.summary_rows(), columns=columns)
        numeric = ["总分", "得分率（%）", *self.first_level_titles()]
        frame[numeric] = frame[numeric].astype("float64")
        return frame.astype({RANK_COLUMN: "int64", "警告数": "int64"})

    def indicator_rows(self) -> list[IndicatorStats]:
        """Indicators, the lowest average 得分率 first (where departments lose points most)."""
        return sorted(
            (s for s in self.indicators.values() if s.count),
            key=lambda s: (s.average, s.framework_id, s.path),
        )


SHEET_TREES_LABEL = "评分表自带"
"""What the 评价框架 columns of a summary say for a sheet scored by its own tree (id ``sheet``)."""


def framework_label(fid: str | None) -> str:
    """A framework id as a person reads it in a summary: the id, or 评分表自带 for a sheet's own tree."""
    return SHEET_TREES_LABEL if fid == SHEET_FRAMEWORK_ID else (fid or "")


def _grade_counts(outcomes: Iterable[FileOutcome], labels: Sequence[str]) -> list[tuple[str, int]]:
    counts = {label: 0 for label in labels}
    for o in outcomes:
        key = o.grade or "—"
        counts[key] = counts.get(key, 0) + 1
    return list(counts.items())


def score_batch(
    paths: Sequence[Path],
    framework: str | Path | None = None,
    *,
    jobs: int = 1,
    sheet: str | None = None,
    count_resubmissions: bool = False,
    on_outcome: Callable[[FileOutcome], None] | None = None,
    scheduler: Any = None,
) -> BatchSummary:
    """Score every path and accumulate the summary; ``on_outcome`` sees each file as it ends.

    ``scheduler``: a Dask scheduler address or ``distributed.Client`` (see :func:`iter_outcomes`).
    """
    summary = BatchSummary(count_resubmissions=count_resubmissions)
    for outcome in iter_outcomes(paths, framework, jobs=jobs, sheet=sheet, scheduler=scheduler):
        if on_outcome is not None:
            on_outcome(outcome)
        summary.add(outcome)
    return summary


def summary_frame(
    inputs: Iterable[str | Path], framework: str | Path | None = None, *, jobs: int = 1
) -> pandas.DataFrame:
    """The 汇总 table as a pandas DataFrame: one row per scored department (for notebooks).

    Scores are exact :class:`decimal.Decimal` values (``.astype(float)`` for plotting).
    Files that could not be scored are left out; use :func:`score_batch` to see them.
    """
    import pandas as pd

    summary = score_batch(discover(inputs), framework, jobs=jobs)
    return pd.DataFrame(summary.summary_rows(), columns=summary.summary_columns())
