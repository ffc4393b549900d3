"""JSON output where numbers are JSON numbers carrying the exact rounded decimal (98.50, not 98.5)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from jixiao.scoring.evaluation import Evaluation, evaluation_data

# One encoder for every scalar: json.dumps with an option builds a new JSONEncoder per call,
# which was most of writing a 10,000-row result.
_SCALAR = json.JSONEncoder(ensure_ascii=False).encode
# What _SCALAR does for the commonest types, without its checks: the same text (the C encoder's
# string escaping, int's own repr).
_STRING = json.encoder.encode_basestring
_CONSTANTS = {type(None): lambda v: "null", bool: lambda v: "true" if v else "false", int: int.__repr__}
_KEYS: dict[str, str] = {}


def _key(k: object) -> str:
    text = str(k)
    found = _KEYS.get(text)
    if found is None:
        found = _SCALAR(text)
        if len(_KEYS) < 4096:  # keys are the few field names; never grow without bound
            _KEYS[text] = found
    return found


def dumps(value: Any, indent: int | None = 2) -> str:
    """Serialise dicts, lists, strings, bools, None, ints and Decimals, keeping decimals exact."""
    return _encode(value, indent, 0)


def write(value: Any, fh: IO[str], indent: int | None = 2) -> None:
    """Write what :func:`dumps` returns to ``fh``, without holding the whole text in memory.

    The outer mapping and its lists (the indicators of a 100,000-row sheet) are written item by
    item; each item is encoded whole, so the text is exactly that of :func:`dumps`.
    """
    buffer: list[str] = []
    size = 0
    for piece in _stream(value, indent, 0):
        buffer.append(piece)
        size += len(piece)
        if size > 1 << 16:
            fh.write("".join(buffer))
            buffer, size = [], 0
    fh.write("".join(buffer))


def _stream(value: Any, indent: int | None, depth: int) -> Iterator[str]:
    if depth > 1 or not isinstance(value, Mapping | list | tuple) or not value:
        yield _encode(value, indent, depth)
        return
    pad = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    end = "" if indent is None else "\n" + " " * (indent * depth)
    sep = ", " if indent is None else ","
    if isinstance(value, Mapping):
        yield "{"
        for i, (k, v) in enumerate(value.items()):
            yield f"{sep if i else ''}{pad}{_key(k)}: "
            yield from _stream(v, indent, depth + 1)
        yield end + "}"
        return
    if all(v is None or isinstance(v, bool | int | float | str | Decimal) for v in value):
        yield _encode(value, indent, depth)
        return
    yield "["
    for i, v in enumerate(value):
        yield f"{sep if i else ''}{pad}"
        yield from _stream(v, indent, depth + 1)
    yield end + "]"


def _encode(value: Any, indent: int | None, depth: int) -> str:
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is Decimal:
        if not value.is_finite():
            raise ValueError(f"cannot write {value} as JSON")
        return format(value, "f")
    plain = _CONSTANTS.get(kind)
    if plain is not None:
        return plain(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot write {value} as JSON")
        return format(value, "f")
    if value is None or isinstance(value, bool | int | float | str):
        return _SCALAR(value)
    pad = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    end = "" if indent is None else "\n" + " " * (indent * depth)
    sep = ", " if indent is None else ","
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{pad}{_key(k)}: {_encode(v, indent, depth + 1)}" for k, v in value.items()]
        return "{" + sep.join(items) + end + "}"
    if isinstance(value, Sequence):
        if not value:
            return "[]"
        if all(v is None or isinstance(v, bool | int | float | str | Decimal) for v in value):
            return "[" + ", ".join(_encode(v, None, 0) for v in value) + "]"
        return "[" + sep.join(f"{pad}{_encode(v, indent, depth + 1)}" for v in value) + end + "]"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def evaluation_json(ev: Evaluation, produced_at: str | None = None) -> str:
    """The ``score --json`` document for one evaluation."""
    return dumps(evaluation_data(ev, produced_at))


def write_evaluation_json(ev: Evaluation, fh: IO[str], produced_at: str | None = None) -> None:
    """:func:`evaluation_json` written to ``fh`` piece by piece (long sheets: flat memory)."""
    write(evaluation_data(ev, produced_at), fh)
