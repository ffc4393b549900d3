"""Turn a review (复核, :mod:`jixiao.reviewing.pipeline`) into the report's input: self and final."""

from __future__ import annotations

from jixiao.report.builder import ReportInput
from jixiao.reviewing.pipeline import Review


def review_input(review: Review) -> ReportInput:
    """Self scores, final scores (review, self where filled, finance where finance-scored), the
    reviewer's reasons and the finance-scored indicators; the review must have final figures."""
    c = review.comparison
    if c is None or c.final_result is None:
        raise ValueError("a review with errors has no final figures to report")
    return ReportInput(
        self_result=c.self_result,
        final_result=c.final_result,
        unit=review.self_ev.table.unit_name,
        final_reasons={ln.path: ln.review_reason for ln in c.lines if ln.review_reason},
        finance=frozenset(ln.path for ln in c.lines if ln.finance),
        kind=review.self_ev.framework.framework.kind,
    )
