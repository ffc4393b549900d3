"""Check a framework: pydantic's structural errors as dotted paths, and the checks across nodes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from jixiao.errors import FrameworkProblem
from jixiao.framework.models import ChildrenFromSheet, Framework, Indicator
from jixiao.framework.rule_models import RULE_KINDS, check_rule
from jixiao.values import name_key


def _dotted(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problem_from_pydantic(err: Any) -> FrameworkProblem:
    """A pydantic validation error as a problem with a dotted path and a Chinese message."""
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    # A rule's kind appears in pydantic's location ("rule.tiers.tiers[0]"): drop it.
    loc = [
        p
        for i, p in enumerate(loc)
        if not (p in RULE_KINDS and i and loc[i - 1] in ("rule", "children_rule"))
    ]
    messages = {
        "missing": "缺少必填项",
        "extra_forbidden": "不认识的键（拼写错误？）",
        "decimal_parsing": "不是有效的数字",
        "greater_than_equal": "数值不能小于 {ge}",
        "less_than_equal": "数值不能大于 {le}",
        "string_too_short": "不能为空",
        "too_short": "至少需要 {min_length} 项",
        "literal_error": "取值应为 {expected}",
        "enum": "取值应为 {expected}",
        "string_pattern_mismatch": "格式不符（只允许小写字母、数字和连字符）",
        "finite_number": "必须是有限的数",
        "string_type": '应为文本（像 2023.1 这样的版本号请加引号："2023.1"）',
        "int_type": "应为整数",
        "int_parsing": "应为整数",
        "int_from_float": "应为整数",
        "bool_type": "应为 true 或 false",
        "bool_parsing": "应为 true 或 false",
        "list_type": "应为列表（每项以“- ”开头）",
        "dict_type": "应为映射（键: 值）",
        "model_type": "应为映射（键: 值）",
        "model_attributes_type": "应为映射（键: 值）",
        "decimal_type": "应为数字",
        "less_than": "数值必须小于 {lt}",
        "greater_than": "数值必须大于 {gt}",
        "union_tag_invalid": "计分规则类型“{tag}”不存在，应为 {expected_tags}",
        "union_tag_not_found": "计分规则缺少类型 kind",
        "value_error": "{error}",
    }
    template = messages.get(err["type"])
    ctx = err.get("ctx") or {}
    try:
        text = template.format(**ctx) if template else err["msg"]
    except (KeyError, IndexError):
        text = err["msg"]
    return FrameworkProblem(_dotted(loc), text)


def check_framework(fw: Framework) -> list[FrameworkProblem]:
    """Checks across nodes: sums, duplicate names, precision, bonus placement, grade bands."""
    problems: list[FrameworkProblem] = []
    add = problems.append
    quantum = Decimal(1).scaleb(-fw.precision)

    def check_level(nodes: Sequence[Indicator], prefix: str, parent: Indicator | None) -> None:
        keys: dict[str, int] = {}
        for i, node in enumerate(nodes):
            here = f"{prefix}[{i}]"
            for name in (node.name, *node.aliases):
                key = name_key(name)
                if key in keys and keys[key] != i:
                    add(FrameworkProblem(f"{here}.name", f"与同级第 {keys[key] + 1} 项“{name}”重名"))
                keys.setdefault(key, i)
            if node.points is not None and node.points != node.points.quantize(quantum):
                add(FrameworkProblem(f"{here}.points", f"小数位数超过精度 {fw.precision}"))
            if node.is_bonus:
                if parent is not None:
                    add(FrameworkProblem(f"{here}.bonus", "加减分项只能是一级指标"))
                if node.points is not None:
                    add(FrameworkProblem(f"{here}.points", "加减分项不计入总分值，不应设置分值"))
                if node.children:
                    add(FrameworkProblem(f"{here}.children", "加减分项不设固定下级指标"))
                assert node.bonus is not None
                if not node.bonus.minimum <= 0 <= node.bonus.maximum:
                    add(FrameworkProblem(f"{here}.bonus", "加减分下限应 ≤ 0 ≤ 上限"))
            elif node.points is None and parent is None:
                add(FrameworkProblem(f"{here}.points", "一级指标必须在框架中规定分值"))
            if node.children and node.children_from_sheet is not ChildrenFromSheet.NO:
                add(
                    FrameworkProblem(
                        f"{here}.children_from_sheet",
                        "已有固定下级指标的节点不能再由表格定义下级指标",
                    )
                )
            problems.extend(_rule_problems(node, here))
            if node.children:
                check_sum(node, node.children, f"{here}.children")
                check_level(node.children, f"{here}.children", node)

    def check_sum(node: Indicator, children: Sequence[Indicator], where: str) -> None:
        # 权重 × 百分制: the children add up to their own scale, not to the node's 分值.
        expected = node.children_scale if node.children_scale is not None else node.points
        if expected is None:
            return
        known = [c.points for c in children if c.points is not None]
        total = sum(known, Decimal(0))
        scale = "（下级按百分制计分）" if node.children_scale is not None else ""
        if len(known) == len(children) and total != expected:
            add(FrameworkProblem(where, f"下级分值合计 {total}，应等于 {expected}{scale}"))
        elif total > expected:
            add(FrameworkProblem(where, f"已规定的下级分值合计 {total}，超过上级分值 {expected}{scale}"))

    check_level(fw.indicators, "indicators", None)
    weighted = [n for n in fw.indicators if not n.is_bonus]
    top = sum((n.points for n in weighted if n.points is not None), Decimal(0))
    if top != fw.total_points:
        add(FrameworkProblem("indicators", f"一级指标分值合计 {top}，应等于总分 {fw.total_points}"))
    if sum(1 for n in fw.indicators if n.is_bonus) > 1:
        add(FrameworkProblem("indicators", "最多只能有一个加减分项"))
    problems += _check_bands(fw)
    return problems


def _rule_problems(node: Indicator, here: str) -> list[FrameworkProblem]:
    """Problems of a node's 计分规则 (rule and children_rule) and of its ``optional`` flag."""
    problems: list[FrameworkProblem] = []
    if node.rule is not None:
        if node.children or node.is_bonus:
            problems.append(FrameworkProblem(f"{here}.rule", "有下级指标的节点或加减分项不能设置计分规则"))
        problems += check_rule(node.rule, node.points, f"{here}.rule")
    if node.children_rule is not None:
        if node.children_from_sheet is ChildrenFromSheet.NO and not node.is_bonus:
            problems.append(
                FrameworkProblem(
                    f"{here}.children_rule",
                    "只有由表格定义下级指标的节点（children_from_sheet）才能设置",
                )
            )
        problems += check_rule(node.children_rule, None, f"{here}.children_rule")
    if node.optional and node.points is not None:
        problems.append(FrameworkProblem(f"{here}.optional", "规定了分值的指标不能省略"))
    return problems


