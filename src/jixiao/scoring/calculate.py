"""The calculator: pure and exact.

Scores are summed exactly as :class:`~decimal.Decimal`; every figure shown to a user is rounded
half up (四舍五入) at the framework's precision by :func:`jixiao.values.quantize`, the one
rounding rule; the grade is decided on the rounded total. No I/O here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from jixiao.framework.models import Framework
from jixiao.matching.tree import NodeInput
from jixiao.scoring.result import NodeResult, PartialResult, ScoreResult
from jixiao.values import HUNDRED, exact, quantize, rate_of


def exact_score(node: NodeInput) -> Decimal:
    """A node's exact score: its own for a leaf, the sum of its children otherwise."""
    if node.children:
        total = sum((exact_score(c) for c in node.children), Decimal(0))
        if node.scale is not None and node.points is not None:
            # 权重 × 百分制: children scored per ``scale`` (100) inside the node, weighted into it.
            return total * node.points / node.scale
        return total
    return node.score if node.score is not None else Decimal(0)


def _result(node: NodeInput, prefix: tuple[str, ...], places: int) -> NodeResult:
    path = (*prefix, node.name)
    value = exact_score(node)
    rate = rate_of(value, node.points)
    return NodeResult(
        path=path,
        points=node.points,
        score=quantize(value, places),
        rate=None if rate is None or node.is_bonus else quantize(rate, places),
        is_bonus=node.is_bonus,
        from_sheet=node.from_sheet,
        cell=node.cell,
        reason=node.reason,
        children=tuple(_result(c, path, places) for c in node.children),
        explanation=node.explanation,
    )


@exact
def calculate_partial(
    framework: Framework,
    inputs: Mapping[tuple[str, ...], NodeInput],
    error_paths: Iterable[tuple[str, ...]],
) -> PartialResult:
    """The subtotals a sheet with errors still supports (no total, no grade).

    An indicator is complete when matching built it (all its inputs read and valid) and no
    error stands at it or below it; an error at a parent (its children do not add up) leaves
    the children complete.
    """
    places = framework.precision
    # Every path at or above an error: a node is complete when it is not among them. Built once,
    # so a sheet with thousands of errors is not checked indicators × errors times.
    blocked = {e[:i] for e in error_paths if e for i in range(1, len(e) + 1)}

    def complete(path: tuple[str, ...]) -> bool:
        return path in inputs and path not in blocked

    nodes: list[NodeResult] = []
    incomplete: list[tuple[tuple[str, ...], Decimal | None]] = []
    placed: set[tuple[str, ...]] = set()
    for path, node in framework.walk():
        if any(path[:i] in placed for i in range(1, len(path))):
            continue  # inside a complete subtree already given
        if complete(path):
            nodes.append(_result(inputs[path], path[:-1], places))
            placed.add(path)
        else:
            incomplete.append((path, node.points))
    # Indicators the sheet defined below a framework node (not in the framework's walk).
    known = {path for path, _ in framework.walk()}
    incomplete_paths = {p for p, _ in incomplete}
    for path, node_input in inputs.items():
        if path in known or any(path[:i] in placed for i in range(1, len(path))):
            continue
        if complete(path) and path[:-1] in incomplete_paths:
            nodes.append(_result(node_input, path[:-1], places))
            placed.add(path)
    return PartialResult(tuple(nodes), tuple(incomplete))


@exact
def calculate(framework: Framework, tree: Sequence[NodeInput]) -> ScoreResult:
    """Subtotals, rates, total and grade for a matched tree of indicators."""
    places = framework.precision

    def result(node: NodeInput, prefix: tuple[str, ...]) -> NodeResult:
        return _result(node, prefix, places)

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
