"""One plain-data view of an evaluation, shared by the JSON output and the result workbook."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jixiao._version import __version__
from jixiao.scoring.evaluation import Evaluation


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
        },
        "jixiao_version": __version__,
        "produced_at": produced_at or now_iso(),
    }


def evaluation_data(ev: Evaluation, produced_at: str | None = None) -> dict[str, Any]:
    """The evaluation as JSON-ready data (Decimals kept as Decimals)."""
    several = ev.source.several_sheets
    r = ev.result
    return {
        "framework": ev.framework.id,
        "ok": r is not None,
        "total": r.total if r else None,
        "max": r.max if r else ev.framework.framework.total_points,
        "rate": r.rate if r else None,
        "grade": r.grade if r else None,
        "bonus": r.bonus if r else None,
        "indicators": [
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
            }
            for n in (r.walk() if r else ())
        ],
        "findings": [f.to_dict(with_sheet=several) for f in ev.findings],
        "provenance": provenance(ev, produced_at),
    }
