"""Scoring rules (计分规则) as declarative data.

A framework may state, for an indicator (``rule:``) or for the indicators a sheet defines below
a node (``children_rule:``), how its score follows from raw data in the sheet. Rules are plain
data validated when the framework loads; nothing in a framework or a sheet is ever evaluated as
code or as a formula. The evaluation itself lives in :mod:`jixiao.rules.evaluate`.

Kinds (the ``kind`` key):

- ``proportional``: 按完成比例计算得分，满分为止 — min(actual ÷ target, 1) × 分值, or with
  ``reverse: true`` (lower is better) min(target ÷ actual, 1) × 分值.
- ``tiers``: ranges of a value, each with its own inclusive/exclusive ends, each giving points.
- ``deduction``: so many points per unit over (or under) a threshold, or per occurrence; the
  score never goes below 0 (扣完为止).
- ``checklist``: items each worth points, answered yes/no.
- ``qualitative``: 定性 bands (达成 / 部分达成 / 未达成 → 80–100 %, 50–80 %, 0–50 % of 分值);
  the person chooses the score inside the band, the tool checks it lies there.
- ``target_actual``: the 项目支出 default: a numeric 年度指标值 is scored proportionally (its
  comparison sign gives the direction: "≤" means lower is better), a textual one by the bands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.errors import FrameworkProblem
from jixiao.values import plain

Amount = Annotated[Decimal, Field(allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]

InputName = Literal["target", "actual", "budget_initial", "budget", "spent"]
"""Where a rule reads its data: the row's 年度指标值 / 实际完成值 columns, or the funds block
(年初预算数 / 全年预算数 / 全年执行数; a row's own cells of that name win when it has them)."""

INPUT_LABELS: dict[str, str] = {
    "target": "年度指标值",
    "actual": "实际完成值",
    "budget_initial": "年初预算数",
    "budget": "全年预算数",
    "spent": "全年执行数",
}
FUNDS_INPUTS = frozenset({"budget_initial", "budget", "spent"})
RULE_KINDS = ("proportional", "tiers", "deduction", "checklist", "qualitative", "target_actual")

_NUM = r"-?\d+(?:\.\d+)?"
_INTERVAL = re.compile(rf"^([\[(])\s*({_NUM})?\s*[,，]\s*({_NUM})?\s*([\])])$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def parse_interval(text: str) -> dict[str, Any]:
    """Read interval notation ("[80, 90)", "(0,10]", "[90,)", "0") into tier bounds.

    An empty end is unbounded; a lone number is the point interval [n, n].
    Raises ValueError with a Chinese message for anything else.
    """
    s = text.strip()
    if re.fullmatch(_NUM, s):
        return {"min": Decimal(s), "max": Decimal(s), "min_inclusive": True, "max_inclusive": True}
    m = _INTERVAL.match(s)
    if not m:
        raise ValueError(f"区间“{text}”格式不对，应写成 [80, 90)、(0, 10]、[90, ) 或单个数字")
    out: dict[str, Any] = {
        "min_inclusive": m.group(1) == "[",
        "max_inclusive": m.group(4) == "]",
        "min": Decimal(m.group(2)) if m.group(2) else None,
        "max": Decimal(m.group(3)) if m.group(3) else None,
    }
    if out["min"] is None and out["min_inclusive"]:
        raise ValueError(f"区间“{text}”：无下限时左端应写 (")
    if out["max"] is None and out["max_inclusive"]:
        raise ValueError(f"区间“{text}”：无上限时右端应写 )")
    return out


def _range_in_schema(schema: dict[str, Any]) -> None:
    """Let editors know the ``range: "[80, 90)"`` shorthand the model accepts."""
    schema.setdefault("properties", {})["range"] = {
        "type": "string",
        "description": 'interval notation instead of min/max: "[80, 90)", "(0, 10]", "[90, )", "0"',
    }


class Range(_Model):
    """A range of values with its own inclusive/exclusive ends; ``None`` ends are unbounded.

    Written either with keys (``min``, ``max``, ``min_inclusive``, ``max_inclusive``) or as
    ``range: "[80, 90)"``.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, defer_build=True, json_schema_extra=_range_in_schema
    )

    min: Amount | None = None
    max: Amount | None = None
    min_inclusive: bool = True
    max_inclusive: bool = False

    @model_validator(mode="before")
    @classmethod
    def _range_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and "range" in data:
            data = dict(data)
            text = data.pop("range")
            both = [k for k in ("min", "max", "min_inclusive", "max_inclusive") if k in data]
            if both:
                raise ValueError(f"range 与 {'、'.join(both)} 不能同时写")
            data.update(parse_interval(str(text)))
        return data

    def contains(self, value: Decimal) -> bool:
        """True when ``value`` lies in the range, each end inclusive or not as stated."""
        if self.min is not None and (value < self.min or (value == self.min and not self.min_inclusive)):
            return False
        return not (
            self.max is not None and (value > self.max or (value == self.max and not self.max_inclusive))
        )

    def describe(self, unit: str = "") -> str:
        """The range in interval notation with its unit, e.g. ``[80%, 90%)`` or ``0%``."""
        if self.min is not None and self.min == self.max:
            return f"{plain(self.min)}{unit}"
        lo = f"{plain(self.min)}{unit}" if self.min is not None else "-∞"
        hi = f"{plain(self.max)}{unit}" if self.max is not None else "+∞"
        left = "[" if self.min_inclusive and self.min is not None else "("
        right = "]" if self.max_inclusive and self.max is not None else ")"
        return f"{left}{lo}, {hi}{right}"


class Tier(Range):
    """One tier (档次) of a ``tiers`` rule: a range and the points it gives."""

    points: NonNegative


class ProportionalRule(_Model):
    """按完成比例计算得分，满分为止: min(actual ÷ target, 1) × 分值 (reverse: target ÷ actual)."""

    kind: Literal["proportional"]
    actual: InputName = "actual"
    target: InputName = "target"
    reverse: bool = Field(default=False, description="lower is better (e.g. 成本、变动率)")
    label: str = Field(default="完成率", min_length=1, description="shown in the explanation")


class TiersRule(_Model):
    """Ranges of a value, each giving points; ``otherwise`` for values outside every tier."""

    kind: Literal["tiers"]
    input: InputName = "actual"
    label: str = Field(default="指标值", min_length=1)
    unit: str = Field(default="", description='unit of the bounds, e.g. "%"')
    tiers: list[Tier] = Field(min_length=1)
    otherwise: NonNegative | None = Field(
        default=None, description="points for a value outside every tier; unset: a finding"
    )


class DeductionRule(_Model):
    """扣完为止: ``deduct`` points per ``per`` units above (or below) ``threshold``, floor 0.

    Per occurrence (每出现一例扣1分) is threshold 0, per 1, input = the count.
    """

    kind: Literal["deduction"]
    input: InputName = "actual"
    label: str = Field(default="指标值", min_length=1)
    unit: str = ""
    threshold: Amount = Decimal(0)
    direction: Literal["above", "below"] = "above"
    per: Positive = Decimal(1)
    deduct: Positive
    units: Literal["exact", "whole_up", "whole_down"] = Field(
        default="exact",
        description="count part units exactly, or as whole units rounded up (不足一个按一个计) or down",
    )


class ChecklistItem(_Model):
    """One item of a checklist (①②③), worth ``points`` when answered yes."""

    name: str = Field(min_length=1)
    points: Positive


class ChecklistRule(_Model):
    """Items each worth points, answered yes/no in the 实际完成值 cell ("是,否,是")."""

    kind: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)


class Band(Range):
    """A 定性 band: its label (and variants) and its range in percent of 分值."""

    label: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


def default_bands() -> list[Band]:
    """达成 [80 %, 100 %], 部分达成 [50 %, 80 %), 未达成 [0 %, 50 %) of 分值."""
    return [
        Band(
            label="达成",
            min=Decimal(80),
            max=Decimal(100),
            max_inclusive=True,
            aliases=["已达成", "完成", "已完成", "全部完成", "实现", "已实现", "达到", "已达到"],
        ),
        Band(
            label="部分达成",
            min=Decimal(50),
            max=Decimal(80),
            aliases=["基本达成", "基本完成", "部分完成", "部分实现", "基本实现", "基本达到"],
        ),
        Band(
            label="未达成",
            min=Decimal(0),
            max=Decimal(50),
            aliases=["未完成", "未实现", "未达到", "没有完成"],
        ),
    ]


class QualitativeRule(_Model):
    """定性: the 实际完成值 names a band; the typed 自评得分 must lie in it."""

    kind: Literal["qualitative"]
    bands: list[Band] = Field(default_factory=default_bands, min_length=1)


class TargetActualRule(_Model):
    """年度指标值 vs 实际完成值: numeric → proportional (direction from the sign), text → bands."""

    kind: Literal["target_actual"]
    bands: list[Band] = Field(default_factory=default_bands, min_length=1)


AnyRule = ProportionalRule | TiersRule | DeductionRule | ChecklistRule | QualitativeRule | TargetActualRule
"""Any rule model (for type hints)."""

Rule = Annotated[AnyRule, Field(discriminator="kind")]
"""A rule as a framework field: the models above, told apart by ``kind``."""


def rule_inputs(rule: Any) -> tuple[str, ...]:
    """The input names a rule reads, the actual value first (to find them in a row or the funds
    block, and to name them in findings)."""
    if isinstance(rule, ProportionalRule):
        return (rule.actual, rule.target)
    if isinstance(rule, TiersRule | DeductionRule):
        return (rule.input,)
    if isinstance(rule, TargetActualRule):
        return ("actual", "target")
    return ("actual",)


# -- checks when a framework loads -----------------------------------------------------------


def _lower_key(r: Range) -> tuple[Decimal, int]:
    return (r.min if r.min is not None else Decimal("-Infinity"), 0 if r.min_inclusive else 1)


def check_ranges(ranges: Sequence[Range], where: str, key: str, unit: str = "") -> list[FrameworkProblem]:
    """Bad bounds, overlaps and gaps between consecutive ranges (each end's inclusivity counts)."""
    problems: list[FrameworkProblem] = []
    good: list[tuple[int, Range]] = []
    for i, r in enumerate(ranges):
        here = f"{where}.{key}[{i}]"
        if r.min is not None and r.max is not None and r.min > r.max:
            problems.append(FrameworkProblem(here, f"下限 {plain(r.min)} 大于上限 {plain(r.max)}"))
        elif r.min is not None and r.min == r.max and not (r.min_inclusive and r.max_inclusive):
            problems.append(
                FrameworkProblem(
                    here, f"上下限都是 {plain(r.min)} 时两端都须包含（写成单个数字），否则区间为空"
                )
            )
        else:
            good.append((i, r))
    good.sort(key=lambda p: _lower_key(p[1]))
    for (i, a), (j, b) in pairwise(good):
        here = f"{where}.{key}[{j}]"
        names = f"第 {i + 1} 档 {a.describe(unit)} 与第 {j + 1} 档 {b.describe(unit)}"
        if a.max is None or b.min is None or a.max > b.min:
            problems.append(FrameworkProblem(here, f"区间重叠：{names}"))
        elif a.max < b.min:
            problems.append(
                FrameworkProblem(
                    here,
                    f"区间有空缺：{names} 之间（{plain(a.max)}{unit} 到 {plain(b.min)}{unit}）没有档次",
                )
            )
        elif a.max_inclusive and b.min_inclusive:
            problems.append(FrameworkProblem(here, f"区间重叠：{names} 都包含 {plain(a.max)}{unit}"))
        elif not a.max_inclusive and not b.min_inclusive:
            problems.append(FrameworkProblem(here, f"区间有空缺：{names} 都不包含 {plain(a.max)}{unit}"))
    return problems


def _check_bands(bands: Sequence[Band], where: str) -> list[FrameworkProblem]:
    problems = check_ranges(bands, where, "bands", "%")
    seen: set[str] = set()
    for i, band in enumerate(bands):
        for end in (band.min, band.max):
            if end is None or not Decimal(0) <= end <= Decimal(100):
                problems.append(
                    FrameworkProblem(
                        f"{where}.bands[{i}]", "定性档次须写明上下限，且在分值的 0% 到 100% 之间"
                    )
                )
                break
        for label in (band.label, *band.aliases):
            if label in seen:
                problems.append(FrameworkProblem(f"{where}.bands[{i}].label", f"档次名称“{label}”重复"))
            seen.add(label)
    return problems


def check_rule(rule: Any, points: Decimal | None, where: str) -> list[FrameworkProblem]:
    """Every problem of one rule, given the indicator's 分值 (None when the sheet sets it)."""
    problems: list[FrameworkProblem] = []
    if isinstance(rule, ProportionalRule) and rule.actual == rule.target:
        problems.append(FrameworkProblem(f"{where}.target", "实际值与目标值不能取同一项数据"))
    if isinstance(rule, TiersRule):
        problems += check_ranges(rule.tiers, where, "tiers", rule.unit)
        if points is not None:
            for i, tier in enumerate(rule.tiers):
                if tier.points > points:
                    problems.append(
                        FrameworkProblem(
                            f"{where}.tiers[{i}].points",
                            f"档次得分 {plain(tier.points)} 超过分值 {plain(points)}",
                        )
                    )
            if rule.otherwise is not None and rule.otherwise > points:
                problems.append(
                    FrameworkProblem(
                        f"{where}.otherwise",
                        f"得分 {plain(rule.otherwise)} 超过分值 {plain(points)}",
                    )
                )
    if isinstance(rule, ChecklistRule):
        names: set[str] = set()
        for i, item in enumerate(rule.items):
            if item.name in names:
                problems.append(FrameworkProblem(f"{where}.items[{i}].name", f"清单项“{item.name}”重复"))
            names.add(item.name)
        total = sum((item.points for item in rule.items), Decimal(0))
        if points is not None and total != points:
            problems.append(
                FrameworkProblem(
                    f"{where}.items",
                    f"清单各项分值合计 {plain(total)}，应等于分值 {plain(points)}",
                )
            )
    if isinstance(rule, QualitativeRule | TargetActualRule):
        problems += _check_bands(rule.bands, where)
    return problems
