"""Apply scoring rules (计分规则) to a sheet's raw data; recognise rules in 评分标准 wording.

Pure and exact: inputs are :class:`~jixiao.rules.quantity.Quantity` values and texts, the result is
the exact :class:`~decimal.Decimal` score and a one-line Chinese explanation of how it was
reached ("执行率 171.9 ÷ 180 = 95.50% × 10 = 9.55"). Figures in explanations are rounded for
display with :func:`jixiao.scoring.calculate.quantize`, the one rounding function; the score itself
stays exact until the calculator rounds it. Nothing here evaluates code or formulas.

:func:`recognize_rule` turns common 评分标准 wording into a rule (used when importing
frameworks from tables); it returns None rather than guess.
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
    ChecklistItem,
    ChecklistRule,
    DeductionRule,
    ProportionalRule,
    QualitativeRule,
    Range,
    TargetActualRule,
    Tier,
    TiersRule,
    check_ranges,
    parse_interval,
)
from jixiao.rules.quantity import Direction, Quantity, same_unit
from jixiao.scoring.calculate import quantize
from jixiao.values import name_key, nfkc, plain

__all__ = [
    "RuleInputs",
    "RuleOutcome",
    "describe_rule",
    "evaluate",
    "parse_answers",
    "recognize_rule",
]

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
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def parse_answers(text: str) -> tuple[bool, ...] | None:
    """Read checklist answers ("是,否,是", "①√②×", "1/0/1"); None when any token is unclear."""
    folded = text
    for ch in _CIRCLED:  # before NFKC, which turns ① into 1
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
        mark = _CIRCLED[i] if i < len(_CIRCLED) else f"{i + 1}."
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


def describe_rule(rule: AnyRule) -> str:
    """A rule in one line of Chinese, for ``frameworks show`` and worksheets."""
    if isinstance(rule, ProportionalRule):
        a, t = INPUT_LABELS[rule.actual], INPUT_LABELS[rule.target]
        if rule.reverse:
            return f"{rule.label}（越低越好）：{t} ÷ {a} × 分值，满分为止"
        return f"{rule.label}：{a} ÷ {t} × 分值，满分为止"
    if isinstance(rule, TiersRule):
        parts = [f"{t.describe(rule.unit)} 得 {plain(t.points)}" for t in rule.tiers]
        if rule.otherwise is not None:
            parts.append(f"其余得 {plain(rule.otherwise)}")
        return f"{rule.label}分档：" + "；".join(parts)
    if isinstance(rule, DeductionRule):
        step = "个百分点" if rule.unit == "%" else (rule.unit or "个")
        per = "" if rule.per == 1 else plain(rule.per)
        word = "超过" if rule.direction == "above" else "低于"
        where = f"{word} {plain(rule.threshold)}{rule.unit} 后" if rule.threshold or rule.unit else ""
        return f"{rule.label}{where}每{per}{step}扣 {plain(rule.deduct)} 分，扣完为止"
    if isinstance(rule, ChecklistRule):
        items = "；".join(
            f"{_CIRCLED[i] if i < len(_CIRCLED) else i + 1}{item.name} {plain(item.points)} 分"
            for i, item in enumerate(rule.items)
        )
        return f"清单：{items}"
    bands = "；".join(f"{b.label} {b.describe('%')}" for b in rule.bands)
    if isinstance(rule, QualitativeRule):
        return f"定性分档（占分值）：{bands}"
    labels = "/".join(b.label for b in rule.bands)
    return f"年度指标值为数值的按完成比例计分（满分为止，带 ≤ 的越低越好），否则按{labels}分档"


# -- recognising 评分标准 wording ---------------------------------------------------------------

_NUMBER = r"\d+(?:\.\d+)?"
_POINTS_IN = re.compile(rf"(?:得|计|给|赋)?({_NUMBER})分")
_CHINESE_ONE = {"一": "1", "两": "2", "二": "2", "三": "3", "五": "5", "十": "10"}
_DEDUCT = re.compile(
    rf"每(?P<verb>超过|超出|高于|多于|增加|上升|低于|少于|减少|下降|降低|不足|低|少|多|出现|发现|存在|有)?"
    rf"(?P<per>{_NUMBER}|[一两二三五十])?(?P<unit>个百分点|百分点|%|例|次|项|个|处|起|件|人|家|天|笔)?"
    rf"[^，,；;。扣减]{{0,12}}?(?:的)?[，,]?(?:扣|减)(?:除)?(?P<d>{_NUMBER})分"
)
# "发现一处问题扣1分" (每 left out): per occurrence.
_OCCURRENCE = re.compile(
    rf"(?:出现|发现|存在)(?P<per>1|一)(?P<unit>例|次|项|个|处|起|件|笔)[^，,；;。扣减]{{0,12}}?[，,]?"
    rf"(?:扣|减)(?:除)?(?P<d>{_NUMBER})分"
)
_THRESHOLD = re.compile(
    rf"(?P<verb>超过|超出|高于|大于|低于|少于|小于|未达到|不足)(?P<n>{_NUMBER})(?P<pct>%|个百分点)?"
)
_PROPORTIONAL = re.compile(
    r"按(?:实际)?(?:完成|执行)?(?:比例|比率|程度)(?:计算|计|折算)?(?:得分|计分|赋分)|满分为止|"
    r"(?:完成率|执行率|完成比例)[×x*乘以]+(?:分值|权重|该指标分值)|得分=实际(?:完成)?值[÷/]|"
    r"实际(?:完成)?值?[÷/](?:年度)?(?:指标|目标|计划)值?[×x*](?:分值|权重)"
)
_EXECUTION = re.compile(r"执行率|实际支出|执行数")
_REVERSE = re.compile(r"越低越好|越少越好|反向指标|逆向指标")
_COND_POINT = re.compile(
    rf"(?P<pre>≥|>=|≦|≤|<=|>|<|不低于|不少于|不小于|大于等于|达到|高于|大于|超过|不超过|不高于|不大于|"
    rf"小于等于|低于|小于|少于|等于|为|=)?(?P<n>{_NUMBER})%?(?P<inc>\(含\)|\(不含\))?"
    rf"(?P<suf>及以上|以上|及以下|以下|以内)?"
)
_COND_SPAN = re.compile(
    rf"(?P<a>{_NUMBER})%?(?P<ia>\(含\)|\(不含\))?(?:-|~|～|至|到|—|－|–)(?P<b>{_NUMBER})%?"
    rf"(?P<ib>\(含\)|\(不含\))?"
)
_COND_INTERVAL = re.compile(rf"[\[(]\s*(?:{_NUMBER})?%?\s*,\s*(?:{_NUMBER})?%?\s*[\])]")
_OTHERWISE = re.compile(r"^(?:其他|其余|否则|以外|其他情况|其余情况|未达到以上标准|不满足以上条件)")
_AT_LEAST_PRE = {"≥", ">=", "不低于", "不少于", "不小于", "大于等于", "达到"}
_ABOVE_PRE = {">", "高于", "大于", "超过"}
_AT_MOST_PRE = {"≤", "<=", "≦", "不超过", "不高于", "不大于", "小于等于"}
_BELOW_PRE = {"<", "低于", "小于", "少于"}


def _condition(text: str) -> Range | None:
    """A tier condition ("≥90%", "80%(含)-90%", "(0,10%]", "0", "60%以下") as a range."""
    s = text
    m = _COND_INTERVAL.search(s)
    if m:
        try:
            return Range(**parse_interval(m.group(0).replace("%", "")))
        except ValueError:
            return None
    m = _COND_SPAN.search(s)
    if m:
        a, b = Decimal(m.group("a")), Decimal(m.group("b"))
        ia, ib = m.group("ia"), m.group("ib")
        lo_inc = ia != "(不含)" and not (ib == "(含)" and ia is None)
        hi_inc = ib == "(含)"
        return Range(min=a, max=b, min_inclusive=lo_inc, max_inclusive=hi_inc)
    matches = list(_COND_POINT.finditer(s))
    if len(matches) != 1:
        return None
    m = matches[0]
    n = Decimal(m.group("n"))
    pre, inc, suf = m.group("pre"), m.group("inc"), m.group("suf")
    if pre in _AT_LEAST_PRE or (suf in ("以上", "及以上") and inc != "(不含)"):
        return Range(min=n, min_inclusive=True)
    if pre in _ABOVE_PRE or (suf == "以上" and inc == "(不含)"):
        return Range(min=n, min_inclusive=False)
    if pre in _AT_MOST_PRE or suf in ("及以下", "以内") or (suf == "以下" and inc == "(含)"):
        return Range(max=n, max_inclusive=True)
    if pre in _BELOW_PRE or suf == "以下":
        return Range(max=n, max_inclusive=False)
    return Range(min=n, max=n, min_inclusive=True, max_inclusive=True)


def _segments(text: str) -> list[str]:
    """Split at ，,；;。 and line breaks, but not inside brackets ("(0,10%]" stays whole)."""
    out, current, depth = [], "", 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        if ch in "，,；;。\n" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    return [s for s in [*out, current] if s]


def _recognize_tiers(text: str, points: Decimal) -> TiersRule | None:
    tiers: list[Tier] = []
    otherwise: Decimal | None = None
    unit = ""
    for segment in _segments(text):
        if not segment:
            continue
        m = re.search(rf"(?:得|计|给|赋)({_NUMBER})分$|(得满分|不得分)$", segment)
        if not m:
            continue
        got = Decimal(m.group(1)) if m.group(1) else (points if m.group(2) == "得满分" else ZERO)
        condition = segment[: m.start()].removesuffix("的")
        if _OTHERWISE.match(condition):
            otherwise = got
            continue
        rng = _condition(condition)
        if rng is None:
            return None
        if "%" in condition:
            unit = "%"
        tiers.append(Tier(points=got, **rng.model_dump()))
    if len(tiers) < 2 or any(t.points > points for t in tiers):
        return None
    if otherwise is not None and otherwise > points:
        return None
    if check_ranges(tiers, "rule", "tiers"):
        return None
    ordered = sorted(tiers, key=lambda t: t.min if t.min is not None else Decimal("-Infinity"), reverse=True)
    return TiersRule(kind="tiers", unit=unit, tiers=ordered, otherwise=otherwise)


def _recognize_deduction(text: str) -> DeductionRule | None:
    m = _DEDUCT.search(text) or _OCCURRENCE.search(text)
    if not m:
        return None
    verb = (m.groupdict().get("verb") or "") if m.re is _DEDUCT else "出现"
    per_text = m.group("per") or "1"
    per = Decimal(_CHINESE_ONE.get(per_text, per_text))
    if per <= 0:
        return None
    unit = "%" if (m.group("unit") or "") in ("个百分点", "百分点", "%") else ""
    below = verb in ("低于", "少于", "减少", "下降", "降低", "不足", "低", "少")
    threshold = ZERO
    label = "发生次数"
    t = _THRESHOLD.search(text[: m.start()])
    if t:
        threshold = Decimal(t.group("n"))
        below = t.group("verb") in ("低于", "少于", "小于", "未达到", "不足")
        unit = unit or ("%" if t.group("pct") else "")
        label = "指标值"
    elif below:
        return None  # "每少1场扣0.5分": short of a target the text does not give
    elif verb and verb not in ("出现", "发现", "存在", "有"):
        label = "指标值"
    return DeductionRule(
        kind="deduction",
        label=label,
        unit=unit,
        threshold=threshold,
        direction="below" if below else "above",
        per=per,
        deduct=Decimal(m.group("d")),
    )


def _recognize_checklist(text: str, points: Decimal) -> ChecklistRule | None:
    marks = [i for i, ch in enumerate(text) if ch in _CIRCLED]
    if len(marks) < 2:
        return None
    items: list[ChecklistItem] = []
    for start, end in zip(marks, [*marks[1:], len(text)], strict=True):
        part = text[start + 1 : end].strip("，,；;。 ")
        found = _POINTS_IN.findall(part)
        if len(found) != 1:
            return None
        name = re.split(r"[，,；;。(（]|得|计|的", part)[0].strip() or f"第{len(items) + 1}项"
        items.append(ChecklistItem(name=name[:30], points=Decimal(found[0])))
    if sum((i.points for i in items), ZERO) != points or len({i.name for i in items}) != len(items):
        return None
    return ChecklistRule(kind="checklist", items=items)


def recognize_rule(criteria_text: str, points: Decimal) -> AnyRule | None:
    """The rule a 评分标准 text states, or None when it is not recognised with certainty.

    Recognised (after folding full-width forms and removing spaces):

    - checklists: ①…得1分；②…得1分 (item points must add up to ``points``);
    - tiers: "≥90%得5分，80%(含)-90%得4分，…，其余得0分" — each bound inclusive or not as
      written ("(含)" marks an inclusive end; "X-Y" alone is [X, Y)); interval notation
      "(0,10%]得2分" too; the tiers must neither overlap nor leave gaps;
    - deductions: "每超过一个百分点扣0.5分", "超过10%的，每超过1个百分点扣0.5分，扣完为止",
      "每出现一例不符合要求的扣1分" (floor 0 always applies);
    - proportional: "按完成比例计算得分", "满分为止", "完成率×分值"; reverse when the text says
      越低越好 / 反向指标;
    - qualitative bands: the text names 达成, 部分达成 and 未达成.

    The signature is stable: ``recognize_rule(criteria_text: str, points: Decimal)``; ``points``
    is the indicator's 分值 (tier and item points are checked against it).
    """
    # Fold full-width forms, but keep ①②③ (NFKC would turn them into plain digits).
    pieces = re.split(f"([{_CIRCLED}])", criteria_text or "")
    text = re.sub(r"\s+", "", "".join(p if p in _CIRCLED else nfkc(p) for p in pieces))
    if not text:
        return None
    for attempt in (
        lambda: _recognize_checklist(text, points),
        lambda: _recognize_tiers(text, points),
        lambda: _recognize_deduction(text),
    ):
        found = attempt()
        if found is not None:
            return found
    if _PROPORTIONAL.search(text):
        reverse = bool(_REVERSE.search(text))
        if _EXECUTION.search(text):
            return ProportionalRule(
                kind="proportional", actual="spent", target="budget", label="执行率", reverse=reverse
            )
        return ProportionalRule(kind="proportional", reverse=reverse)
    if "部分达成" in text and "未达成" in text:
        return QualitativeRule(kind="qualitative")
    return None
