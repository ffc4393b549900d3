"""Reviewer re-scoring (复核): pair self and review scores indicator by indicator. Pure.

The department's matched tree (自评) is the skeleton. For each of its scored indicators the
reviewer's entry (复核得分) is looked up by path; the final score (最终得分) is the review score
where given, the self score where the reviewer left it blank and ``fill_from_self`` is set, and
always the finance score for an indicator the framework marks as finance-scored (财政赋分).
Totals, rates and grades come from :func:`jixiao.scoring.calculate.calculate`, so review figures are
rounded exactly like self figures. No I/O here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from jixiao import findings as F
from jixiao.findings import Finding, Position
from jixiao.framework.models import Framework, ScoredBy
from jixiao.matching.tree import NodeInput
from jixiao.scoring.calculate import calculate
from jixiao.scoring.result import NodeResult, ScoreResult
from jixiao.values import plain

IndicatorPath = tuple[str, ...]


class Side(StrEnum):
    """Which input a finding is about: the department's sheet or the reviewer's."""

    SELF = "self"
    REVIEW = "review"


class State(StrEnum):
    """What the reviewer's sheet holds for one indicator."""

    GIVEN = "given"  # a usable score
    BLANK = "blank"  # the cell is empty
    INVALID = "invalid"  # unusable; a finding already says why
    ABSENT = "absent"  # the reviewer's sheet has no such indicator (two-file mode)


@dataclass(frozen=True)
class ReviewEntry:
    """The reviewer's entry for one scored indicator."""

    state: State
    score: Decimal | None = None
    points: Decimal | None = None
    cell: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class SideFinding:
    """A finding together with the input it is about."""

    side: Side
    finding: Finding


@dataclass(frozen=True)
class Settings:
    """The reviewer's options: the tolerance for self above review, and filling blanks."""

    tolerance: Decimal = Decimal(1)
    fill_from_self: bool = False


@dataclass(frozen=True)
class Line:
    """One indicator compared: self, review and final figures (all already rounded)."""

    path: IndicatorPath
    points: Decimal | None
    is_leaf: bool
    is_bonus: bool
    finance: bool
    filled: bool
    self_score: Decimal
    self_rate: Decimal | None
    self_cell: str | None
    self_reason: str | None
    review_score: Decimal | None
    review_rate: Decimal | None
    review_cell: str | None
    review_reason: str | None
    final_score: Decimal | None
    final_rate: Decimal | None

    @property
    def level(self) -> int:
        """1 for 一级指标, 2 for 二级, ..."""
        return len(self.path)

    @property
    def name(self) -> str:
        """The indicator's own name."""
        return self.path[-1]

    @property
    def delta(self) -> Decimal | None:
        """Final minus self, on the rounded figures a reader sees (exact: no rounding needed)."""
        return None if self.final_score is None else self.final_score - self.self_score


@dataclass(frozen=True)
class Comparison:
    """Self, review and final results side by side, with the findings of the comparison."""

    self_result: ScoreResult
    review_result: ScoreResult | None
    final_result: ScoreResult | None
    lines: tuple[Line, ...]
    findings: tuple[SideFinding, ...] = field(default_factory=tuple)

    @property
    def grade_changed(self) -> bool | None:
        """Whether the final grade differs from the self grade; None without a final result."""
        if self.final_result is None:
            return None
        return self.final_result.grade != self.self_result.grade

    @property
    def differences(self) -> list[Line]:
        """Scored indicators whose final score differs from the self score."""
        return [ln for ln in self.lines if ln.is_leaf and ln.delta not in (None, Decimal(0))]


def finance_paths(framework: Framework) -> set[IndicatorPath]:
    """Paths of the indicators the framework marks as finance-scored (财政赋分)."""
    return {path for path, node in framework.walk() if node.scored_by is ScoredBy.FINANCE}


def is_finance(path: IndicatorPath, marked: set[IndicatorPath]) -> bool:
    """True when the indicator or one above it is finance-scored."""
    return any(path[:i] in marked for i in range(1, len(path) + 1))


def leaves(
    tree: Sequence[NodeInput], prefix: IndicatorPath = ()
) -> Iterator[tuple[IndicatorPath, NodeInput]]:
    """Every scored indicator (leaf) of a tree, with its path."""
    for node in tree:
        path = (*prefix, node.name)
        if node.children:
            yield from leaves(node.children, path)
        else:
            yield path, node


