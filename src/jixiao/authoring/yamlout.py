"""Write a framework as YAML a person can read and edit.

Keys keep the order of the model (the order of the shipped files), Chinese stays readable
(``allow_unicode``), 分值 are plain numbers, a leaf indicator with short fields fits on one
line (``{name: 预算编制, points: 5}``), long or multi-line text uses block style.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Any

import yaml

from jixiao.framework.models import Framework, Indicator
from jixiao.values import plain

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/framework.schema.json"
_FLOW_LIMIT = 90  # characters; longer leaves, and any with text, are written in block style


class _Flow(dict[str, Any]):
    """A mapping written on one line."""


class _Dumper(yaml.SafeDumper):
    """A safe dumper that knows decimals and one-line mappings, and never writes aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the shipped files do.
        super().increase_indent(flow, False)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = plain(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)
_Dumper.add_multi_representer(StrEnum, lambda d, v: _str(d, str(v.value)))

# libyaml's emitter, where PyYAML was built with it: the pure-Python one was most of
# ``frameworks import`` (2.3 s of a 2,000-row table). It writes the same text except that it
# cannot indent a list under its key (``_Dumper.increase_indent``); ``_indent_lists`` does that.
_CDumper: Any = None
if getattr(yaml, "__with_libyaml__", False):

    class _CDumperClass(yaml.CSafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    _CDumperClass.yaml_representers = dict(_Dumper.yaml_representers)
    _CDumperClass.yaml_multi_representers = dict(_Dumper.yaml_multi_representers)
    _CDumper = _CDumperClass

_BLOCK_SCALAR = re.compile(r":\s[|>][-+0-9]*$")


def _indent_lists(text: str) -> str:
    """Indent every block list under its mapping key by two more spaces (libyaml writes them flush)."""
    out: list[str] = []
    lists: list[int] = []  # columns of the flush lists the current line is inside
    block: int | None = None  # the key column of a block scalar (``|``) being copied
    previous = ""
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        col = len(line) - len(stripped)
        if block is not None and (col > block or not stripped):
            out.append(" " * (2 * len(lists)) + line if stripped else line)
            continue
        block = None
        if stripped:
            while lists and not (col > lists[-1] or (col == lists[-1] and stripped.startswith("- "))):
                lists.pop()
            if stripped.startswith("- ") and (not lists or lists[-1] != col):
                p = previous.lstrip(" ")
                if len(previous) - len(p) == col and p.endswith(":") and not p.startswith("- "):
                    lists.append(col)
                elif p.startswith("- ") and p.endswith(":") and len(previous) - len(p) + 2 == col:
                    lists.append(col)  # a list under the first key of a list item
            if _BLOCK_SCALAR.search(stripped):
                block = col + 2 if stripped.startswith("- ") else col
            previous = line
        out.append(" " * (2 * len(lists)) + line if stripped else line)
    return "\n".join(out)


def _dump(data: Any, **options: Any) -> str:
    if _CDumper is None:
        return yaml.dump(data, Dumper=_Dumper, **options)
    text = yaml.dump(data, Dumper=_CDumper, **options)
    if "\n..." in text or text.startswith("..."):
        # libyaml ends the document explicitly after some chomped block scalars ("|+"); rare:
        # the pure-Python emitter, rather than a second rule to keep in step with it.
        return yaml.dump(data, Dumper=_Dumper, **options)
    return _indent_lists(text)


def _indicator(node: Indicator) -> dict[str, Any]:
    # Fields at their default are left out (as in the hand-written files), except that a
    # 加减分 node states all its limits.
    out = node.model_dump(mode="python", exclude={"children"}, exclude_defaults=True)
    if node.bonus is not None:
        out["bonus"] = node.bonus.model_dump(mode="python", exclude_none=True)
    if node.children:
        out["children"] = [_indicator(child) for child in node.children]
    elif _fits_on_a_line(out):
        return _Flow(out)
    return out


def _fits_on_a_line(data: dict[str, Any]) -> bool:
    if "explanation" in data or "criteria" in data or any(isinstance(v, dict) for v in data.values()):
        return False
    dumper = _CDumper or _Dumper  # one line in flow style: both emitters write the same text
    text = yaml.dump(dict(data), Dumper=dumper, allow_unicode=True, default_flow_style=True)
    return len(text) <= _FLOW_LIMIT


def framework_data(fw: Framework) -> dict[str, Any]:
    """The framework as plain data in file order, without empty or default indicator fields."""
    data = fw.model_dump(mode="python", exclude={"indicators", "grades", "source"})
    ordered: dict[str, Any] = {}
    for key in Framework.model_fields:
        if key == "source":
            ordered[key] = {k: v for k, v in fw.source.model_dump(mode="python").items() if v is not None}
        elif key == "grades":
            ordered[key] = [
                _Flow({k: v for k, v in g.model_dump(mode="python").items() if v != []}) for g in fw.grades
            ]
        elif key == "indicators":
            ordered[key] = [_indicator(node) for node in fw.indicators]
        elif data[key] is None:
            continue  # an optional field left unset (e.g. form)
        else:
            ordered[key] = data[key]
    return ordered


def dump_framework(fw: Framework, header: list[str] | None = None) -> str:
    """The framework as YAML text, with optional comment lines on top."""
    body = _dump(
        framework_data(fw),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    lines = [SCHEMA_COMMENT, *(f"# {line}".rstrip() for line in (header or []))]
    return "\n".join(lines) + "\n" + body
