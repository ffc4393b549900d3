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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from jixiao.errors import JixiaoError
from jixiao.findings import Finding
from jixiao.framework.load import LoadedFramework, load_all, load_framework
from jixiao.read.mark import is_jixiao_output
from jixiao.scoring.pipeline import score_file

if TYPE_CHECKING:
    from distributed import Client

OUTPUT_SKIP_REASON = "jixiao 生成的结果文件"


@dataclass(frozen=True)
class Subtotal:
    """A 一级指标's figures in one department's result."""

    name: str
    points: Decimal | None
    score: Decimal
    rate: Decimal | None


SHEET_TREES_TITLE = "评分表自带的指标体系（各表分值不同，按得分率排名）"
"""The group of the sheets scored by their own trees, in summaries and the bureau's report."""


@dataclass(frozen=True)
class FileOutcome:
    """One file of a batch, reduced to what the summary needs (small, picklable)."""

    path: Path | str  # a str for an fsspec URL scored on a Dask worker (batch/distributed.py)
    unit: str | None = None
    unit_stated: bool = False  # the name is the sheet's 单位名称 (not its title or file name)
    framework_id: str | None = None
    framework_title: str | None = None
    framework_kind: str | None = None  # 部门整体支出 / 项目支出: ranked and summarised apart
    sheet: str | None = None
    sha256: str | None = None
    total: Decimal | None = None
    max: Decimal | None = None
    rate: Decimal | None = None
    grade: str | None = None
    grade_order: tuple[str, ...] = ()
    subtotals: tuple[Subtotal, ...] = ()
    indicators: tuple[tuple[tuple[str, ...], Decimal | None, Decimal, Decimal | None], ...] = ()
    reasons: tuple[tuple[tuple[str, ...], str], ...] = ()  # 扣分原因 of the indicators that lost points
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    skipped: str | None = None  # why the file was left alone (not a failure)
    warning_count: int | None = None  # set when the findings themselves are dropped
    modified: float | None = None  # the file's modification time: the newest resubmission counts

    @property
    def file_name(self) -> str:
        """The file's name (the last part of a path or of an fsspec URL)."""
        return PurePosixPath(str(self.path)).name if isinstance(self.path, str) else self.path.name

    @property
    def file_stem(self) -> str:
        """The file's name without its suffix."""
        return PurePosixPath(self.file_name).stem

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


def score_one(
    path: Path,
    framework: str | Path | LoadedFramework | None = None,
    sheet: str | None = None,
    *,
    frameworks: Sequence[LoadedFramework] | None = None,
) -> FileOutcome:
    """Score one file and reduce it to a :class:`FileOutcome`; never raises for bad input.

    A workbook jixiao wrote itself is not scored, nor is an attachment that is no spreadsheet
    at all (a .pdf, .txt, .zip sent with the sheet): their outcome is ``skipped``. ``frameworks``
    is the pool detection chooses from (default: every framework in the search folders).
    """
    if is_jixiao_output(path):
        return FileOutcome(path=path, skipped=OUTPUT_SKIP_REASON)
    attachment = _attachment(path)
    if attachment is not None:
        return FileOutcome(path=path, skipped=attachment)
    try:
        chosen = _framework(framework)
        pool = None if chosen else (frameworks if frameworks is not None else _all_frameworks())
        ev = score_file(path, chosen, sheet=sheet, frameworks=pool)
    except JixiaoError as e:
        detail = getattr(e, "detail", None) or str(e)
        return FileOutcome(path=path, error=detail)
    except Exception as e:  # a bug must not stop a batch of a thousand files: record it
        return FileOutcome(path=path, error=f"jixiao 内部错误（请报告）：{type(e).__name__}: {e}")
    fw = ev.framework.framework
    table = ev.table
    unit = table.unit_name or path.stem  # the name score, review and report use too
    base = FileOutcome(
        path=path,
        unit=unit,
        unit_stated=bool(table.unit_name),
        framework_id=ev.framework.id,
        # every sheet scored by its own tree is one group: the title names the group, not the file
        framework_title=SHEET_TREES_TITLE if ev.from_sheet else fw.title,
        framework_kind=fw.kind,
        sheet=ev.source.sheet,
        modified=_mtime(path),
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
        reasons=tuple(
            (n.path, n.reason)
            for n in r.walk()
            if n.is_leaf and n.reason and n.points is not None and n.score < n.points
        ),
    )


SHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".et"})


def _attachment(path: Path) -> str | None:
    """Why a file sent along with the sheets is no sheet at all (None when it may be one).

    A file named like a spreadsheet is always scored, so a broken .xlsx is a failure to look
    at; anything else is skipped unless its content is a workbook under another name.
    """
    if path.suffix.lower() in SHEET_SUFFIXES or not path.is_file():
        return None
    from jixiao.errors import SheetError
    from jixiao.read.sniff import identify

    try:
        identify(path)
    except SheetError as e:
        return f"不是评分表，已跳过（{getattr(e, 'detail', None) or e}）"
    return None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _replace(outcome: FileOutcome, **changes: Any) -> FileOutcome:
    return replace(outcome, **changes)


_FRAMEWORK_CACHE: dict[str, Any] = {}


def _framework(ref: str | Path | LoadedFramework | None) -> LoadedFramework | None:
    if ref is None or isinstance(ref, LoadedFramework):
        return ref
    return load_framework(ref)


def _all_frameworks() -> list[LoadedFramework]:
    # Loaded once per process (a worker process loads them on its first file).
    if "all" not in _FRAMEWORK_CACHE:
        _FRAMEWORK_CACHE["all"] = load_all()
    return _FRAMEWORK_CACHE["all"]


def _score_star(args: tuple[Path, str | Path | None, str | None]) -> FileOutcome:
    return score_one(*args)


def iter_outcomes(
    paths: Sequence[Path],
    framework: str | Path | None = None,
    *,
    jobs: int = 1,
    sheet: str | None = None,
    scheduler: str | Client | None = None,
) -> Iterator[FileOutcome]:
    """Score ``paths`` and yield one outcome per path, in the order of ``paths``.

    ``jobs`` > 1 scores in that many worker processes; ``scheduler`` (a Dask scheduler address
    such as ``tcp://host:8786``, or a ``distributed.Client``) scores on that cluster instead
    (the ``jixiao[dask]`` extra; paths may then be fsspec URLs). The outcomes and their order
    are the same as with ``jobs=1``.
    """
    if scheduler is not None:
        from jixiao.batch.distributed import iter_distributed

        yield from iter_distributed(paths, framework, scheduler)
        return
    if framework is not None:
        _framework(framework)  # a bad framework is a usage error, raised before any work
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield score_one(p, framework, sheet)
        return
    from concurrent.futures import ProcessPoolExecutor

    # Load the frameworks before the workers start: where processes are forked they inherit them
    # (and the scoring code, imported above) instead of each paying for them again.
    if framework is None:
        _all_frameworks()
    chunk = max(1, min(16, len(paths) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_score_star, [(p, framework, sheet) for p in paths], chunksize=chunk)


def default_jobs() -> int:
    """The number of processes ``--jobs 0`` means: every CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
