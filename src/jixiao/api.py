"""The library's front door: score, review, batch and verify from Python (a notebook, a script).

Everything here is a thin layer over the stages below, like the command line; ``import jixiao``
loads this module only when one of its names is first used (see ``jixiao/__init__.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.errors import UsageError
from jixiao.framework.load import LoadedFramework
from jixiao.framework.load import load_framework as _load_framework
from jixiao.reviewing.compare import Settings
from jixiao.reviewing.pipeline import Review, review_sheet, review_sheets
from jixiao.scoring import evaluation
from jixiao.scoring.pipeline import score_file

if TYPE_CHECKING:
    from distributed import Client

    from jixiao.batch.summary import BatchSummary
    from jixiao.verifying import Verdict

__all__ = ["Evaluation", "load_framework", "review", "score", "score_batch", "verify"]

FrameworkRef = str | Path | LoadedFramework | None


class Evaluation(evaluation.Evaluation):
    """One scored sheet: ``.total``, ``.grade``, ``.findings``, ``.to_frame()``, ``.write(path)``."""

    __repr__ = evaluation.Evaluation.__repr__

    def write(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the result as a workbook (.xlsx) or as JSON (.json); never over the input.

        A sheet with errors has no result to write: :class:`~jixiao.errors.UsageError` says so.
        """
        from jixiao.write.files import check_output, write_atomically

        out = Path(path)
        suffix = out.suffix.lower()
        if suffix not in (".xlsx", ".json"):
            raise UsageError(f"结果文件须以 .xlsx 或 .json 结尾：{out}")
        check_output(out, [self.source.path], force=force)
        if suffix == ".json":
            from jixiao.write.jsonout import evaluation_json

            text = evaluation_json(self) + "\n"

            def write_json(tmp: Path) -> None:
                tmp.write_text(text, encoding="utf-8")

            write_atomically(out, write_json)
            return out
        if self.result is None:
            raise UsageError(f"评分表有 {len(self.errors)} 个错误，未评分，不写出 {out}")
        from jixiao.write.result import write_result

        write_result(self, out)
        return out


def score(path: str | Path, framework: FrameworkRef = None, *, sheet: str | None = None) -> Evaluation:
    """Score one sheet (.xlsx, .xls or CSV) against a framework id, a YAML path, or the one detected.

    >>> ev = jixiao.score("sheets/shaoguan-2023-kexie.xlsx")   # doctest: +SKIP
    >>> ev.total, ev.grade                                     # doctest: +SKIP
    (Decimal('98.81'), '优')
    """
    ev = score_file(path, framework, sheet=sheet)
    return Evaluation(**{f.name: getattr(ev, f.name) for f in fields(ev)})


def review(
    self_sheet: str | Path,
    reviewed: str | Path | None = None,
    framework: FrameworkRef = None,
    *,
    sheet: str | None = None,
    tolerance: Decimal | int | str = Decimal(1),
    fill_from_self: bool = False,
) -> Review:
    """复核: one sheet with both score columns, or the department's sheet and the reviewer's."""
    settings = Settings(tolerance=Decimal(str(tolerance)), fill_from_self=fill_from_self)
    if reviewed is None:
        return review_sheet(self_sheet, framework, sheet=sheet, settings=settings)
    return review_sheets(self_sheet, reviewed, framework, sheet=sheet, settings=settings)


def score_batch(
    paths: Iterable[str | Path] | str | Path,
    framework: FrameworkRef = None,
    *,
    jobs: int = 1,
    scheduler: str | Client | None = None,
) -> BatchSummary:
    """Score many sheets (files, or folders searched recursively); ``.to_frame()`` gives the 汇总 table.

    ``scheduler`` runs the batch on a Dask cluster (``pip install 'jixiao[dask]'``): a scheduler
    address such as ``"tcp://host:8786"`` or a ``distributed.Client``. Inputs may then also be
    fsspec URLs (``"s3://bucket/2024/a.xlsx"``), opened by the workers; the summary is the same,
    in the same order, as a serial run's.
    """
    from jixiao.batch.discover import discover
    from jixiao.batch.summary import score_batch as _score_batch

    items = [paths] if isinstance(paths, str | Path) else list(paths)
    ref = framework.path if isinstance(framework, LoadedFramework) else framework
    if scheduler is None:
        return _score_batch(discover(items), ref, jobs=jobs)
    from jixiao.batch.distributed import is_url

    # URLs are the workers' to open; local files and folders are listed here as usual.
    ordered: list[Path | str] = []
    seen: set[Path] = set()
    for item in items:
        if is_url(item):
            ordered.append(str(item))
            continue
        for p in discover([item]):
            if p not in seen:
                seen.add(p)
                ordered.append(p)
    return _score_batch(ordered, ref, scheduler=scheduler)  # type: ignore[arg-type]


def verify(result: str | Path, inputs: Iterable[str | Path], framework: str | Path | None = None) -> Verdict:
    """Check a result workbook or JSON against its input files: hashes, framework and every figure."""
    from jixiao.verifying import verify as _verify

    return _verify(Path(result), [Path(p) for p in inputs], framework)


def load_framework(ref: str | Path) -> LoadedFramework:
    """A checked framework by id (``shaoguan-2023``) or YAML path; every problem listed at once."""
    return _load_framework(ref)
