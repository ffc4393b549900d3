"""One scored sheet (:class:`Evaluation`) and its plain-data view, shared by JSON and workbooks.

``Evaluation`` is what :func:`jixiao.score` returns: ``.total``, ``.grade``, ``.findings``,
``.to_frame()`` (one row per indicator), ``.findings_frame()``, ``.to_dict()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao._version import __version__
from jixiao.findings import Finding
from jixiao.framework.load import LoadedFramework
from jixiao.read.table import SheetTable
from jixiao.scoring.result import PartialResult, ScoreResult

if TYPE_CHECKING:
    from jixiao.matching.sheet_tree import SheetTree

if TYPE_CHECKING:
    import pandas

INDICATOR_COLUMNS = ("一级指标", "指标", "层级", "分值", "自评得分", "得分率（%）", "单元格", "扣分原因")
FINDING_COLUMNS = ("代码", "级别", "工作表", "单元格", "指标", "说明")


@dataclass(frozen=True)
class SourceFile:
    """The scored input: path, SHA-256 of its bytes, and the sheet used."""

    path: Path
    sha256: str
    sheet: str
    sheet_names: tuple[str, ...]

    @property
    def several_sheets(self) -> bool:
        """True when the workbook has more than one sheet: cells are then shown with their sheet."""
        return len(self.sheet_names) > 1


@dataclass
class Evaluation:
    """Everything known after scoring one sheet; ``result`` is None when it has errors."""

    source: SourceFile
    framework: LoadedFramework
    table: SheetTable
    findings: list[Finding]
    result: ScoreResult | None
    framework_detected: bool = False
    partial: PartialResult | None = None
    """While errors stand: the subtotals whose inputs are complete (no total, no grade)."""
    sheet_tree: SheetTree | None = None
    """Set when the indicator tree came from the sheet itself (``--framework sheet``)."""

    @property
    def from_sheet(self) -> bool:
        """True when the tree was read from the sheet, not from a framework file."""
        return self.sheet_tree is not None

    @property
    def ok(self) -> bool:
        """True when the sheet was scored (warnings allowed)."""
        return self.result is not None

    @property
    def errors(self) -> list[Finding]:
        """The findings that prevented scoring."""
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that did not prevent scoring."""
        return [f for f in self.findings if not f.is_error]

    # -- the front door's conveniences -----------------------------------------------------
    @property
    def total(self) -> Decimal | None:
        """The rounded total (总分), None while the sheet has errors."""
        return self.result.total if self.result else None

    @property
    def grade(self) -> str | None:
        """The grade (等级) of the rounded total, None while the sheet has errors."""
        return self.result.grade if self.result else None

    def to_dict(self, produced_at: str | None = None) -> dict[str, Any]:
        """The same data as ``jixiao score --json`` (Decimals kept exact)."""
        return evaluation_data(self, produced_at)

    def to_frame(self) -> pandas.DataFrame:
        """One row per indicator: path, 分值, 自评得分, 得分率（%） (numeric columns as float).

        Exact figures stay available as Decimals in :attr:`result`; the frame is for looking,
        sorting and plotting. Empty (with the columns) while the sheet has errors.
        """
        import pandas as pd

        rows = [
            (
                n.path[0],
                "／".join(n.path),
                n.level,
                None if n.points is None else float(n.points),
                float(n.score),
                None if n.rate is None else float(n.rate),
                n.cell,
                n.reason,
            )
            for n in (self.result.walk() if self.result else ())
        ]
        frame = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))
        return frame.astype(
            {"分值": "float64", "自评得分": "float64", "得分率（%）": "float64", "层级": "int64"}
        )

    def findings_frame(self) -> pandas.DataFrame:
        """One row per finding: code, severity, sheet, cell, indicator path and message."""
        import pandas as pd

        rows = [
            (
                f.code,
                "错误" if f.is_error else "警告",
                f.position.sheet,
                f.position.cell,
                "／".join(f.path),
                f.message,
            )
            for f in self.findings
        ]
        return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))

    def __repr__(self) -> str:
        warnings, errors = len(self.warnings), len(self.errors)
        if self.result is None:
            return f"<Evaluation {self.framework.id} 未评分, {errors} error{'s' * (errors != 1)}>"
        r = self.result
        grade = f" {r.grade}" if r.grade else ""
        tail = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
        return f"<Evaluation {self.framework.id} {r.total}/{r.max}{grade}{tail}>"


