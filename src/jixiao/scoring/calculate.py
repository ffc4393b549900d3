"""The calculator: pure and exact.

Scores are summed exactly as :class:`~decimal.Decimal`; every figure shown to a user is rounded
half up (四舍五入) at the framework's precision by :func:`jixiao.values.quantize`, the one
rounding rule; the grade is decided on the rounded total. No I/O here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jixiao.framework.models import Framework
from jixiao.matching.tree import NodeInput
from jixiao.scoring.result import NodeResult, ScoreResult
from jixiao.values import HUNDRED, exact, quantize, rate_of


def exact_score(node: NodeInput) -> Decimal:
    """A node's exact score: its own for a leaf, the sum of its children otherwise."""
    if node.children:
        return sum((exact_score(c) for c in node.children), Decimal(0))
    return node.score if node.score is not None else Decimal(0)


@exact
def calculate(framework: Framework, tree: Sequence[NodeInput]) -> ScoreResult:
    """Subtotals, rates, total and grade for a matched tree of indicators."""
    places = framework.precision

    def result(node: NodeInput, prefix: tuple[str, ...]) -> NodeResult:
        path = (*prefix, node.name)
        exact = exact_score(node)
        rate = rate_of(exact, node.points)
        return NodeResult(
            path=path,
            points=node.points,
            score=quantize(exact, places),
            rate=None if rate is None or node.is_bonus else quantize(rate, places),
            is_bonus=node.is_bonus,
            from_sheet=node.from_sheet,
            cell=node.cell,
            reason=node.reason,
            children=tuple(result(c, path) for c in node.children),
            explanation=node.explanation,
        )

    weighted = sum((exact_score(n) for n in tree if not n.is_bonus), Decimal(0))
    bonus_nodes = [n for n in tree if n.is_bonus]
    bonus = sum((exact_score(n) for n in bonus_nodes), Decimal(0)) if bonus_nodes else None
    raw = weighted + (bonus or Decimal(0))
    ceiling = framework.max_total
    capped = raw > ceiling
    total_exact = min(max(raw, Decimal(0)), ceiling)
    total = quantize(total_exact, places)
    band = framework.grade_for(total)
    return ScoreResult(
        framework_id=framework.id,
        framework_version=framework.version,
        precision=places,
        max=framework.total_points,
        total=total,
        rate=quantize(total_exact / framework.total_points * HUNDRED, places),
        grade=band.label if band else None,
        weighted=quantize(weighted, places),
        bonus=None if bonus is None else quantize(bonus, places),
        capped=capped,
        indicators=tuple(result(n, ()) for n in tree),
    )
