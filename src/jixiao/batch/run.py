"""Batch scoring: many departments' sheets, one summary (the finance bureau's view).

Pure orchestration over :func:`jixiao.scoring.pipeline.score_file`. Files are scored one at a time (or by
a pool of processes) and each is reduced at once to a small :class:`FileOutcome` (figures,
一级 subtotals, 得分率 of every indicator, findings); the workbooks themselves are never kept.
A file that cannot be scored becomes an outcome with its error; it never stops the run.

Results come back in the order of the input paths whatever the number of processes, and a
parallel run gives exactly the outcomes of a serial one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.findings import Finding

if TYPE_CHECKING:
    import pandas

    from jixiao.framework.load import LoadedFramework

__all__ = [
    "BatchSummary",
    "FileOutcome",
    "IndicatorStats",
    "discover",
    "iter_outcomes",
    "score_batch",
    "summary_frame",
]

# Suffixes taken as spreadsheets when a folder is scanned; anything else found there is listed
# as not a workbook (a department that sent a PDF or a Word file must be noticed).
SKIPPED_PREFIXES = (".", "~$")

# Workbooks jixiao wrote itself (result, review, summary) are marked with this creator; a batch
# over a folder that holds them skips them instead of reporting them as broken sheets.
OUTPUT_CREATOR = "jixiao"
RANK_COLUMN = "框架内排名"  # departments are ranked only against sheets of the same framework
OUTPUT_SKIP_REASON = "jixiao 生成的结果文件"
# Outputs written before the mark existed are recognised by their sheets.
OUTPUT_SHEET_SETS = (
    frozenset({"总表", "明细", "问题", "信息"}),
    frozenset({"复核对比", "问题", "信息"}),
    frozenset({"汇总", "等级分布", "指标得分率", "错误"}),
)


@dataclass(frozen=True)
class Subtotal:
    """A 一级指标's figures in one department's result."""

    name: str
    points: Decimal | None
    score: Decimal
    rate: Decimal | None


@dataclass(frozen=True)
class FileOutcome:
    """One file of a batch, reduced to what the summary needs (small, picklable)."""

    path: Path
    unit: str | None = None
    framework_id: str | None = None
    framework_title: str | None = None
    sheet: str | None = None
    sha256: str | None = None
    total: Decimal | None = None
    max: Decimal | None = None
    rate: Decimal | None = None
    grade: str | None = None
    grade_order: tuple[str, ...] = ()
    subtotals: tuple[Subtotal, ...] = ()
    indicators: tuple[tuple[tuple[str, ...], Decimal | None, Decimal, Decimal | None], ...] = ()
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    skipped: str | None = None  # why the file was left alone (not a failure)
    warning_count: int | None = None  # set when the findings themselves are dropped

    @property
    def ok(self) -> bool:
        """True when the file was scored (warnings allowed)."""
        return self.error is None and self.skipped is None and self.total is not None

    @property
    def status(self) -> str:
        """The outcome as one word: ok, skipped or failed."""
        return "ok" if self.ok else "skipped" if self.skipped else "failed"

    @property
    def warnings(self) -> int:
        """Number of warning findings."""
        if self.warning_count is not None:
            return self.warning_count
        return sum(1 for f in self.findings if not f.is_error)

    def to_dict(self) -> dict[str, Any]:
        """The outcome as JSON-ready data (Decimals kept exact)."""
        return {
            "file": str(self.path),
            "ok": self.ok,
            "status": self.status,
            "unit": self.unit,
            "framework": self.framework_id,
            "sheet": self.sheet,
            "sha256": self.sha256,
            "total": self.total,
            "max": self.max,
            "rate": self.rate,
            "grade": self.grade,
            "subtotals": [
                {"name": s.name, "max": s.points, "score": s.score, "rate": s.rate} for s in self.subtotals
            ],
            "warnings": self.warnings,
            "findings": [f.to_dict(with_sheet=True) for f in self.findings],
            "error": self.error,
            "skipped": self.skipped,
        }


def discover(inputs: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """The files to score: files as given, folders searched recursively, in a stable order.

    Hidden files and Office lock files (``~$...``) inside folders are left out, and so is any
    path in ``exclude`` (the summary being written). A path that does not exist is kept: it
    becomes an outcome with its error, like any other bad file.
    """
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(
                (p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))),
                key=lambda p: p.relative_to(path).parts,
            )
        else:
            files = [path]
        for p in files:
            key = p.resolve()
            if key in skip or key in seen:
                continue
            seen.add(key)
            found.append(p)
    return found


def _hidden(rel: Path) -> bool:
    return any(part.startswith(SKIPPED_PREFIXES) for part in rel.parts)


def is_jixiao_output(path: Path) -> bool:
    """True when ``path`` is a workbook jixiao wrote (result, review or summary).

    Cheap: only ``docProps/core.xml`` (the creator mark) and ``xl/workbook.xml`` (the sheet
    names, for outputs written before the mark) are read from the zip; the workbook is not
    parsed. Anything that is not a readable .xlsx is simply not an output.
    """
    import re
    import zipfile
    import zlib
    from html import unescape

    limit = 1 << 20  # both parts are a few KB in a real file; never inflate more than this

    def part(z: zipfile.ZipFile, name: str) -> str | None:
        info = z.getinfo(name)
        if info.file_size > limit:
            return None
        return z.read(info).decode("utf-8", "replace")

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "docProps/core.xml" in names:
                core = part(z, "docProps/core.xml") or ""
                m = re.search(r"<dc:creator>([^<]*)</dc:creator>", core)
                if m and unescape(m.group(1)).strip() == OUTPUT_CREATOR:
                    return True
            if "xl/workbook.xml" not in names:
                return False
            book = part(z, "xl/workbook.xml")
            if book is None:
                return False
    # A damaged file is simply not one of ours; reading it properly reports what is wrong.
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, RuntimeError):
        return False
    sheets = {unescape(n) for n in re.findall(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"", book)}
    return sheets in OUTPUT_SHEET_SETS or any(sheets == known | {"图表"} for known in OUTPUT_SHEET_SETS)


def score_one(path: Path, framework: str | Path | None = None) -> FileOutcome:
    """Score one file and reduce it to a :class:`FileOutcome`; never raises for bad input.

    A workbook jixiao wrote itself is not scored: its outcome is ``skipped``.
    """
    from jixiao.errors import JixiaoError
    from jixiao.scoring.pipeline import score_file

    if is_jixiao_output(path):
        return FileOutcome(path=path, skipped=OUTPUT_SKIP_REASON)
    try:
        chosen = _framework(framework)
        ev = score_file(path, chosen, frameworks=None if chosen else _all_frameworks())
    except JixiaoError as e:
        detail = getattr(e, "detail", None) or str(e)
        return FileOutcome(path=path, error=detail)
    except Exception as e:  # a bug must not stop a batch of a thousand files: record it
        return FileOutcome(path=path, error=f"jixiao 内部错误（请报告）：{type(e).__name__}: {e}")
    fw = ev.framework.framework
    table = ev.table
    unit = table.unit_name or table.title or path.stem
    base = FileOutcome(
        path=path,
        unit=unit,
        framework_id=ev.framework.id,
        framework_title=fw.title,
        sheet=ev.source.sheet,
        sha256=ev.source.sha256,
        max=fw.total_points,
        grade_order=tuple(b.label for b in sorted(fw.grades, key=lambda b: -b.minimum)),
        findings=tuple(ev.findings),
    )
    r = ev.result
    if r is None:
        errors = [f for f in ev.findings if f.is_error]
        return _replace(base, error=f"评分表有 {len(errors)} 个错误，未能评分")
    return _replace(
        base,
        total=r.total,
        max=r.max,
        rate=r.rate,
        grade=r.grade,
        subtotals=tuple(Subtotal(n.name, n.points, n.score, n.rate) for n in r.indicators),
        indicators=tuple((n.path, n.points, n.score, n.rate) for n in r.walk()),
    )


def _replace(outcome: FileOutcome, **changes: Any) -> FileOutcome:
    from dataclasses import replace

    return replace(outcome, **changes)


_FRAMEWORK_CACHE: dict[str, Any] = {}


def _framework(ref: str | Path | None) -> LoadedFramework | None:
    if ref is None:
        return None
    from jixiao.framework.load import load_framework

    return load_framework(ref)


def _all_frameworks() -> list[LoadedFramework]:
    # Loaded once per process (a worker process loads them on its first file).
    if "all" not in _FRAMEWORK_CACHE:
        from jixiao.framework.load import load_all

        _FRAMEWORK_CACHE["all"] = load_all()
    return _FRAMEWORK_CACHE["all"]


def _score_star(args: tuple[Path, str | Path | None]) -> FileOutcome:
    return score_one(*args)


def iter_outcomes(
    paths: Sequence[Path], framework: str | Path | None = None, *, jobs: int = 1
) -> Iterator[FileOutcome]:
    """Score ``paths`` and yield one outcome per path, in the order of ``paths``.

    ``jobs`` > 1 scores in that many worker processes; the outcomes and their order are the
    same as with ``jobs=1``.
    """
    if framework is not None:
        _framework(framework)  # a bad framework is a usage error, raised before any work
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield score_one(p, framework)
        return
    from concurrent.futures import ProcessPoolExecutor

    # Import the scoring code and load the frameworks before the workers start: where processes
    # are forked they inherit both instead of each paying for them again.
    import jixiao.scoring.pipeline  # noqa: F401

    if framework is None:
        _all_frameworks()
    chunk = max(1, min(16, len(paths) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_score_star, [(p, framework) for p in paths], chunksize=chunk)


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


@dataclass
class BatchSummary:
    """What the summary needs, accumulated outcome by outcome (no workbook is kept).

    Departments are compared only within their framework: 排名 is the rank among sheets of the
    same framework, and when several frameworks are present each 一级 subtotal column belongs
    to one framework (its header names it), so no column mixes different indicators or maxima.
    """

    scored: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)
    indicators: dict[tuple[str, tuple[str, ...]], IndicatorStats] = field(default_factory=dict)
    first_levels: list[tuple[str, str]] = field(default_factory=list)  # (framework id, 一级 name)
    grade_labels: list[str] = field(default_factory=list)

    def add(self, outcome: FileOutcome) -> None:
        """Take one outcome; only its small figures are kept (findings only for failed files)."""
        if outcome.skipped is not None:
            self.skipped.append(_replace(outcome, indicators=(), findings=()))
            return
        if not outcome.ok:
            self.failed.append(_replace(outcome, indicators=()))
            return
        self.scored.append(_replace(outcome, indicators=(), findings=(), warning_count=outcome.warnings))
        fid = outcome.framework_id or ""
        for s in outcome.subtotals:
            if (fid, s.name) not in self.first_levels:
                self.first_levels.append((fid, s.name))
        for label in outcome.grade_order:
            if label not in self.grade_labels:
                self.grade_labels.append(label)
        for path, points, score, rate in outcome.indicators:
            key = (fid, path)
            stats = self.indicators.get(key)
            if stats is None:
                stats = self.indicators[key] = IndicatorStats(fid, path)
            stats.add(points, score, rate)

    @property
    def frameworks(self) -> list[str]:
        """The frameworks of the scored sheets, in order of first appearance."""
        return list(dict.fromkeys(o.framework_id or "" for o in self.scored))

    def ranks(self) -> dict[int, int]:
        """Rank by total within each framework, highest first; ties share a rank (1, 2, 2, 4).

        Keyed by id() of the outcome.
        """
        ranks: dict[int, int] = {}
        for fid in self.frameworks:
            same = [o for o in self.scored if (o.framework_id or "") == fid]
            ordered = sorted(same, key=lambda o: o.total or 0, reverse=True)
            previous: Decimal | None = None
            rank = 0
            for i, o in enumerate(ordered, start=1):
                if o.total != previous:
                    rank, previous = i, o.total
                ranks[id(o)] = rank
        return ranks

    def grade_counts(self) -> list[tuple[str, int]]:
        """Departments per grade, in the frameworks' band order (best first)."""
        counts = {label: 0 for label in self.grade_labels}
        for o in self.scored:
            key = o.grade or "—"
            counts[key] = counts.get(key, 0) + 1
        return list(counts.items())

    def first_level_titles(self) -> list[str]:
        """Headers of the 一级 subtotal columns; each names its framework when there are several."""
        several = len(self.frameworks) > 1
        return [f"{fid}：{name}（得分）" if several else f"{name}（得分）" for fid, name in self.first_levels]

    def summary_columns(self) -> list[str]:
        """The columns of the 汇总 sheet and of :func:`summary_frame`."""
        return [
            "单位名称",
            "文件",
            "评价框架",
            "总分",
            "得分率（%）",
            "等级",
            *self.first_level_titles(),
            RANK_COLUMN,
            "警告数",
        ]

    def summary_rows(self) -> list[list[Any]]:
        """One row per scored department, in input order (exact Decimals)."""
        ranks = self.ranks()
        rows = []
        for o in self.scored:
            fid = o.framework_id or ""
            by_key = {(fid, s.name): s.score for s in o.subtotals}
            rows.append(
                [
                    o.unit,
                    str(o.path),
                    o.framework_id,
                    o.total,
                    o.rate,
                    o.grade,
                    *(by_key.get(key) for key in self.first_levels),
                    ranks[id(o)],
                    o.warnings,
                ]
            )
        return rows

    def indicator_rows(self) -> list[IndicatorStats]:
        """Indicators, the lowest average 得分率 first (where departments lose points most)."""
        return sorted(
            (s for s in self.indicators.values() if s.count),
            key=lambda s: (s.average, s.framework_id, s.path),
        )


def score_batch(
    paths: Sequence[Path],
    framework: str | Path | None = None,
    *,
    jobs: int = 1,
    on_outcome: Callable[[FileOutcome], None] | None = None,
) -> BatchSummary:
    """Score every path and accumulate the summary; ``on_outcome`` sees each file as it ends."""
    summary = BatchSummary()
    for outcome in iter_outcomes(paths, framework, jobs=jobs):
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


def default_jobs() -> int:
    """The number of processes ``--jobs 0`` means: every CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
