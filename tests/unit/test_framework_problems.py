"""Framework files with several kinds of problem: every one in one pass, each naming its
indicator and line; YAML syntax errors explained in Chinese (issue 12, issue 14)."""

from __future__ import annotations

import re

import pytest

from jixiao.cli import main
from jixiao.errors import FrameworkError
from jixiao.framework import load
from jixiao.framework.load import parse_framework
from tests.unit.test_frameworks import GOOD

# A typo'd key, a value of the wrong kind, a missing entry and a children's sum that is off:
# before, the sum was reported only after the three structural errors were mended.
BOTH = (
    GOOD.replace("{name: 甲二, points: 29.5}", "{name: 甲二, points: 20}")
    .replace("title: 测试框架", "titel: 测试框架")
    .replace("points: 40", "points: 四十")
    .replace("  - {label: 差, minimum: 0, maximum: 60}", "  - {label: 差, minimum: 0, maximum: 50}")
)


def _problems(text: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(FrameworkError) as info:
        parse_framework(text, source="bad.yaml")
    return [(p.path, p.message) for p in info.value.problems]


def test_structure_and_sums_in_one_pass():
    got = _problems(BOTH)
    assert got == [
        ("title", "缺少必填项"),
        ("titel", "不认识的键（拼写错误？）（第 5 行）"),
        ("grades[2].minimum", "等级区间有空缺：50 到 60 之间没有等级（等级“中”，第 14 行）"),
        ("indicators[0].children", "下级分值合计 50.5，应等于 60（指标“甲”，第 19 行）"),
        ("indicators[1].points", "不是有效的数字（指标“乙”，第 23 行）"),
    ]


def test_every_problem_names_its_indicator_and_line():
    text = GOOD.replace("{name: 甲二, points: 29.5}", "{name: 甲一, points: 20}")
    got = _problems(text)
    assert ("indicators[0].children[1].name", "与同级第 1 项“甲一”重名（指标“甲／甲一”，第 21 行）") in got
    assert ("indicators[0].children", "下级分值合计 50.5，应等于 60（指标“甲”，第 19 行）") in got


def test_a_stand_in_says_nothing_of_its_own():
    # 乙's 分值 is not a number: the 一级 sum (60 + ?) is a consequence, not a second problem.
    got = _problems(GOOD.replace("points: 40", "points: abc"))
    assert [p for p, _ in got] == ["indicators[1].points"]
    # An indicator that is a text, not a mapping, is one problem too.
    got = _problems(GOOD.replace("  - name: 乙\n    points: 40", "  - 乙"))
    assert [p for p, _ in got] == ["indicators[1]"]


def test_problems_of_data_returns_the_framework_when_clean():
    import yaml

    from jixiao.framework.check import problems_of_data

    raw = yaml.load(GOOD, Loader=load._DecimalLoader)
    framework, problems = problems_of_data(raw)
    assert framework is not None and problems == []


SYNTAX = [
    # (what the author wrote wrong, the text, where, words the message must hold)
    ("no colon", "id: x\nname 甲\nb: 1\n", "第 2 行第 1 列", "缺少冒号"),
    ("tab", "id: x\n\tname: 1\n", "第 2 行第 1 列", "制表符"),
    ("colon in a value", "id: x: y\n", "第 1 行第 6 列", "加引号"),
    ("unclosed bracket", "id: [unclosed\n", "第 1 行第 5 列", "方括号"),
    ("unclosed brace", "a: {b: 1\n", "第 1 行第 4 列", "花括号"),
    ("indentation", "a:\n  b: 1\n c: 2\n", "第 3 行第 2 列", "缩进"),
    ("list", "a:\n  - 1\n  b: 2\n", "第 3 行第 3 列", "“- ”"),
    ("alias", "a: *nope\n", "第 1 行第 4 列", "别名"),
    ("quote", 'a: "abc\n', "第 1 行第 4 列", "引号没有闭合"),
    ("escape", 'a: "\\q"\n', "第 1 行第 5 列", "转义"),
    ("two documents", "a: 1\n---\nb: 2\n", "第 2 行第 1 列", "多个 YAML 文档"),
    ("reserved character", "a: @x\n", "第 1 行第 4 列", "“@”"),
    ("control character", "a: \x07\n", "第 1 行第 4 列", "U+0007"),
    ("GBK", "a: 甲\n".encode("gbk"), "第 1 行第 4 列", "UTF-8"),
    ("tag", "a: !foo x\n", "第 1 行第 4 列", "标记"),
]


@pytest.mark.parametrize(("case", "text", "where", "words"), SYNTAX, ids=[c[0] for c in SYNTAX])
def test_yaml_syntax_errors_are_explained_in_chinese(case, text, where, words):
    [(path, message)] = _problems(text)
    assert path == where
    assert words in message
    # PyYAML's own English ("could not find expected ':'", "mapping values are not allowed
    # here" …) is never shown.
    allowed = ("YAML", "UTF", "GBK", "Tab", "title", "U+")
    assert not re.search(r"[A-Za-z]{3,}", re.sub("|".join(allowed), "", message))


def test_an_unknown_yaml_problem_still_has_a_chinese_sentence():
    import yaml

    error = yaml.scanner.ScannerError(problem="something new", problem_mark=None)
    where, message = load.explain_yaml_error(error)
    assert where == ""  # no mark: no line to name
    assert message.startswith("YAML 格式错误") and "something new" in message


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


BROKEN = GOOD.replace("  - name: 乙\n", "  - name 乙\n")  # a colon left out


def test_check_lists_every_problem_of_every_file(tmp_path, capsys):
    both = _write(tmp_path / "both.yaml", BOTH)
    broken = _write(tmp_path / "broken.yaml", BROKEN)
    assert main(["frameworks", "check", str(both), str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"框架文件 {both} 有 5 个问题" in err
    assert "下级分值合计 50.5，应等于 60（指标“甲”，第 19 行）" in err
    assert f"框架文件 {broken} 有 1 个问题" in err and "第 23 行" in err
    assert "mapping values" not in err and "could not" not in err


def test_yaml_errors_in_chinese_through_f_and_the_search_path(tmp_path, capsys, monkeypatch):
    from tests.conftest import SHEETS

    sheet = SHEETS / "shaoguan-2023-kexie.xlsx"
    broken = _write(tmp_path / "broken.yaml", BROKEN)
    assert main(["score", str(sheet), "-f", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "第 23 行第 11 列" in err and "加引号" in err and "mapping" not in err
    folder = tmp_path / "extra"
    folder.mkdir()
    _write(folder / "extra-fw.yaml", BROKEN.replace("id: test-fw", "id: extra-fw"))
    monkeypatch.setenv(load.ENV_PATH, str(folder))
    load._load_cached.cache_clear()
    assert main(["score", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert "extra-fw.yaml" in err and "第 23 行第 11 列" in err and "mapping" not in err


def test_os_problems_are_in_chinese(tmp_path, capsys):
    assert main(["frameworks", "check", str(tmp_path), str(tmp_path / "missing.yaml")]) == 2
    err = capsys.readouterr().err
    assert "这是一个文件夹，不是框架文件" in err
    assert "找不到框架文件" in err and "文件或文件夹不存在" in err
    assert "Errno" not in err and "No such file" not in err


def test_any_mutation_of_a_good_file_gives_problems_never_a_traceback():
    """The stand-ins of the one-pass check must not turn a wrong value into a crash: 300 seeded
    mutations (values of the wrong kind, keys dropped or added, rules that are nonsense)."""
    import copy
    import random

    import yaml

    base = yaml.safe_load(GOOD)
    junk = [None, "abc", 5, -3, [], {}, [1], {"x": 1}, "", True, "1:2", 1.5, {"kind": "tiers", "tiers": [{}]}]

    def paths(d, p=()):
        yield p
        children = d.items() if isinstance(d, dict) else enumerate(d) if isinstance(d, list) else ()
        for k, v in children:
            yield from paths(v, (*p, k))

    every = [p for p in paths(base) if p]
    rng = random.Random(12)
    for _ in range(300):
        data = copy.deepcopy(base)
        for _ in range(rng.randint(1, 4)):
            path = rng.choice(every)
            target = data
            try:
                for part in path[:-1]:
                    target = target[part]
                roll = rng.random()
                if roll < 0.2 and isinstance(target, dict):
                    target.pop(path[-1], None)
                elif roll < 0.3 and isinstance(target, dict):
                    target["rule" if roll < 0.25 else "extra"] = rng.choice(junk)
                else:
                    target[path[-1]] = rng.choice(junk)
            except (KeyError, IndexError, TypeError):
                continue
        try:
            parse_framework(yaml.safe_dump(data, allow_unicode=True), source="m.yaml")
        except FrameworkError as e:
            assert e.problems and all(p.message for p in e.problems)
