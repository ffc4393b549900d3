"""Recognise common 评分标准 wording as a 计分规则 (used when importing 指标体系表).

It returns None rather than guess: text it does not recognise stays text, and the indicator is
scored by hand.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.framework.rule_models import (
    AnyRule,
    ChecklistItem,
    ChecklistRule,
    DeductionRule,
    ProportionalRule,
    QualitativeRule,
    Range,
    Tier,
    TiersRule,
    check_ranges,
    parse_interval,
)
from jixiao.rules.evaluate import CIRCLED, ZERO
from jixiao.values import nfkc

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
    rf"(?P<verb>不超过|不高于|不大于|超过|超出|高于|大于|低于|少于|小于|未达到|不足|≤|<=|≦)"
    rf"(?P<n>{_NUMBER})(?P<pct>%|个百分点)?"
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


_EXCESS_VERBS = frozenset({"超过", "超出", "高于", "多于", "增加", "上升", "多"})


def unstated_threshold(criteria_text: str) -> bool:
    """True when a 评分标准 deducts per unit beyond a threshold it does not state.

    "每超过一个百分点扣0.5分，扣完为止" alone: counting from 0 would be a guess, so no rule is
    made from it and the importer warns (the text is kept for a person to type the rule).
    """
    text = re.sub(r"\s+", "", nfkc(criteria_text or ""))
    m = _DEDUCT.search(text)
    if not m or (m.group("verb") or "") not in _EXCESS_VERBS:
        return False
    return _THRESHOLD.search(text[: m.start()]) is None


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
    elif verb in _EXCESS_VERBS:
        return None  # "每超过一个百分点扣0.5分": over a threshold the text does not give
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
    marks = [i for i, ch in enumerate(text) if ch in CIRCLED]
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
    pieces = re.split(f"([{CIRCLED}])", criteria_text or "")
    text = re.sub(r"\s+", "", "".join(p if p in CIRCLED else nfkc(p) for p in pieces))
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