def now_iso() -> str:
    """The current time, UTC, to the second (the only thing that varies between runs)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def provenance(ev: Evaluation, produced_at: str | None = None) -> dict[str, Any]:
    """What was scored, against what, by which jixiao, and when (the audit trail)."""
    fw = ev.framework
    return {
        "source": {
            "file": ev.source.path.name,
            "sha256": ev.source.sha256,
            "sheet": ev.source.sheet,
        },
        "framework": {
            "id": fw.id,
            "version": fw.framework.version,
            "sha256": fw.sha256,
            "detected": ev.framework_detected,
            **_sheet_tree_data(ev),
        },
        "jixiao_version": __version__,
        "produced_at": produced_at or now_iso(),
    }


def _sheet_tree_data(ev: Evaluation) -> dict[str, Any]:
    tree = ev.sheet_tree
    if tree is None:
        return {}
    return {
        "from_sheet": True,
        "grades_assumed": tree.assumed_grades,
        "total_points": tree.total_points,
        "notes": list(tree.notes),
        "save_command": tree.save_command,
    }


def indicator_rows(ev: Evaluation) -> list[dict[str, Any]]:
    """Every indicator as plain data with its ``complete`` flag (partial results included)."""
    r = ev.result
    if r is not None:
        nodes = [(n, True) for n in r.walk()]
    elif ev.partial is not None:
        nodes = [(n, True) for n in ev.partial.walk()]
    else:
        nodes = []
    rows = [
        {
            "path": list(n.path),
            "max": n.points,
            "score": n.score,
            "rate": n.rate,
            "cell": n.cell,
            "reason": n.reason,
            "from_sheet": n.from_sheet,
            "bonus": n.is_bonus,
            "explanation": n.explanation,
            "complete": done,
        }
        for n, done in nodes
    ]
    if r is None and ev.partial is not None:
        rows += [
            {
                "path": list(path),
                "max": points,
                "score": None,
                "rate": None,
                "cell": None,
                "reason": None,
                "from_sheet": False,
                "bonus": False,
                "explanation": None,
                "complete": False,
            }
            for path, points in ev.partial.incomplete
        ]
        order = {path: i for i, (path, _) in enumerate(ev.framework.framework.walk())}
        rows.sort(key=lambda row: _order_key(_path_of(row), order))
    return rows


def _path_of(row: dict[str, Any]) -> tuple[str, ...]:
    path: list[str] = row["path"]
    return tuple(path)


def _order_key(path: tuple[str, ...], order: dict[tuple[str, ...], int]) -> tuple[int, ...]:
    return tuple(order.get(path[: i + 1], len(order)) for i in range(len(path)))


def evaluation_data(ev: Evaluation, produced_at: str | None = None) -> dict[str, Any]:
    """The evaluation as JSON-ready data (Decimals kept as Decimals)."""
    several = ev.source.several_sheets
    r = ev.result
    return {
        "framework": ev.framework.id,
        "framework_from_sheet": ev.sheet_tree is not None,
        "ok": r is not None,
        "partial": r is None and ev.partial is not None and bool(ev.partial.nodes),
        "total": r.total if r else None,
        "max": r.max if r else ev.framework.framework.total_points,
        "rate": r.rate if r else None,
        "grade": r.grade if r else None,
        "bonus": r.bonus if r else None,
        "indicators": indicator_rows(ev),
        "findings": [f.to_dict(with_sheet=several) for f in ev.findings],
        "provenance": provenance(ev, produced_at),
    }
