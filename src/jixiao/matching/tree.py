"""The matcher's data: the tree it builds for the calculator, and the figures a sheet reports.

:class:`NodeInput` is what matching hands to the calculator; :class:`Entry` is a framework
node (or a sheet-defined indicator) while rows are being placed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.framework.models import ChildrenFromSheet, Indicator
from jixiao.framework.rule_models import FUNDS_INPUTS, AnyRule, rule_inputs
from jixiao.read.table import SheetCell, SheetRow
from jixiao.values import Label, name_key

ZERO = Decimal(0)


@dataclass(frozen=True)
class NodeInput:
    """One indicator as read from a sheet, ready to calculate.

    Leaves carry a ``score``; inner nodes carry ``children`` and their score is the sum.
    ``points`` is None only for a 加减分项 node, which has limits instead of 分值.
    """

    name: str
    points: Decimal | None
    score: Decimal | None = None
    children: tuple[NodeInput, ...] = ()
    is_bonus: bool = False
    from_sheet: bool = False
    cell: str | None = None
    reason: str | None = None
    explanation: str | None = None  # how a 计分规则 gave the score (one line, Chinese)
    scale: Decimal | None = None  # 权重 × 百分制: the children's own scale (see Indicator.children_scale)


@dataclass(frozen=True)
class Reported:
    """A figure the sheet states about itself (a subtotal, a rate, the 合计), to be checked."""

    path: tuple[str, ...]  # () for the grand total
    kind: str  # "score", "rate" or "points"
    value: Decimal
    cell: SheetCell


@dataclass
class Match:
    """The outcome of matching: the tree to calculate (None on errors), findings, reported figures."""

    tree: list[NodeInput] | None
    findings: list[Finding]
    reported: list[Reported]
    inputs: dict[tuple[str, ...], NodeInput] = field(default_factory=dict)


@dataclass
class Entry:
    """A framework node, or an indicator the sheet defines, while rows are placed."""

    name: str
    path: tuple[str, ...]
    node: Indicator | None  # None for an indicator defined by the sheet
    children: dict[str, Entry] = field(default_factory=dict)
    row: SheetRow | None = None
    label: tuple[Label, SheetCell] | None = None
    label_points: list[tuple[Label, SheetCell]] = field(default_factory=list)

    @property
    def from_sheet(self) -> bool:
        return self.node is None

    @property
    def allows_sheet_children(self) -> bool:
        if self.node is None:
            return True
        return self.node.children_from_sheet is not ChildrenFromSheet.NO or self.node.is_bonus

    def has_rows(self) -> bool:
        return self.row is not None or any(c.has_rows() for c in self.children.values())


def reads_funds(rule: AnyRule) -> bool:
    """True for a rule that reads only figures of the funds block (全年预算数, 全年执行数 …)."""
    return set(rule_inputs(rule)) <= FUNDS_INPUTS


def keys(node: Indicator) -> list[str]:
    return [name_key(n) for n in (node.name, *node.aliases)]


def entries(nodes: Iterable[Indicator], prefix: tuple[str, ...]) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for node in nodes:
        path = (*prefix, node.name)
        entry = Entry(node.name, path, node, entries(node.children, path))
        for key in keys(node):
            out.setdefault(key, entry)
    return out


def unique(children: dict[str, Entry]) -> list[Entry]:
    seen: list[Entry] = []
    ids: set[int] = set()  # by identity, in one pass (10,000 sheet-defined rows stay linear)
    for e in children.values():
        if id(e) not in ids:
            ids.add(id(e))
            seen.append(e)
    return seen
