"""Report wording kept as data: load ``templates/zh.yaml``, merge a bureau's overrides, check.

An override file holds only the entries it changes. Unknown entries, unknown placeholders and
malformed braces are reported together with the file and the entry, so a typo never silently
falls back to the default wording.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jixiao.errors import UsageError
from jixiao.report.model import Fonts
from jixiao.report.numbers import STYLES

_COMMON = {"unit", "max", "total", "grade", "bonus", "kind", "scope", "subject"}
_NODE = {"ordinal", "name", "points", "score", "rate"}
_REVIEW = {"self_total", "self_grade", "final_total", "final_grade", "self_score", "final_score"}

# Each sentence entry and the placeholders it may use.
SENTENCES: dict[str, set[str]] = {
    "title": _COMMON,
    "title_without_unit": _COMMON,
    "total": _COMMON,
    "total_with_bonus": _COMMON,
    "capped": _COMMON,
    "basis_sheet": _COMMON,
    "basis_grades_assumed": _COMMON,
    "basis_scale": _COMMON,
    "table_intro": _COMMON,
    "table_caption": _COMMON,
    "chart_caption": _COMMON,
    "chart_caption_first_level": _COMMON,
    "first_level_heading": _COMMON,
    "first_level": _COMMON | _NODE,
    "first_level_bonus": _COMMON | _NODE,
    "lost_heading": _COMMON,
    "lost_intro": _COMMON,
    "lost_none": _COMMON,
    "lost_caption": _COMMON,
    "no_reason": _COMMON,
    "review_total": _COMMON | _REVIEW,
    "review_grade_changed": _COMMON | _REVIEW,
    "review_first_level": _COMMON | _NODE | _REVIEW,
    "review_heading": _COMMON | _REVIEW,
    "review_intro": _COMMON | _REVIEW,
    "review_none": _COMMON | _REVIEW,
    "review_caption": _COMMON | _REVIEW,
    "finance_reason": _COMMON,
    "review_chart_caption": _COMMON | _REVIEW,
    "review_chart_caption_first_level": _COMMON | _REVIEW,
    "review_pair_chart_caption": _COMMON | _REVIEW,
    "review_pair_chart_caption_first_level": _COMMON | _REVIEW,
}
COLUMNS = (
    "first",
    "second",
    "indicator",
    "points",
    "self",
    "rate",
    "lost",
    "reason",
    "total",
    "grade",
    "review",
    "delta",
    "review_reason",
    "final_rate",
)
FONTS = ("body", "heading", "title", "table", "latin")
NUMBERS = ("text", "table")
CN_DIGITS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Templates:
    """The checked wording: sentences, column titles, fonts, number styles and the ordinal."""

    sentences: Mapping[str, str]
    columns: Mapping[str, str]
    fonts: Fonts
    text_numbers: str
    table_numbers: str
    ordinal_format: str
    source: str

    def say(self, key: str, **values: str) -> str:
        """Fill one sentence; every placeholder was checked at load time."""
        return self.sentences[key].format_map(values)

    def ordinal(self, n: int) -> str:
        """The paragraph number for the n-th 一级指标 (1-based): （一）, （二）, ..."""
        return self.ordinal_format.format_map({"n": str(n), "cn": chinese_numeral(n)})


def chinese_numeral(n: int) -> str:
    """一 .. 九十九, as government documents number their sections."""
    if n <= 10:
        return CN_DIGITS[n - 1]
    tens, units = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens - 1]
    return head + "十" + (CN_DIGITS[units - 1] if units else "")


def default_path() -> Path:
    """The shipped Chinese templates."""
    return Path(str(resources.files("jixiao.report") / "templates" / "zh.yaml"))


def load_templates(override: str | Path | None = None) -> Templates:
    """The shipped wording, with the entries of ``override`` (a YAML file or a folder) applied.

    Every problem is reported in one pass (unknown entries, placeholders, styles), each with the
    entry it is about and its line in the override file.
    """
    base, _ = _read(default_path())
    source = default_path()
    lines: dict[str, int] = {}
    unknown: list[str] = []
    if override is not None:
        path = Path(override)
        if path.is_dir():
            path = path / "zh.yaml"
        if not path.is_file():
            raise UsageError(f"找不到报告模板文件：{path}")
        extra, lines = _read(path)
        unknown = _unknown_entries(extra)
        base = _merge(base, extra)
        source = path
    problems = unknown + [p for p in _check(base) if p not in unknown]
    if problems:
        raise UsageError(_problems_message(source, problems, lines))
    return Templates(
        sentences={k: str(base[k]) for k in SENTENCES},
        columns={k: str(base["columns"][k]) for k in COLUMNS},
        fonts=Fonts(**{k: str(base["fonts"][k]) for k in FONTS}),
        text_numbers=base["numbers"]["text"],
        table_numbers=base["numbers"]["table"],
        ordinal_format=str(base["ordinal"]),
        source=str(source),
    )


def _read(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The entries of a wording file and the line of each (``total``, ``columns.points``)."""
    from jixiao.errors import os_reason
    from jixiao.framework.load import explain_yaml_error

    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as e:
        raise UsageError(f"无法读取报告模板文件 {path}（{os_reason(e)}）") from e
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise UsageError(
            f"报告模板文件 {path} 第 {line} 行不是 UTF-8 编码的文本（可能是用 GBK 保存的）；请另存为 UTF-8"
        ) from e
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        where, what = explain_yaml_error(e, text)
        raise UsageError(
            f"报告模板文件 {path} 不是有效的 YAML：{where}：{what}"
            if where
            else f"报告模板文件 {path} 不是有效的 YAML：{what}"
        ) from e
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise UsageError(f"报告模板文件 {path} 应是“条目: 文字”的映射")
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value)
            lines[name] = key.start_mark.line + 1
            if isinstance(value, yaml.MappingNode):
                for k, _ in value.value:
                    lines[f"{name}.{k.value}"] = k.start_mark.line + 1
    return data, lines


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        elif not isinstance(base.get(key), dict):
            merged[key] = value
        # else: a group given as something else than a mapping, reported by _unknown_entries;
        # the shipped group stays so that its entries can still be checked.
    return merged