def compare(
    framework: Framework,
    self_tree: Sequence[NodeInput],
    review: Mapping[IndicatorPath, ReviewEntry],
    settings: Settings,
    *,
    self_sheet: str | None = None,
    review_sheet: str | None = None,
    review_name: str = "",
    self_name: str = "",
    extra_errors: bool = False,
) -> Comparison:
    """Pair the department's tree with the reviewer's entries and calculate every figure.

    ``extra_errors`` says that the reviewer's sheet has errors found elsewhere (an unknown
    indicator, a wrong 分值): the final figures are then not calculated.
    """
    marked = finance_paths(framework)
    out: list[SideFinding] = []
    finals: dict[IndicatorPath, NodeInput] = {}
    reviews: dict[IndicatorPath, NodeInput] = {}
    filled: set[IndicatorPath] = set()
    blocked = extra_errors
    complete = True

    def add(side: Side, code: str, cell: str | None, path: IndicatorPath, **kw: object) -> None:
        sheet = self_sheet if side is Side.SELF else review_sheet
        out.append(SideFinding(side, F.make(code, position=Position(sheet, cell), path=path, **kw)))

    self_leaves = dict(leaves(self_tree))
    for path, mine in self_leaves.items():
        entry = review.get(path, ReviewEntry(State.ABSENT))
        finance = is_finance(path, marked)
        own = mine.score if mine.score is not None else Decimal(0)
        if entry.state is State.GIVEN and entry.score is not None:
            value = entry.score
            if entry.points is not None and mine.points is not None and entry.points != mine.points:
                add(
                    Side.REVIEW,
                    "review-points-differ",
                    entry.cell,
                    path,
                    found=plain(entry.points),
                    expected=plain(mine.points),
                )
                blocked = True
                continue
            if finance:
                if value != own:
                    add(
                        Side.REVIEW,
                        "finance-score-differs",
                        entry.cell,
                        path,
                        self_score=plain(own),
                        review=plain(value),
                    )
            else:
                if value < own and not entry.reason:
                    add(
                        Side.REVIEW,
                        "review-deduction-without-reason",
                        entry.cell,
                        path,
                        review=plain(value),
                        self_score=plain(own),
                    )
                if own - value > settings.tolerance:
                    add(
                        Side.REVIEW,
                        "self-above-review",
                        entry.cell,
                        path,
                        self_score=plain(own),
                        review=plain(value),
                        delta=plain(own - value),
                        tolerance=plain(settings.tolerance),
                    )
            node = replace(mine, score=value, cell=entry.cell, reason=entry.reason)
            finals[path] = reviews[path] = node
        elif entry.state is State.INVALID:
            blocked = True
        else:
            complete = False
            absent = entry.state is State.ABSENT
            where = f"复核表 {review_name} 中没有此指标" if absent else "复核得分未填写"
            if finance:
                add(
                    Side.SELF if absent else Side.REVIEW,
                    "finance-score-missing",
                    mine.cell if absent else entry.cell,
                    path,
                    where=where,
                )
                blocked = True
            elif settings.fill_from_self:
                add(
                    Side.SELF if absent else Side.REVIEW,
                    "review-filled-from-self",
                    mine.cell if absent else entry.cell,
                    path,
                    where=where,
                    score=plain(own),
                )
                finals[path] = mine
                filled.add(path)
            elif absent:
                add(Side.SELF, "indicator-only-in-self", mine.cell, path, name=path[-1], other=review_name)
                blocked = True
            else:
                add(Side.REVIEW, "review-score-missing", entry.cell, path)
                blocked = True
    for path, entry in review.items():
        if entry.state is State.GIVEN and path not in self_leaves:
            add(Side.REVIEW, "indicator-only-in-review", entry.cell, path, name=path[-1], other=self_name)
            blocked = True

    self_result = calculate(framework, self_tree)
    final_result = review_result = None
    if not blocked:
        final_result = calculate(framework, _substitute(self_tree, finals))
        if complete:
            review_result = calculate(framework, _substitute(self_tree, reviews))
    lines = tuple(_lines(self_result, review_result, final_result, marked, filled))
    return Comparison(self_result, review_result, final_result, lines, tuple(out))


def _substitute(tree: Sequence[NodeInput], by_path: Mapping[IndicatorPath, NodeInput]) -> list[NodeInput]:
    def visit(node: NodeInput, prefix: IndicatorPath) -> NodeInput:
        path = (*prefix, node.name)
        if node.children:
            return replace(node, children=tuple(visit(c, path) for c in node.children))
        return by_path[path]

    return [visit(n, ()) for n in tree]


def _lines(
    mine: ScoreResult,
    review: ScoreResult | None,
    final: ScoreResult | None,
    marked: set[IndicatorPath],
    filled: set[IndicatorPath],
) -> Iterator[Line]:
    def index(result: ScoreResult | None) -> dict[IndicatorPath, NodeResult]:
        return {n.path: n for n in result.walk()} if result is not None else {}

    reviewed, finals = index(review), index(final)
    for node in mine.walk():
        r, f = reviewed.get(node.path), finals.get(node.path)
        leaf_filled = node.is_leaf and node.path in filled
        # The reviewer's own entry, for a scored indicator the reviewer actually scored.
        given = (r or f) if node.is_leaf and not leaf_filled else None
        yield Line(
            path=node.path,
            points=node.points,
            is_leaf=node.is_leaf,
            is_bonus=node.is_bonus,
            finance=is_finance(node.path, marked),
            filled=leaf_filled,
            self_score=node.score,
            self_rate=node.rate,
            self_cell=node.cell,
            self_reason=node.reason,
            review_score=r.score if r else (given.score if given else None),
            review_rate=r.rate if r else (given.rate if given else None),
            review_cell=given.cell if given else None,
            review_reason=given.reason if given else None,
            final_score=f.score if f else None,
            final_rate=f.rate if f else None,
        )
