"""Apply scoring rules (计分规则) to a sheet's raw data.

Pure and exact: inputs are :class:`~jixiao.rules.quantity.Quantity` values and texts, the result is
the exact :class:`~decimal.Decimal` score and a one-line Chinese explanation of how it was
reached ("执行率 171.9 ÷ 180 = 95.50% × 10 = 9.55"). Figures in explanations are rounded for
display with :func:`jixiao.values.quantize`, the one rounding function; the score itself
stays exact until the calculator rounds it. Nothing here evaluates code or formulas.

Describing a rule is :mod:`jixiao.rules.describe`; recognising one in 评分标准 wording is
:mod:`jixiao.rules.recognize`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.framework.rule_models import (
    INPUT_LABELS,
    AnyRule,
    Band,
    ChecklistRule,
    DeductionRule,
    ProportionalRule,
    QualitativeRule,
    Range,
    TargetActualRule,
    TiersRule,
)
from jixiao.read.vocabulary import vocabulary
from jixiao.rules.quantity import Direction, Quantity, same_unit
from jixiao.values import name_key, nfkc, plain, quantize

__all__ = ["RuleInputs", "RuleOutcome", "evaluate", "parse_answers"]

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RuleInputs:
    """What a sheet supplies for one indicator.

    ``values``: inputs that read as numbers, by input name (``target``, ``actual``, ``budget``,
    ``spent`` …); ``texts``: every non-blank input as written, numeric or not; ``typed``: the
    自评得分 the person typed, if any.
    """

    values: Mapping[str, Quantity] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    typed: Decimal | None = None


@dataclass(frozen=True)
class RuleOutcome:
    """The score a rule gives (exact; None when it cannot be computed) and how it was reached.

    ``missing``: Chinese names of the inputs that are not there. ``problem``: why the inputs
    cannot be used. ``shortfall``: the actual value falls short of the target (实际 < 目标).
    ``chosen``: the score is the person's own choice inside a 定性 band (``in_band`` says
    whether it lies there); ``level_unknown``: no band could be read from the 实际完成值.
    """

    score: Decimal | None
    explanation: str = ""
    missing: tuple[str, ...] = ()
    problem: str | None = None
    shortfall: bool = False
    chosen: bool = False
    in_band: bool = True
    level_unknown: bool = False
    culprit: str | None = None  # the input a ``problem`` is about


def _q(value: Decimal, places: int) -> str:
    return format(quantize(value, places), "f")


def evaluate(rule: AnyRule, points: Decimal, inputs: RuleInputs, places: int = 2) -> RuleOutcome:
    """The score ``rule`` gives an indicator of 分值 ``points`` for ``inputs``."""
    if isinstance(rule, ProportionalRule):
        return _proportional(rule.label, rule.actual, rule.target, rule.reverse, points, inputs, places)
    if isinstance(rule, TiersRule):
        return _tiers(rule, points, inputs, places)
    if isinstance(rule, DeductionRule):
        return _deduction(rule, points, inputs, places)
    if isinstance(rule, ChecklistRule):
        return _checklist(rule, inputs, places)
    if isinstance(rule, QualitativeRule):
        return _bands(rule.bands, points, inputs, places, target_text=None)
    if isinstance(rule, TargetActualRule):
        target, actual = inputs.values.get("target"), inputs.values.get("actual")
        if target is not None and actual is not None:
            return _proportional("完成率", "actual", "target", False, points, inputs, places)
        missing = tuple(INPUT_LABELS[k] for k in ("target", "actual") if k not in inputs.texts)
        if missing:
            return RuleOutcome(None, missing=missing)
        return _bands(rule.bands, points, inputs, places, target_text=inputs.texts.get("target"))
    raise TypeError(f"unknown rule {rule!r}")  # pragma: no cover - the union is closed


def _missing(inputs: RuleInputs, *names: str) -> RuleOutcome | None:
    absent = tuple(INPUT_LABELS[n] for n in names if n not in inputs.texts)
    if absent:
        return RuleOutcome(None, missing=absent)
    bad = [n for n in names if n not in inputs.values]
    if bad:
        n = bad[0]
        return RuleOutcome(None, problem=f"{INPUT_LABELS[n]}“{inputs.texts[n]}”不是数值", culprit=n)
    return None


def _fraction_for_percent(plain: Quantity, percent: Quantity) -> bool:
    """A unitless 0.965 against "95%": most likely a fraction typed for a percentage."""
    return not plain.unit and percent.unit == "%" and 0 < abs(plain.value) <= 1 and abs(percent.value) > 1


def _proportional(
    label: str,
    actual_name: str,
    target_name: str,
    reverse: bool,
    points: Decimal,
    inputs: RuleInputs,
    places: int,
) -> RuleOutcome:
    early = _missing(inputs, actual_name, target_name)
    if early:
        return early
    a, t = inputs.values[actual_name], inputs.values[target_name]
    if not same_unit(a, t):
        return RuleOutcome(
            None,
            problem=(
                f"{INPUT_LABELS[actual_name]}“{a.shown}”与{INPUT_LABELS[target_name]}“{t.shown}”"
                "单位不同，无法比较"
            ),
            culprit=actual_name,
        )
    if _fraction_for_percent(a, t):
        return RuleOutcome(
            None,
            problem=(
                f"{INPUT_LABELS[actual_name]}“{a.shown}”没有写 %，而{INPUT_LABELS[target_name]}"
                f"“{t.shown}”是百分数：请写成百分数（如 {plain(a.value * HUNDRED)}%），以免按 {a.shown}% 计"
            ),
            culprit=actual_name,
        )
    if _fraction_for_percent(t, a):
        return RuleOutcome(
            None,
            problem=(
                f"{INPUT_LABELS[target_name]}“{t.shown}”没有写 %，而{INPUT_LABELS[actual_name]}"
                f"“{a.shown}”是百分数：请写成百分数（如 {plain(t.value * HUNDRED)}%）"
            ),
            culprit=target_name,
        )
    pts = plain(points)
    reverse = reverse or t.direction is Direction.AT_MOST
    if not reverse:
        shortfall = a.value < t.value
        if t.value <= 0:
            score = points if a.value >= t.value else ZERO
            how = "已达到" if score else "未达到"
            return RuleOutcome(
                score,
                f"{label}：目标 {t.shown}，实际 {a.shown}，{how}，得 {_q(score, places)}",
                shortfall=shortfall,
            )
        raw = a.value / t.value
        ratio = min(max(raw, ZERO), ONE)
        score = ratio * points
        cap = "（满分为止）" if raw > 1 else ""
        text = (
            f"{label} {a.figure} ÷ {t.figure} = {_q(raw * HUNDRED, places)}%{cap} "
            f"× {pts} = {_q(score, places)}"
        )
        return RuleOutcome(score, text, shortfall=shortfall)
    shortfall = a.value > t.value
    if a.value <= t.value:
        text = f"{label}（越低越好）实际 {a.shown} 未超过目标 {t.shown}，得满分 {pts}"
        return RuleOutcome(points, text, shortfall=False)
    raw = t.value / a.value if a.value > 0 else ZERO
    ratio = min(max(raw, ZERO), ONE)
    score = ratio * points
    text = (
        f"{label}（越低越好）目标 {t.figure} ÷ 实际 {a.figure} = {_q(ratio * HUNDRED, places)}% "
        f"× {pts} = {_q(score, places)}"
    )
    return RuleOutcome(score, text, shortfall=shortfall)


def _value(name: str, rule_unit: str, inputs: RuleInputs) -> Quantity | RuleOutcome:
    early = _missing(inputs, name)
    if early:
        return early
    v = inputs.values[name]
    if rule_unit and v.unit and v.unit != rule_unit:
        return RuleOutcome(
            None,
            problem=f"{INPUT_LABELS[name]}“{v.shown}”的单位与规则的单位“{rule_unit}”不同",
            culprit=name,
        )
    return v


def _tiers(rule: TiersRule, points: Decimal, inputs: RuleInputs, places: int) -> RuleOutcome:
    v = _value(rule.input, rule.unit, inputs)
    if isinstance(v, RuleOutcome):
        return v
    for tier in rule.tiers:
        if tier.contains(v.value):
            got = _q(tier.points, places)
            text = f"{rule.label} {v.shown} 在 {tier.describe(rule.unit)} 档，得 {got}"
            return RuleOutcome(tier.points, text, shortfall=tier.points < points)
    if rule.otherwise is not None:
        text = f"{rule.label} {v.shown} 不在所列档次内，得 {_q(rule.otherwise, places)}"
        return RuleOutcome(rule.otherwise, text, shortfall=rule.otherwise < points)
    return RuleOutcome(
        None,
        problem=f"{rule.label} {v.shown} 不在任何档次内（框架未规定其余情况的得分）",
        culprit=rule.input,
    )


def _deduction(rule: DeductionRule, points: Decimal, inputs: RuleInputs, places: int) -> RuleOutcome:
    v = _value(rule.input, rule.unit, inputs)
    if isinstance(v, RuleOutcome):
        return v
    above = rule.direction == "above"
    word = "超过" if above else "低于"
    excess = (v.value - rule.threshold) if above else (rule.threshold - v.value)
    unit = rule.unit
    pts = plain(points)
    if excess <= 0:
        text = f"{rule.label} {v.shown} 未{word} {plain(rule.threshold)}{unit}，不扣分，得 {pts}"
        return RuleOutcome(points, text)
    steps = excess / rule.per
    whole = steps // 1  # steps > 0, so // is the floor
    if rule.units == "whole_down":
        steps = whole
    elif rule.units == "whole_up" and whole != steps:
        steps = whole + 1
    lost = steps * rule.deduct
    score = max(points - lost, ZERO)
    step = "个百分点" if unit == "%" else (unit or "个")
    per = f"每{'' if rule.per == 1 else plain(rule.per)}{step}扣 {plain(rule.deduct)} 分"
    if rule.threshold == 0 and above and unit != "%":
        head = f"{rule.label} {v.shown}，{per}"
    else:
        head = f"{rule.label} {v.shown}，{word} {plain(rule.threshold)}{unit} {plain(excess)} {step}，{per}"
    tail = "，扣完为止，得 0" if lost >= points else f"，{pts} − {plain(lost)} = {_q(score, places)}"
    return RuleOutcome(score, f"{head}，扣 {plain(lost)}{tail}", shortfall=True)


_YES = {"是", "有", "√", "✓", "✔", "y", "yes", "1", "完成", "已完成", "符合", "达到", "对"}
_NO = {"否", "无", "×", "✗", "✘", "x", "n", "no", "0", "未完成", "不符合", "未达到", "没有", "错"}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def parse_answers(text: str) -> tuple[bool, ...] | None:
    """Read checklist answers ("是,否,是", "①√②×", "1/0/1"); None when any token is unclear."""
    folded = text
    for ch in CIRCLED:  # before NFKC, which turns ① into 1
        folded = folded.replace(ch, " ")
    folded = nfkc(folded)
    tokens = [t for t in re.split(r"[\s,，、;；/|]+", folded) if t]
    if len(tokens) == 1 and len(tokens[0]) > 1 and all(ch in "是否√×✓✗" for ch in tokens[0]):
        tokens = list(tokens[0])
    out: list[bool] = []
    for token in tokens:
        key = token.lower()
        if key in _YES:
            out.append(True)
        elif key in _NO:
            out.append(False)
        else:
            return None
    return tuple(out) or None


def _checklist(rule: ChecklistRule, inputs: RuleInputs, places: int) -> RuleOutcome:
    text = inputs.texts.get("actual")
    if text is None:
        return RuleOutcome(None, missing=(INPUT_LABELS["actual"],))
    answers = parse_answers(text)
    if answers is None or len(answers) != len(rule.items):
        return RuleOutcome(
            None,
            problem=(
                f"清单有 {len(rule.items)} 项（{'、'.join(i.name for i in rule.items)}），"
                "实际完成值"
                f"“{text}”应按顺序逐项写“是”或“否”，共 {len(rule.items)} 个"
            ),
            culprit="actual",
        )
    parts = []
    score = ZERO
    for i, (item, yes) in enumerate(zip(rule.items, answers, strict=True)):
        got = item.points if yes else ZERO
        score += got
        mark = CIRCLED[i] if i < len(CIRCLED) else f"{i + 1}."
        parts.append(f"{mark}{item.name} {'是' if yes else '否'} {plain(got)}")
    text = "；".join(parts) + f"，合计 {_q(score, places)}"
    return RuleOutcome(score, text, shortfall=not all(answers))


def _band_for(bands: list[Band], text: str) -> Band | None:
    """The band a 实际完成值 names: exactly, or as its first words ("部分达成，因…")."""
    key = name_key(text)
    names = sorted(
        ((name_key(x), band) for band in bands for x in (band.label, *band.aliases)),
        key=lambda p: -len(p[0]),
    )
    for name, band in names:
        if key == name:
            return band
    for name, band in names:
        if key.startswith(name) and key[len(name)] in ",.;:(，。；：（、":
            return band
    # Other ways of writing a level (达成预期指标 → 达成): vocabulary.yaml, level_words.
    said = vocabulary().level_words.get(key)
    if said is not None:
        for name, band in names:
            if name == name_key(said):
                return band
    return None


def _bands(
    bands: list[Band], points: Decimal, inputs: RuleInputs, places: int, *, target_text: str | None
) -> RuleOutcome:
    text = inputs.texts.get("actual")
    if text is None:
        return RuleOutcome(None, missing=(INPUT_LABELS["actual"],))
    if inputs.typed is None:
        return RuleOutcome(None, missing=("自评得分",))
    typed = inputs.typed
    band = _band_for(bands, text)
    if band is None and target_text is not None and name_key(target_text) == name_key(text):
        band = max(bands, key=lambda b: b.max if b.max is not None else ZERO)
    if band is None:
        return RuleOutcome(
            typed,
            f"定性：未能从实际完成值“{text}”判断达成程度，按自评得分 {plain(typed)} 计",
            chosen=True,
            level_unknown=True,
        )
    assert band.min is not None and band.max is not None  # checked when the framework loads
    lo, hi = band.min * points / HUNDRED, band.max * points / HUNDRED
    share = typed / points * HUNDRED if points > 0 else ZERO
    inside = band.contains(share)
    top = max(bands, key=lambda b: b.max if b.max is not None else ZERO)
    span = Range(min=lo, max=hi, min_inclusive=band.min_inclusive, max_inclusive=band.max_inclusive)
    verdict = "在档内" if inside else "不在档内"
    text_out = (
        f"定性：{band.label}（分值的 {band.describe('%')}，即 {span.describe()} 分），"
        f"自评得分 {plain(typed)} {verdict}"
    )
    return RuleOutcome(typed, text_out, shortfall=band is not top, chosen=True, in_band=inside)
