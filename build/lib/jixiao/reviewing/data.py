"""One plain-data view of a review (复核), shared by the JSON output and the review workbook."""

from __future__ import annotations

from typing import Any

from jixiao.reviewing.compare import Line, SideFinding
from jixiao.reviewing.pipeline import Review, sources
from jixiao.scoring.evaluation import provenance as evaluation_provenance
from jixiao.scoring.result import ScoreResult


def totals(result: ScoreResult | None) -> dict[str, Any] | None:
    """``total``, ``rate`` and ``grade`` of a result, or None when it was not calculated."""
    if result is None:
        return None
    return {
        "total": result.total,
        "max": result.max,
        "rate": result.rate,
        "grade": result.grade,
        "bonus": result.bonus,
    }


def provenance(review: Review, produced_at: str | None = None) -> dict[str, Any]:
    """What was reviewed, against what, with which options, by which jixiao, and when."""
    base = evaluation_provenance(review.self_ev, produced_at)
    return {
        "kind": "review",
        "sources": [
            {"role": role, "file": s.path.name, "sha256": s.sha256, "sheet": s.sheet}
            for role, s in sources(review)
        ],
        "framework": base["framework"],
        "settings": {
            "tolerance": review.settings.tolerance,
            "fill_from_self": review.settings.fill_from_self,
        },
        "jixiao_version": base["jixiao_version"],
        "produced_at": base["produced_at"],
    }


def finding_dict(review: Review, item: SideFinding) -> dict[str, Any]:
    """A finding as JSON-ready data, with the file it is about."""
    source = review.source(item.side)
    data = item.finding.to_dict(with_sheet=source.several_sheets)
    data["file"] = source.path.name
    data["side"] = str(item.side)
    return data


def line_dict(line: Line) -> dict[str, Any]:
    """One indicator compared, as JSON-ready data."""
    return {
        "path": list(line.path),
        "max": line.points,
        "self": line.self_score,
        "review": line.review_score,
        "final": line.final_score,
        "delta": line.delta,
        "self_rate": line.self_rate,
        "review_rate": line.review_rate,
        "final_rate": line.final_rate,
        "finance": line.finance,
        "filled_from_self": line.filled,
        "self_cell": line.self_cell,
        "review_cell": line.review_cell,
        "self_reason": line.self_reason,
        "review_reason": line.review_reason,
    }


def review_data(review: Review, produced_at: str | None = None) -> dict[str, Any]:
    """The review as JSON-ready data (Decimals kept as Decimals)."""
    c = review.comparison
    return {
        "kind": "review",
        "framework": review.framework.id,
        "ok": review.ok,
        "self": totals(c.self_result if c else review.self_ev.result),
        "review": totals(c.review_result if c else None),
        "final": totals(c.final_result if c else None),
        "grade_changed": c.grade_changed if c else None,
        "differences": [
            {
                "path": list(d.path),
                "max": d.points,
                "self": d.self_score,
                "review": d.review_score,
                "delta": d.delta,
                "reason": d.review_reason,
                "cell": d.review_cell,
                "finance": d.finance,
            }
            for d in (c.differences if c else [])
        ],
        "indicators": [line_dict(ln) for ln in (c.lines if c else ())],
        "findings": [finding_dict(review, f) for f in review.findings],
        "provenance": provenance(review, produced_at),
    }
