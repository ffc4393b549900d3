"""The one-alternation role pattern names the same role as trying each role's pattern in turn."""

from __future__ import annotations

import random
from importlib import resources

import yaml

from jixiao.read.table import role_of
from jixiao.read.vocabulary import vocabulary
from jixiao.values import header_key


def _one_by_one(text: str) -> str | None:
    """role_of as it was: every role's pattern tried in the listed order."""
    words = vocabulary()
    key = header_key(text)
    if not key or len(key) > 24:
        return None
    for candidate in (key, *(key[: -len(s)] for s in words.header_suffixes if key.endswith(s))):
        if not candidate or len(candidate) > 16:
            continue
        for role, pattern in words.roles:
            if pattern.match(candidate):
                return role
    return None


def _texts() -> list[str]:
    data = yaml.safe_load(
        resources.files("jixiao.read").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    )
    names = [n for entry in data["roles"] for n in entry.get("names", [])]
    names += data.get("known_columns", []) + data["total_words"] + data["footer_words"]
    suffixes = data["header_suffixes"]
    out = list(names)
    out += [n + s for n in names for s in suffixes]
    out += ["自评得分率", "得分率（%）", "扣分原因和其他说明", "偏差原因分析及改进措施"]
    out += ["未完成原因及拟采取的改进措施"]
    out += [f"得分{n}" for n in names[:20]] + [f"{n}得分" for n in names[:20]]
    rng = random.Random(12)
    alphabet = "得分率值权重自评复核一二三级指标名称扣原因合计(%)（）0123456789 "
    out += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    return out


def test_the_combined_pattern_names_the_same_role_as_each_pattern_in_turn() -> None:
    texts = _texts()
    differ = [(t, role_of(t), _one_by_one(t)) for t in texts if role_of(t) != _one_by_one(t)]
    assert differ == []
    assert sum(1 for t in texts if role_of(t)) > 300  # the texts do name roles
