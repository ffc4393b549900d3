"""libyaml's emitter plus the list indentation writes exactly what the pure-Python emitter writes."""

from __future__ import annotations

import pytest
import yaml

from jixiao.authoring import yamlout
from jixiao.framework.load import framework_files, load_framework

pytestmark = pytest.mark.skipif(yamlout._CDumper is None, reason="PyYAML built without libyaml")

OPTIONS = {"allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 100, "indent": 2}


def _python(data):
    return yaml.dump(data, Dumper=yamlout._Dumper, **OPTIONS)


@pytest.mark.parametrize("path", framework_files(), ids=lambda p: p.stem)
def test_shipped_frameworks(path):
    data = yamlout.framework_data(load_framework(path).framework)
    assert yamlout._dump(data, **OPTIONS) == _python(data)


@pytest.mark.parametrize(
    "data",
    [
        {"a": [1, 2, {"b": [3, {"c": ["x", "y"]}], "d": "e"}], "f": {"g": [{"h": [1]}]}},
        {"criteria": "评分标准:\n- ①按时报送得1分\n- ②\n\n  缩进的行: x\n", "after": ["z"]},
        {"items": [{"text": "第一行\n第二行:\n- 列表样子的文字\n", "more": [1, 2]}, {"k": "v"}]},
        {"long": "很长的文字 - 带有破折号 " * 20, "list": ["- 以破折号开头", "a: b"]},
        {"nested": [[1, 2], [3, [4, 5]]], "empty": [], "map": {}},
        {"keep": "末尾空行\n\n", "strip": "无换行", "k": [{"a": "|"}]},
    ],
)
def test_awkward_shapes(data):
    assert yamlout._dump(data, **OPTIONS) == _python(data)