def _check_bands(fw: Framework) -> Iterable[FrameworkProblem]:
    labels: set[str] = set()
    for i, band in enumerate(fw.grades):
        if band.minimum >= band.maximum:
            yield FrameworkProblem(f"grades[{i}]", f"下限 {band.minimum} 应小于上限 {band.maximum}")
        for label in (band.label, *band.aliases):
            if label in labels:
                yield FrameworkProblem(f"grades[{i}].label", f"等级名称“{label}”重复")
            labels.add(label)
    order = sorted(range(len(fw.grades)), key=lambda i: fw.grades[i].minimum)
    bands = [fw.grades[i] for i in order]
    if bands[0].minimum != 0:
        yield FrameworkProblem(f"grades[{order[0]}].minimum", f"最低等级应从 0 开始，现为 {bands[0].minimum}")
    for (i, low), (j, high) in zip(
        zip(order, bands, strict=True), zip(order[1:], bands[1:], strict=True), strict=False
    ):
        if low.maximum < high.minimum:
            yield FrameworkProblem(
                f"grades[{j}].minimum",
                f"等级区间有空缺：{low.maximum} 到 {high.minimum} 之间没有等级",
            )
        elif low.maximum > high.minimum:
            yield FrameworkProblem(
                f"grades[{j}].minimum",
                f"等级区间重叠：“{low.label}”与“{high.label}”都包含 {high.minimum}",
            )
        del i
    if bands[-1].maximum != fw.max_total:
        yield FrameworkProblem(
            f"grades[{order[-1]}].maximum",
            f"最高等级的上限应为总分上限 {fw.max_total}，现为 {bands[-1].maximum}",
        )


# --- every problem in one pass: structure and sums together ----------------------------------

_PLACEHOLDERS: dict[str, Any] = {
    "schema_version": 1,
    "id": "x",
    "version": "0",
    "title": "?",
    "region": "?",
    "year": 2000,
    "kind": "?",
    "source": {"document": "?"},
    "document": "?",
    "total_points": 100,
    "grades": [{"label": "?", "minimum": 0, "maximum": 100}],
    "indicators": [{"name": "?", "points": 100}],
    "name": "?",
    "label": "?",
    "minimum": 0,
    "maximum": 0,
}
"""Stand-ins for required values a file gets wrong, so that the checks across nodes can still
run; what they would say about a stand-in is not reported."""

