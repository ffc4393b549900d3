"""The words sheets are read by (header names per column role, total and footer words), as data.

They live in ``vocabulary.yaml`` beside this module so that maintainers extend them without
touching code; the file is read once, on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from jixiao.values import header_key, name_key, nfkc


@dataclass(frozen=True)
class Vocabulary:
    """The compiled vocabulary: role patterns in order, suffixes, total and footer words."""

    roles: tuple[tuple[str, re.Pattern[str]], ...]
    role_pattern: re.Pattern[str]
    """Every role's pattern in one alternation, in the listed order (group ``r<i>`` is role i):
    one match instead of one per role, for the many cells that name no column."""
    header_suffixes: tuple[str, ...]
    known_columns: frozenset[str]
    total_words: re.Pattern[str]
    footer_words: re.Pattern[str]
    level_words: dict[str, str]
    """A way of writing a qualitative level → the level's label (达成预期指标 → 达成)."""


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(header_key(w)) for w in sorted(words, key=len, reverse=True))


@functools.cache
def vocabulary() -> Vocabulary:
    """The vocabulary of ``vocabulary.yaml`` (package data), compiled once."""
    text = resources.files("jixiao.read").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    roles = []
    for entry in data["roles"]:
        parts = list(entry.get("patterns", []))
        if entry.get("names"):
            parts.append(f"^(?:{_alternatives(entry['names'])})$")
        roles.append((str(entry["role"]), re.compile("|".join(f"(?:{p})" for p in parts))))
    totals = _alternatives(data["total_words"])
    footers = _alternatives(data["footer_words"])
    suffixes = tuple(
        sorted((nfkc(s).replace(" ", "") for s in data.get("header_suffixes", [])), key=len, reverse=True)
    )
    combined = "|".join(f"(?P<r{i}>{pattern.pattern})" for i, (_, pattern) in enumerate(roles))
    return Vocabulary(
        roles=tuple(roles),
        role_pattern=re.compile(combined),
        header_suffixes=suffixes,
        known_columns=frozenset(header_key(w) for w in data.get("known_columns", [])),
        total_words=re.compile(rf"^(?:{totals})[:：]?$"),
        footer_words=re.compile(rf"^(?:{footers})([:：、]|$)"),
        level_words={
            name_key(word): str(label)
            for label, words in (data.get("level_words") or {}).items()
            for word in words
        },
    )
