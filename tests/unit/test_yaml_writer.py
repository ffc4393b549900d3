"""The framework writer (``yamlout.emit``) writes YAML that loads to exactly the data PyYAML's
emitter would have written, for every shipped framework and for awkward text."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.authoring import yamlout
from jixiao.framework.load import _DecimalLoader, framework_files, load_framework, parse_framework

OPTIONS = {"allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 100, "indent": 2}


def _load(text: str):
    return yaml.load(text, Loader=_DecimalLoader)


def _same_as_pyyaml(data) -> None:
    ours = yamlout.emit(data)
    reference = yaml.dump(data, Dumper=yamlout._Dumper, **OPTIONS)
    assert _load(ours) == _load(reference)


@pytest.mark.parametrize("path", framework_files(), ids=lambda p: p.stem)
def test_shipped_frameworks_load_back_the_same(path):
    fw = load_framework(path).framework
    _same_as_pyyaml(yamlout.framework_data(fw))
    assert parse_framework(yamlout.dump_framework(fw)) == fw


@pytest.mark.parametrize(
    "data",
    [
        {"a": [1, 2, {"b": [3, {"c": ["x", "y"]}], "d": "e"}], "f": {"g": [{"h": [1]}]}},
        {"criteria": "评分标准:\n- ①按时报送得1分\n- ②\n\n  缩进的行: x\n", "after": ["z"]},
        {"items": [{"text": "第一行\n第二行:\n- 列表样子的文字\n", "more": [1, 2]}, {"k": "v"}]},
        {"long": "很长的文字 - 带有破折号 " * 20, "list": ["- 以破折号开头", "a: b"]},
        {"nested": [[1, 2], [3, [4, 5]]], "empty": [], "map": {}},
        {"keep": "末尾空行\n\n", "strip": "无换行", "k": [{"a": "|"}]},
        {"looks": ["2023.1", "yes", "是", "null", "~", "1e3", "0x1F", "1:40", "2024-01-01", "=", "<<"]},
        {"quotes": ["it's", '"引号"', "a #b", "a:b", "  lead", "trail ", "\t", "x\ty", "", "- "]},
        {"odd": ["\x07响铃", "\u2028", "\ufeffBOM", "\x85", "行末空格 \n下一行", "\n以换行开头"]},
        {"flow": yamlout._Flow({"name": "a, b", "points": Decimal("2.5"), "aliases": ["[x]", "{y}"]})},
        {"numbers": [Decimal("0.25"), Decimal("100"), Decimal("-5"), 3, True, False, None]},
    ],
)
def test_awkward_shapes(data):
    # Loaded back exactly (PyYAML's own emitter turns "\x85" into a space: ours does not).
    assert _load(yamlout.emit(data)) == data


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["name", "criteria", "note", "explanation"]),
        st.one_of(st.text(max_size=40), st.lists(st.text(max_size=12), max_size=3)),
        min_size=1,
    )
)
def test_any_text_loads_back_as_written(data):
    assert _load(yamlout.emit({"indicators": [data]})) == {"indicators": [data]}
