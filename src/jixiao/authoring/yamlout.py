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


# --- the writer ------------------------------------------------------------------------------
# A framework is a tree of a few kinds of value (mappings, lists, text, numbers, true/false), so
# it is written directly: PyYAML's representer and resolver in Python were most of the time of
# ``frameworks import`` on a large table. PyYAML's emitter (``_dump``) stays the reference the
# tests compare with: both texts load to the same data.

_INDENT = "  "
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` \t")
_FLOW_SPECIAL = frozenset(",[]{}:#")
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers


def _printable(text: str) -> bool:
    return all(
        ch == "\n"
        or (" " <= ch <= "~")
        or ("\xa0" <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd" and ch != "\ufeff")
        or ch >= "\U00010000"
        for ch in text
    )


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether ``text`` can be written without quotes and still load as this same text."""
    if not text or text[0] in _INDICATORS or text[-1] in " :\t" or text != text.strip():
        return False
    if ": " in text or " #" in text or "\t" in text or "\n" in text or not _printable(text):
        return False
    if flow and any(ch in _FLOW_SPECIAL for ch in text):
        return False
    # A text that reads as a number, a date, true/false or null must be quoted ("2023.1", "是").
    return not any(regexp.match(text) for _, regexp in _RESOLVERS.get(text[0], ()))


def _quoted(text: str) -> str:
    if "\n" not in text and _printable(text):
        return "'" + text.replace("'", "''") + "'"
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _scalar(value: Any, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, int):
        return str(value)
    text = str(value.value) if isinstance(value, StrEnum) else str(value)
    return text if _plain_ok(text, flow) else _quoted(text)


def _literal_ok(text: str) -> bool:
    """A multi-line text that a literal block (``|``) keeps exactly."""
    lines = text.split("\n")
    return (
        _printable(text)
        and not text.startswith((" ", "\n"))
        and "\r" not in text
        and all(line == line.rstrip(" \t") for line in lines)
    )


def _flow_text(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow_text(v) for v in value) + "]"
    return _scalar(value, flow=True)


def _emit_value(value: Any, indent: str, out: list[str], head: str) -> None:
    """Write ``head`` (``key:`` or ``- ``) and ``value`` as block YAML into ``out``."""
    if isinstance(value, _Flow) or (isinstance(value, (dict, list)) and not value):
        out.append(f"{head} {_flow_text(value)}" if head.endswith(":") else f"{head}{_flow_text(value)}")
    elif isinstance(value, dict):
        if head.endswith(":"):
            out.append(head)
            _emit_mapping(value, indent + _INDENT, out)
        else:  # a list item: its first key on the dash's line
            inner: list[str] = []
            _emit_mapping(value, indent + _INDENT, inner)
            out.append(head + inner[0][len(indent) + len(_INDENT) :])
            out.extend(inner[1:])
    elif isinstance(value, list):
        if head.endswith(":"):
            out.append(head)
            _emit_list(value, indent + _INDENT, out)
        else:
            inner = []
            _emit_list(value, indent + _INDENT, inner)
            out.append(head + inner[0][len(indent) + len(_INDENT) :])
            out.extend(inner[1:])
    elif isinstance(value, str) and "\n" in value and _literal_ok(str(value)):
        text = str(value)
        chomp = "+" if text.endswith("\n\n") else ("" if text.endswith("\n") else "-")
        out.append(f"{head} |{chomp}" if head.endswith(":") else f"{head}|{chomp}")
        body = text[:-1] if text.endswith("\n") else text
        pad = indent + _INDENT
        out.extend(pad + line if line else "" for line in body.split("\n"))
    else:
        out.append(f"{head} {_scalar(value)}" if head.endswith(":") else f"{head}{_scalar(value)}")


def _emit_mapping(data: dict[str, Any], indent: str, out: list[str]) -> None:
    for key, value in data.items():
        _emit_value(value, indent, out, f"{indent}{key}:")


def _emit_list(items: list[Any], indent: str, out: list[str]) -> None:
    for item in items:
        _emit_value(item, indent, out, f"{indent}- ")


def emit(data: dict[str, Any]) -> str:
    """``data`` (a mapping of mappings, lists, text, numbers) as block YAML text."""
    out: list[str] = []
    _emit_mapping(data, "", out)
    return "\n".join(out) + "\n"


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
    return len(_flow_text(data)) < _FLOW_LIMIT


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
    body = emit(framework_data(fw))
    lines = [SCHEMA_COMMENT, *(f"# {line}".rstrip() for line in (header or []))]
    return "\n".join(lines) + "\n" + body