# Keys whose repair changes sums, bands or scales: checks of the nodes around them are left out.
_NUMERIC = frozenset(
    {
        "points",
        "bonus",
        "children",
        "children_scale",
        "total_points",
        "precision",
        "grades",
        "indicators",
        "minimum",
        "maximum",
    }
)
_MAX_REPAIRS = 8
_DIRECT_CHILD = re.compile(r"^\[\d+\](?:\.\w+)?$")


def problems_of_data(raw: dict[str, Any]) -> tuple[Framework | None, list[FrameworkProblem]]:
    """Every problem of framework data in one pass: the model's structural errors *and* the
    checks across nodes (sums, duplicate names, bands), which run on a copy where each wrong
    value is replaced by a stand-in. Returns the framework when there is no problem at all."""
    import copy

    from pydantic import ValidationError

    try:
        framework = Framework.model_validate(raw)
    except ValidationError as e:
        errors = e.errors()
    else:
        return framework, check_framework(framework)
    problems = [problem_from_pydantic(err) for err in errors]
    data: Any = copy.deepcopy(raw)
    repaired: list[tuple[int | str, ...]] = []
    for _ in range(_MAX_REPAIRS):
        for err in errors:
            loc = _clean_loc(err["loc"])
            if any(loc[: len(r)] == r for r in repaired) and err["type"] == "missing":
                continue  # a consequence of a stand-in
            if not _repair(data, loc, err["type"]):
                return None, problems  # nothing sensible to stand in: the structure is all there is
            repaired.append(_repaired_at(loc))
        try:
            framework = Framework.model_validate(data)
        except ValidationError as e:
            errors = e.errors()
            seen = {(p.path, p.message) for p in problems}
            for err in errors:
                loc = _clean_loc(err["loc"])
                if any(loc[: len(r)] == r or r[: len(loc)] == loc for r in repaired):
                    continue
                problem = problem_from_pydantic(err)
                if (problem.path, problem.message) not in seen:
                    problems.append(problem)
            continue
        break
    else:
        return None, problems
    cut = [(_dotted(r), bool(r) and (r[-1] in _NUMERIC or isinstance(r[-1], int))) for r in repaired]
    for problem in check_framework(framework):
        if not any(_near(problem.path, where, numeric) for where, numeric in cut):
            problems.append(problem)
    return None, problems


def _clean_loc(loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """pydantic's location without its union and rule-kind tags, as in :func:`problem_from_pydantic`."""
    parts = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
    return tuple(
        p
        for i, p in enumerate(parts)
        if not (p in RULE_KINDS and i and parts[i - 1] in ("rule", "children_rule"))
    )


def _repaired_at(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    for i, part in enumerate(loc):
        if part in ("rule", "children_rule"):
            return loc[: i + 1]
    return loc


def _repair(data: Any, loc: tuple[int | str, ...], kind: str) -> bool:
    """Put a stand-in at ``loc`` (or drop what should not be there); False when it cannot."""
    loc = _repaired_at(loc)
    if not loc:
        return False
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
    key = loc[-1]
    if isinstance(parent, list) and isinstance(key, int) and key < len(parent):
        # The item itself is wrong (a text where an indicator or a band belongs).
        container = loc[-2] if len(loc) > 1 else None
        stand_in = {"grades": {"label": "?", "minimum": 0, "maximum": 0}}.get(str(container), {"name": "?"})
        parent[key] = copy_of(stand_in)
        return True
    if not isinstance(parent, dict):
        return False
    if kind == "extra_forbidden" or key in ("rule", "children_rule"):
        parent.pop(key, None)
        return True
    if isinstance(key, str) and key in _PLACEHOLDERS:
        parent[key] = copy_of(_PLACEHOLDERS[key])
        return True
    if kind == "missing":
        return False
    parent.pop(key, None)  # an optional value: its default stands in
    return True


def copy_of(value: Any) -> Any:
    """A deep copy of a stand-in (they are mutable)."""
    import copy

    return copy.deepcopy(value)


def _near(path: str, repaired: str, numeric: bool) -> bool:
    """Whether a check at ``path`` may only be a consequence of a stand-in at ``repaired``."""
    if path == repaired or path.startswith((repaired + ".", repaired + "[")):
        return True
    if not numeric:
        return False
    if repaired.startswith(path) and _DIRECT_CHILD.match(repaired[len(path) :]):
        return True  # a sum over the children (or over the 一级) that include the stand-in
    if path.endswith(".children") and repaired in (path[:-9] + ".points", path[:-9] + ".children_scale"):
        return True  # the children's sum against a 分值 or a scale that was a stand-in
    # The total and the precision bear on the 一级 sum and on the bands.
    return repaired.split(".")[0] in ("total_points", "precision") and (
        path == "indicators" or path.startswith("grades")
    )
