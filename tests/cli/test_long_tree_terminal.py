"""A sheet of thousands of indicators: the terminal lists a trimmed tree and says where the rest is."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.cli.render import LONG_TREE, MAX_SHOWN, SHOWN_LEAVES, Hidden, trimmed
from tests.builders import SHAOGUAN_ROWS, write_sheet

SECONDS = [
    ("履职效能" if i < 2 else "管理效率", second, points)
    for i, (_, second, points, *_) in enumerate(SHAOGUAN_ROWS[2:])
]
ROWS = 1000  # department-defined 三级 rows, each worth 0.1


@pytest.fixture(scope="module")
def long_sheet(tmp_path_factory) -> Path:
    rows: list[list[object]] = [["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"]]
    for first, second, points in SECONDS:
        for i in range(points * 10):
            # One leaf far down each 二级 loses points: it must still be listed.
            lost = i == points * 10 - 3
            rows.append(
                [first, second, f"{second}指标{i}", 0.1, 0.05 if lost else 0.1, "未完成" if lost else None]
            )
    return write_sheet(tmp_path_factory.mktemp("long") / "long.xlsx", rows)


def test_terminal_lists_a_trimmed_tree_with_every_lost_leaf(long_sheet: Path, capsys):
    assert main(["score", str(long_sheet), "-f", "shaoguan-2023"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) < 120, len(lines)  # 1,000 indicators: over 1,000 lines before
    # 230 under 整体效能: the first 5, 222 left out, the one that lost points, 2 more left out.
    assert "另有 222 个指标未列出" in out and "另有 2 个指标未列出" in out
    for _, second, points in SECONDS:
        assert f"{second}指标{points * 10 - 3}" in out  # the leaf that lost points
        assert f"{second}指标4 " in out and f"{second}指标5 " not in out
    assert "加 --json，或用 -o 写出工作簿（“明细”工作表）" in out
    assert "总分 99.55" in out


def test_json_keeps_every_indicator(long_sheet: Path, capsys):
    assert main(["score", str(long_sheet), "-f", "shaoguan-2023", "--json"]) == 0
    data = json.loads(capsys.readouterr().out, parse_float=Decimal)
    assert sum(1 for row in data["indicators"] if len(row["path"]) == 3) == ROWS


def _leaves(counts: list[int], lost: set[int] = frozenset()) -> list[tuple[tuple[str, ...], bool, bool]]:
    items: list[tuple[tuple[str, ...], bool, bool]] = []
    n = 0
    for p, count in enumerate(counts):
        items.append(((f"p{p}",), False, False))
        for i in range(count):
            items.append(((f"p{p}", f"l{i}"), True, n in lost))
            n += 1
    return items


def _trim(items: list[tuple[tuple[str, ...], bool, bool]]) -> list[object]:
    return list(trimmed(items, lambda x: x[0], lambda x: x[1], lambda x: x[2]))


def test_trimming_keeps_order_counts_every_row_and_stops_at_the_limit():
    out = _trim(_leaves([8, 3], lost={6}))
    names = [x if isinstance(x, Hidden) else "/".join(x[0]) for x in out]  # type: ignore[index]
    assert names == [
        "p0",
        *(f"p0/l{i}" for i in range(SHOWN_LEAVES)),
        Hidden(2, 1, 0),  # l5, before the leaf that lost points
        "p0/l6",
        Hidden(2, 1, 0),  # l7
        "p1",
        "p1/l0",
        "p1/l1",
        "p1/l2",
    ]
    # A tree of a great many indicators, each with few leaves: capped at MAX_SHOWN rows.
    wide = _trim(_leaves([2] * (LONG_TREE * 2)))
    assert len(wide) == MAX_SHOWN + 1
    last = wide[-1]
    assert isinstance(last, Hidden) and last.count == LONG_TREE * 2 * 3 - MAX_SHOWN
