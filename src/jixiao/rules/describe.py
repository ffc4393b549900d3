"""Describe a 计分规则 in one line of Chinese, for `frameworks show` and the fillable forms."""

from __future__ import annotations

from jixiao.framework.rule_models import (
    INPUT_LABELS,
    AnyRule,
    ChecklistRule,
    DeductionRule,
    ProportionalRule,
    QualitativeRule,
    TiersRule,
)
from jixiao.rules.evaluate import CIRCLED
from jixiao.values import plain


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
            f"{CIRCLED[i] if i < len(CIRCLED) else i + 1}{item.name} {plain(item.points)} 分"
            for i, item in enumerate(rule.items)
        )
        return f"清单：{items}"
    bands = "；".join(f"{b.label} {b.describe('%')}" for b in rule.bands)
    if isinstance(rule, QualitativeRule):
        return f"定性分档（占分值）：{bands}"
    labels = "/".join(b.label for b in rule.bands)
    return f"年度指标值为数值的按完成比例计分（满分为止，带 ≤ 的越低越好），否则按{labels}分档"


# -- recognising 评分标准 wording ---------------------------------------------------------------
