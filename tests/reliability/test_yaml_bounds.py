"""Framework YAML is bounded (size, depth, aliases) before anything is built; odd numbers refused."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from jixiao.errors import FrameworkError, JixiaoError
from jixiao.framework import load
from jixiao.framework.load import load_framework, parse_framework
from tests.conftest import FRAMEWORKS

SHAOGUAN = (FRAMEWORKS / "shaoguan-2023.yaml").read_text(encoding="utf-8")

ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
"""Under 1 KB; 9^9 (387 million) strings once expanded."""


def problems(text: str) -> list[str]:
    with pytest.raises(FrameworkError) as info:
        parse_framework(text, source="x.yaml")
    return [str(p) for p in info.value.problems]


def test_an_alias_bomb_is_refused_fast():
    assert len(ALIAS_BOMB) < 1024
    start = time.perf_counter()
    found = problems(ALIAS_BOMB)
    assert time.perf_counter() - start < 1.0
    assert any("别名" in p for p in found), found


def test_alias_expansion_bound_at_its_edge(monkeypatch):
    monkeypatch.setattr(load, "MAX_YAML_NODES", 30)
    # a mapping with one key whose value is a list of 9 aliases to a 2-node list:
    # 1 (map) + 1 (key) + 1 (list) + 9 × 2 + 1 anchor list (2) counted once per use
    text = "a: &a [1]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    raw_nodes = 1 + (1 + 2) + (1 + 1 + 9 * 2)
    monkeypatch.setattr(load, "MAX_YAML_NODES", raw_nodes)
    with pytest.raises(FrameworkError) as info:  # the document is no framework, but not a bomb
        parse_framework(text)
    assert not any("别名" in str(p) for p in info.value.problems)
    monkeypatch.setattr(load, "MAX_YAML_NODES", raw_nodes - 1)
    assert any("别名" in p for p in problems(text))


def test_depth_bound_at_its_edge():
    ok = "a: " + "[" * (load.MAX_YAML_DEPTH - 1) + "]" * (load.MAX_YAML_DEPTH - 1) + "\n"
    deep = "a: " + "[" * load.MAX_YAML_DEPTH + "]" * load.MAX_YAML_DEPTH + "\n"
    assert not any("嵌套" in p for p in problems(ok))
    assert any("嵌套" in p for p in problems(deep))


def test_very_deep_nesting_is_refused_not_a_crash():
    # refused by our event pass, or by libyaml's own nesting limit: a framework error either way
    found = problems("a: " + "[" * 100_000 + "]" * 100_000)
    assert any("嵌套" in p or "nesting" in p for p in found), found


@pytest.mark.parametrize(
    "value, word",
    [
        (".inf", "有限"),
        (".nan", "有限"),
        ("-.inf", "有限"),
        ("1:40.0", "六十进制"),
        ("1.0e+400", "过大"),
        ("1e400", "过大"),
    ],
)
def test_non_finite_sexagesimal_and_huge_numbers_are_refused_with_the_path(value, word):
    text = SHAOGUAN.replace("points: 23", f"points: {value}", 1)
    assert text != SHAOGUAN
    found = problems(text)
    assert any(p.startswith("indicators[0].children[0].points") and word in p for p in found), found


def test_a_sexagesimal_int_is_refused():
    found = problems(SHAOGUAN.replace("precision: 2", "precision: 1:40", 1))
    assert any(p.startswith("precision") and "六十进制" in p for p in found), found


def test_duplicate_keys_are_an_error():
    text = SHAOGUAN.replace("\ntitle:", "\ntitle: 重复\ntitle:", 1)
    assert text != SHAOGUAN
    assert any("重复" in p and p.startswith("title") for p in problems(text))


def test_size_bound_at_its_edge(tmp_path, monkeypatch):
    path = tmp_path / "f.yaml"
    path.write_text(SHAOGUAN, encoding="utf-8")
    monkeypatch.setattr(load, "MAX_FRAMEWORK_BYTES", path.stat().st_size)
    load_framework(path)
    path.write_text(SHAOGUAN + " ", encoding="utf-8")
    with pytest.raises(FrameworkError):
        load_framework(path)


def test_a_device_or_a_pipe_is_refused(tmp_path):
    with pytest.raises(JixiaoError):
        load.read_framework_bytes(Path("/dev/zero"))
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    start = time.perf_counter()
    with pytest.raises(JixiaoError):
        load.read_framework_bytes(fifo)
    assert time.perf_counter() - start < 1.0


def test_frameworks_check_refuses_dev_zero_and_a_fifo(tmp_path):
    import subprocess
    import sys

    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "frameworks", "check", "/dev/zero", str(fifo)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("不是普通文件") == 2, done.stderr


def test_the_c_loader_is_used_when_present():
    import yaml

    if getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("libyaml not installed")
    assert issubclass(load._DecimalLoader, yaml.CSafeLoader)


def test_shipped_frameworks_still_load():
    for f in sorted(FRAMEWORKS.glob("*.yaml")):
        parse_framework(f.read_bytes(), source=f)


@pytest.mark.parametrize("ref", ["/dev/zero", "bomb.yaml", "../x", "./frameworks/a", "a\\b"])
def test_a_path_in_a_record_is_never_loaded(ref):
    from jixiao.errors import UsageError

    with pytest.raises(UsageError):
        load.load_by_id(ref)


def test_an_id_in_a_record_is_loaded():
    assert load.load_by_id("shaoguan-2023").id == "shaoguan-2023"


def test_verify_does_not_open_a_framework_path_named_in_a_result(tmp_path, monkeypatch):
    """A --json result whose provenance names a framework file: verify refuses, reads nothing."""
    import json
    import subprocess
    import sys

    from tests.builders import shaoguan_sheet

    sheet = shaoguan_sheet(tmp_path / "a.xlsx")
    out = subprocess.run(
        [sys.executable, "-m", "jixiao", "score", str(sheet), "-f", "shaoguan-2023", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(out.stdout)
    fifo = tmp_path / "never.yaml"
    os.mkfifo(fifo)  # opening it for reading would block: the test would hang

    def patch(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("framework.id", "id") and v == "shaoguan-2023":
                    node[k] = str(fifo)
                else:
                    patch(v)
        elif isinstance(node, list):
            for v in node:
                patch(v)

    patch(data)
    result = tmp_path / "r.json"
    result.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "verify", str(result), str(sheet)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "不是框架 id" in done.stderr + done.stdout, done.stderr
