"""What changed between two frameworks (e.g. 2023 → 2024).

Indicators are matched level by level under matched parents:

1. by name after normalising (:func:`jixiao.values.name_key`), aliases included;
2. the rest as *renamed* when an old and a new indicator under the same parent have the same
   分值 and either sit at the same position among their siblings, or have similar names
   (``difflib.SequenceMatcher`` ratio of the normalised names ≥ :data:`RENAME_SIMILARITY`),
   most similar pairs first;
3. what is still unmatched is *removed* (old) or *added* (new).

A renamed indicator whose 分值 also changed cannot be told apart from a removal plus an
addition, and is reported as such. Matched indicators are compared for 分值 (*reweighted*),
指标解释 / 评分标准 text and their other attributes; metadata and grade bands are compared too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from jixiao.authoring.info_sheet import CHILDREN_LABELS, PROVENANCE_LABELS
from jixiao.framework.models import ChildrenFromSheet, Framework, GradeBand, Indicator, Provenance
from jixiao.values import name_key, plain

RENAME_SIMILARITY = 0.5
KINDS = {
    "metadata": "框架信息",
    "grade": "等级",
    "added": "新增指标",
    "removed": "删除指标",
    "renamed": "指标更名",
    "reweighted": "分值调整",
    "text": "文字修改",
    "attribute": "属性修改",
}
FIELD_NAMES = {
    "id": "框架标识",
    "version": "版本",
    "title": "名称",
    "region": "地区",
    "year": "年度",
    "kind": "类型",
    "source.document": "来源文件",
    "source.reference": "文件依据",
    "source.notes": "来源说明",
    "precision": "计算精度",
    "rounding": "舍入方式",
    "total_points": "总分",
    "explanation": "指标解释",
    "criteria": "评分标准",
    "aliases": "别名",
    "provenance": "分值来源",
    "children_from_sheet": "下级指标",
    "bonus": "加减分设置",
    "note": "备注",
    "rule": "计分规则",
    "children_rule": "下级指标计分规则",
    "optional": "可省略",
    "scored_by": "评分方",
    "form": "表式",
    "minimum": "下限",
    "maximum": "上限",
}


@dataclass(frozen=True)
class Change:
    """One difference: its kind, the indicator path (new names for added/renamed), the values."""

    kind: str
    path: tuple[str, ...] = ()
    field: str | None = None
    old: str | None = None
    new: str | None = None

    def message(self) -> str:
        """The change in one Chinese line."""
        where = "／".join(self.path)
        label = FIELD_NAMES.get(self.field or "", self.field or "")
        if self.kind == "added":
            return f"新增指标 {where}（分值 {self.new}）"
        if self.kind == "removed":
            return f"删除指标 {where}（分值 {self.old}）"
        if self.kind == "renamed":
            return f"指标更名 {where}：“{self.old}” → “{self.new}”"
        if self.kind == "reweighted":
            return f"分值调整 {where}：{self.old} → {self.new}"
        if self.kind == "grade":
            if self.old is None:
                return f"新增等级 {self.path[0]}：{self.new}"
            if self.new is None:
                return f"删除等级 {self.path[0]}：{self.old}"
            return f"等级 {self.path[0]} 的{label}：{self.old} → {self.new}"
        if self.kind == "metadata":
            return f"框架信息 {label}：{self.old or '（无）'} → {self.new or '（无）'}"
        return f"{KINDS[self.kind]} {where} 的{label}：{_short(self.old)} → {_short(self.new)}"

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        return {
            "kind": self.kind,
            "path": list(self.path),
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "message": self.message(),
        }


def _short(text: str | None, limit: int = 40) -> str:
    if text is None:
        return "（无）"
    flat = " ".join(text.split())
    return f"“{flat[:limit]}…”" if len(flat) > limit else f"“{flat}”"


def _points(node: Indicator) -> str:
    if node.bonus is not None:
        return f"加减分 {plain(node.bonus.minimum)}～{plain(node.bonus.maximum)}"
    return "由评分表给出" if node.points is None else plain(node.points)


def _value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Provenance):
        return PROVENANCE_LABELS[value]
    if isinstance(value, ChildrenFromSheet):
        return CHILDREN_LABELS[value]
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or None
    if hasattr(value, "model_dump"):
        data = value.model_dump(mode="json", exclude_none=True)
        return "，".join(f"{FIELD_NAMES.get(k, k)} {v}" for k, v in data.items())
    return str(value)


def diff_frameworks(a: Framework, b: Framework) -> list[Change]:
    """Every difference between ``a`` (old) and ``b`` (new), metadata first, then the tree."""
    changes: list[Change] = []
    for key in type(a).model_fields:
        if key in ("source", "grades", "indicators"):
            continue
        old, new = _value(getattr(a, key)), _value(getattr(b, key))
        if old != new:
            changes.append(Change("metadata", field=key, old=old, new=new))
    for key in ("document", "reference", "notes"):
        old, new = getattr(a.source, key), getattr(b.source, key)
        if old != new:
            changes.append(Change("metadata", field=f"source.{key}", old=old, new=new))
    changes += _diff_grades(a.grades, b.grades)
    _diff_level(a.indicators, b.indicators, (), changes)
    return changes


def _band(b: GradeBand) -> str:
    return f"[{plain(b.minimum)}, {plain(b.maximum)})"


def _diff_grades(old: Sequence[GradeBand], new: Sequence[GradeBand]) -> list[Change]:
    out = []
    by_label = {b.label: b for b in new}
    for band in old:
        other = by_label.pop(band.label, None)
        if other is None:
            out.append(Change("grade", (band.label,), old=_band(band)))
            continue
        for key in ("minimum", "maximum", "aliases"):
            x, y = _value(getattr(band, key)), _value(getattr(other, key))
            if x != y:
                out.append(Change("grade", (band.label,), key, x, y))
    out += [Change("grade", (b.label,), new=_band(b)) for b in by_label.values()]
    return out


def match_siblings(
    old: Sequence[Indicator], new: Sequence[Indicator]
) -> list[tuple[Indicator | None, Indicator | None]]:
    """Pairs of matched siblings (old, new), with None for a removed or an added indicator."""
    new_keys: dict[str, int] = {}
    for j, node in enumerate(new):
        for name in (node.name, *node.aliases):
            new_keys.setdefault(name_key(name), j)
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for i, node in enumerate(old):
        for name in (node.name, *node.aliases):
            found = new_keys.get(name_key(name))
            if found is not None and found not in used:
                pairs[i] = found
                used.add(found)
                break
    free_old = [i for i in range(len(old)) if i not in pairs]
    free_new = [j for j in range(len(new)) if j not in used]
    candidates = []
    for i in free_old:
        for j in free_new:
            if old[i].points != new[j].points or old[i].is_bonus != new[j].is_bonus:
                continue
            ratio = SequenceMatcher(None, name_key(old[i].name), name_key(new[j].name)).ratio()
            if i == j or ratio >= RENAME_SIMILARITY:
                candidates.append((ratio, i == j, i, j))
    for _ratio, _same, i, j in sorted(candidates, reverse=True):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    out: list[tuple[Indicator | None, Indicator | None]] = []
    by_new = {j: i for i, j in pairs.items()}
    for i, node in enumerate(old):
        if i not in pairs:
            out.append((node, None))
    for j, node in enumerate(new):
        out.append((old[by_new[j]] if j in by_new else None, node))
    return out


def _diff_level(
    old: Sequence[Indicator], new: Sequence[Indicator], prefix: tuple[str, ...], out: list[Change]
) -> None:
    for a, b in match_siblings(old, new):
        if b is None:
            assert a is not None
            out.append(Change("removed", (*prefix, a.name), old=_points(a)))
            continue
        path = (*prefix, b.name)
        if a is None:
            out.append(Change("added", path, new=_points(b)))
            for sub, node in _walk(b.children, path):
                out.append(Change("added", sub, new=_points(node)))
            continue
        same_key = name_key(a.name) in {name_key(x) for x in (b.name, *b.aliases)}
        if not same_key:
            out.append(Change("renamed", path, old=a.name, new=b.name))
        elif a.name != b.name:
            out.append(Change("attribute", path, "name", a.name, b.name))
        if _points(a) != _points(b):
            out.append(Change("reweighted", path, old=_points(a), new=_points(b)))
        for key in ("explanation", "criteria"):
            if getattr(a, key) != getattr(b, key):
                out.append(Change("text", path, key, getattr(a, key), getattr(b, key)))
        for key in type(a).model_fields:
            if key in ("name", "points", "explanation", "criteria", "children"):
                continue
            x, y = getattr(a, key), getattr(b, key)
            if x != y:
                out.append(Change("attribute", path, key, _value(x), _value(y)))
        _diff_level(a.children, b.children, path, out)


def _walk(nodes: Sequence[Indicator], prefix: tuple[str, ...]) -> list[tuple[tuple[str, ...], Indicator]]:
    out = []
    for node in nodes:
        path = (*prefix, node.name)
        out.append((path, node))
        out += _walk(node.children, path)
    return out
