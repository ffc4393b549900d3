"""The framework model: an indicator hierarchy (指标体系) with 分值, grade bands and sources.

Frameworks are data (``frameworks/*.yaml``); these pydantic models describe their shape.
Structural checks live here; checks across nodes (children adding up, bands without gaps)
live in :mod:`jixiao.framework.load` so that every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.framework.rule_models import Rule

SCHEMA_VERSION = 1

Points = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class Provenance(StrEnum):
    """Where a figure comes from: a published document, an inference, or an assumption."""

    PUBLISHED = "published"
    INFERRED = "inferred"
    ASSUMED = "assumed"
    ILLUSTRATIVE = "illustrative"


class ChildrenFromSheet(StrEnum):
    """Whether the department's own sheet defines indicators below this node.

    ``no``: the node is scored as it is. ``allowed``: the sheet may score the node directly
    or add its own rows below it. ``required``: the sheet must add rows below it.
    Rows defined by the sheet carry their own 分值, which must add up to the node's 分值.
    """

    NO = "no"
    ALLOWED = "allowed"
    REQUIRED = "required"


class ScoredBy(StrEnum):
    """Who gives an indicator's score: the department (``self``, 自评) or the finance bureau
    (``finance``, 财政赋分). For a finance-scored indicator the finance score counts in a review,
    whatever the department wrote; the setting applies to everything below the indicator.
    """

    SELF = "self"
    FINANCE = "finance"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class BonusLimits(_Model):
    """Limits of a 加减分项 (bonus/penalty) node, which sits outside the weighted points."""

    minimum: Decimal = Field(allow_inf_nan=False, description="lower limit (e.g. -5)")
    maximum: Decimal = Field(allow_inf_nan=False, description="upper limit (e.g. 5)")
    total_may_exceed_max: bool = Field(
        default=False, description="whether the total may exceed the framework's total points"
    )
    provenance: Provenance | None = None
    note: str | None = None


class Indicator(_Model):
    """One node of the indicator tree (一级/二级/三级指标)."""

    name: str = Field(min_length=1)
    points: Points | None = Field(
        default=None, description="分值; null when the department's sheet defines it"
    )
    aliases: list[str] = Field(default_factory=list, description="other names seen in sheets")
    explanation: str | None = Field(default=None, description="指标解释")
    criteria: str | None = Field(default=None, description="评分标准")
    provenance: Provenance | None = Field(default=None, description="where the 分值 comes from")
    children_from_sheet: ChildrenFromSheet = ChildrenFromSheet.NO
    bonus: BonusLimits | None = Field(default=None, description="set on a 加减分项 node")
    note: str | None = None
    children: list[Indicator] = Field(default_factory=list)
    children_scale: Points | None = Field(
        default=None,
        gt=0,
        description=(
            "权重 × 百分制: the children are scored on this scale (e.g. 100) inside this node, and"
            " their sum is weighted into its 分值 (score = children's sum ÷ scale × 分值)"
        ),
    )
    rule: Rule | None = Field(default=None, description="计分规则: how the score follows from data")
    children_rule: Rule | None = Field(
        default=None, description="计分规则 for the indicators the sheet defines below this node"
    )
    optional: bool = Field(
        default=False, description="the sheet may leave this node out (only without fixed 分值)"
    )
    scored_by: ScoredBy = Field(
        default=ScoredBy.SELF, description="self: 自评; finance: 财政赋分 (the finance score counts)"
    )

    @property
    def is_bonus(self) -> bool:
        """True for a 加减分项 node."""
        return self.bonus is not None


class GradeBand(_Model):
    """A grade (等级) band: ``minimum`` inclusive, ``maximum`` exclusive except for the top band."""

    label: str = Field(min_length=1)
    minimum: Decimal = Field(allow_inf_nan=False)
    maximum: Decimal = Field(allow_inf_nan=False)
    aliases: list[str] = Field(default_factory=list, description="label variants, e.g. 优秀")


class Source(_Model):
    """The document a framework is built from, and what in it is published or inferred."""

    document: str
    reference: str | None = None
    notes: str | None = None


class Framework(_Model):
    """A complete framework: identity, sources, arithmetic settings, grade bands and the tree."""

    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str = Field(min_length=1)
    title: str
    region: str
    year: int = Field(ge=2000, le=2100)
    kind: str = Field(description="e.g. 部门整体支出 or 项目支出")
    source: Source
    precision: int = Field(default=2, ge=0, le=4)
    rounding: Literal["half_up"] = "half_up"
    total_points: Points
    grades: list[GradeBand] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    form: Literal["project"] | None = Field(
        default=None, description="layout of the official form: project = 项目支出绩效自评表"
    )
    template: bool = Field(
        default=False,
        description=(
            "a model form that places adapt (weights set 原则上, 三级 indicators per project or "
            "department): a sheet detected as this framework that departs from it is scored by "
            "its own tree, the departures listed as a warning. A region's own framework is not a "
            "template: a sheet that departs from it is an error."
        ),
    )

    def walk(self) -> Iterator[tuple[tuple[str, ...], Indicator]]:
        """Every indicator with its path of names from the 一级 down, depth first."""

        def visit(
            nodes: list[Indicator], prefix: tuple[str, ...]
        ) -> Iterator[tuple[tuple[str, ...], Indicator]]:
            for node in nodes:
                path = (*prefix, node.name)
                yield path, node
                yield from visit(node.children, path)

        yield from visit(self.indicators, ())

    @property
    def bonus_node(self) -> Indicator | None:
        """The top-level 加减分项 node, if the framework has one."""
        return next((n for n in self.indicators if n.is_bonus), None)

    @property
    def max_total(self) -> Decimal:
        """The highest total a sheet can reach (总分上限)."""
        bonus = self.bonus_node
        if bonus and bonus.bonus and bonus.bonus.total_may_exceed_max:
            return self.total_points + max(bonus.bonus.maximum, Decimal(0))
        return self.total_points

    def grade_for(self, total: Decimal) -> GradeBand | None:
        """The band a rounded total falls in; bands are half-open, the top one closed."""
        top = max(b.maximum for b in self.grades)
        for band in self.grades:
            if band.minimum <= total < band.maximum or (total == band.maximum == top):
                return band
        return None
