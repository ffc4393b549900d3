"""Scoring results: the indicator tree with 分值, 得分 and 得分率 at every level, and the total."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class NodeResult:
    """An indicator after calculation; every figure already rounded at the framework precision."""

    path: tuple[str, ...]
    points: Decimal | None
    score: Decimal
    rate: Decimal | None
    is_bonus: bool = False
    from_sheet: bool = False
    cell: str | None = None
    reason: str | None = None
    children: tuple[NodeResult, ...] = ()
    explanation: str | None = None

    @property
    def name(self) -> str:
        """The indicator's own name."""
        return self.path[-1]

    @property
    def level(self) -> int:
        """1 for 一级指标, 2 for 二级, ..."""
        return len(self.path)

    @property
    def is_leaf(self) -> bool:
        """True for an indicator scored directly in the sheet."""
        return not self.children

    @property
    def lost(self) -> Decimal:
        """Points lost (扣分) on this indicator."""
        return (self.points - self.score) if self.points is not None else Decimal(0)

    def walk(self) -> Iterator[NodeResult]:
        """This node and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ScoreResult:
    """The scored sheet: total, 得分率, 等级 and the tree."""

    framework_id: str
    framework_version: str
    precision: int
    max: Decimal
    total: Decimal
    rate: Decimal
    grade: str | None
    weighted: Decimal
    bonus: Decimal | None
    capped: bool
    indicators: tuple[NodeResult, ...] = field(default_factory=tuple)

    def walk(self) -> Iterator[NodeResult]:
        """Every indicator, depth first from the 一级 down."""
        for node in self.indicators:
            yield from node.walk()

    def find(self, *path: str) -> NodeResult:
        """The node at a path of names; KeyError when there is none."""
        for node in self.walk():
            if node.path == path:
                return node
        raise KeyError(path)


@dataclass(frozen=True)
class PartialResult:
    """What can be given while a sheet has errors: every subtotal whose inputs are complete.

    ``nodes`` are the highest complete indicators (each with its complete subtree);
    ``incomplete`` lists, in framework order, the indicators withheld (path, 分值) because an
    error stands at or below them. The total and the grade are never part of it.
    """

    nodes: tuple[NodeResult, ...] = ()
    incomplete: tuple[tuple[tuple[str, ...], Decimal | None], ...] = ()

    def walk(self) -> Iterator[NodeResult]:
        """Every complete indicator, depth first."""
        for node in self.nodes:
            yield from node.walk()

    @property
    def incomplete_paths(self) -> set[tuple[str, ...]]:
        """The paths of the withheld indicators."""
        return {path for path, _ in self.incomplete}
