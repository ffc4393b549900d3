"""Plain data shared by the parser and the checks: figures, claims and what was found about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from jixiao.auditing._project import Finding


class Status(StrEnum):
    """What the checks say about one claim."""

    AGREES = "agrees"  # ✓ every check it takes part in agrees
    DIFFERS = "differs"  # ✗ at least one check disagrees
    UNCHECKED = "unchecked"  # 未核对: nothing to tie it to


class ClaimKind(StrEnum):
    """What a claim is."""

    TABLE_ROW = "table-row"  # a row of the score table (一级, 二级 or 三级)
    TABLE_TOTAL = "table-total"  # the table's 合计 row
    INDICATOR = "indicator"  # "履职效能情况。指标分值 46 分，自评得分 45.31 分，得分率 98.5%"
    TOTAL = "total"  # "综合得分为 98.81 分"
    GRADE = "grade"  # "绩效等级为“优”"
    PARTS = "parts"  # "得分为 93.89 分，其中管理效能得分 43.89 分，…"
    COUNT = "count"  # "共设置 11 个二级指标"
    SHARE = "share"  # "财政拨款收入 31,570.33 万元，占 77.08%"
    CHANGE = "change"  # "比上年 5.05 万元，下降 6.53%"
    COMPLETION = "completion"  # "预算完成率 98.62%"


@dataclass(frozen=True)
class Figure:
    """One printed figure: its role (分值, 自评得分, 得分率, 金额, 等级 …), as printed, and exact value."""

    role: str
    printed: str
    value: Decimal | None = None  # None for words such as a grade


@dataclass
class Claim:
    """A statement in the report that carries figures, with where it is printed."""

    kind: ClaimKind
    text: str
    place: str
    figures: list[Figure]
    path: tuple[str, ...] = ()  # the indicator (一级, 二级 …) or item the figures are about
    notes: list[str] = field(default_factory=list)  # one line per check, with ✓ or ✗
    failed: bool = False

    @property
    def subject(self) -> str:
        """The indicator or item name, e.g. 整体效能."""
        return self.path[-1] if self.path else ""

    @property
    def status(self) -> Status:
        """✓ when checked and all agree, ✗ when a check fails, 未核对 otherwise."""
        if self.failed:
            return Status.DIFFERS
        return Status.AGREES if self.notes else Status.UNCHECKED

    def figure(self, role: str) -> Figure | None:
        """The first figure of ``role``, if printed."""
        return next((f for f in self.figures if f.role == role), None)

    def value(self, role: str) -> Decimal | None:
        """The exact value of the first figure of ``role``."""
        f = self.figure(role)
        return f.value if f else None


@dataclass
class Parsed:
    """Everything the parser found in a report."""

    claims: list[Claim]
    table_found: bool = False
    table_place: str | None = None


@dataclass
class Outcome:
    """The claims after checking, and one finding per disagreement."""

    claims: list[Claim]
    findings: list[Finding]
    checks: int = 0
    failures: int = 0