def _unknown_entries(data: Mapping[str, Any]) -> list[str]:
    known = {"schema", "ordinal", "columns", "fonts", "numbers", *SENTENCES}
    problems = [f"{k}: 没有这个条目" for k in data if k not in known]
    for group, names in (("columns", COLUMNS), ("fonts", FONTS), ("numbers", NUMBERS)):
        value = data.get(group)
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.append(f"{group}: 应是一组“条目: 文字”")
            continue
        problems += [f"{group}.{k}: 没有这个条目" for k in value if k not in names]
    return problems


def _check(data: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if data.get("schema") != 1:
        problems.append(f"schema: 应为 1，实际为 {data.get('schema')!r}")
    for key, allowed in SENTENCES.items():
        problems += _check_text(key, data.get(key), allowed)
    problems += _check_text("ordinal", data.get("ordinal"), {"n", "cn"})
    for group, names in (("columns", COLUMNS), ("fonts", FONTS)):
        for name in names:
            value = data.get(group, {}).get(name)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{group}.{name}: 应是非空文字")
    for name in NUMBERS:
        value = data.get("numbers", {}).get(name)
        if value not in STYLES:
            problems.append(f"numbers.{name}: 应为 {' 或 '.join(STYLES)}，实际为 {value!r}")
    return problems


def _check_text(key: str, value: Any, allowed: set[str]) -> list[str]:
    if not isinstance(value, str):
        return [f"{key}: 应是文字"]
    try:
        fields = list(string.Formatter().parse(value))
    except ValueError as e:
        return [f"{key}: 花括号不成对（{e}）；要写花括号本身请写 {{{{ 或 }}}}"]
    problems = []
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        # Plain names only: attribute or index access ({x.y}, {x[0]}) could reach into objects.
        if name not in allowed or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            problems.append(
                f"{key}: 不认识的占位符 {shown}；可用的有 "
                + "、".join("{" + a + "}" for a in sorted(allowed))
            )
    return problems


def _problems_message(path: Path, problems: list[str], lines: Mapping[str, int] | None = None) -> str:
    lines = lines or {}
    out = [f"报告模板文件 {path} 有 {len(problems)} 个问题："]
    placed = []
    for problem in problems:
        entry = problem.split(":", 1)[0]
        line = lines.get(entry) or lines.get(entry.split(".")[0])
        placed.append((line or 0, f"  - 第 {line} 行 {problem}" if line else f"  - {problem}"))
    out += [text for _, text in sorted(placed, key=lambda x: x[0])]  # in the order of the file
    return "\n".join(out)
