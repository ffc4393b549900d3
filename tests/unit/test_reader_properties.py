"""Property tests: whatever the cells hold and however they are laid out, the reader answers.

The promise checked here: reading and scoring a sheet returns an evaluation (with findings) or
raises a :class:`JixiaoError` with a message; nothing else escapes. Layouts are random (title
rows, header position and column order, name variants, merges), cell contents are random (text
with formula-like starts, numbers of every kind, dates, times, booleans, error values).
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import JixiaoError
from jixiao.findings import CATALOGUE
from jixiao.framework.load import load_framework
from jixiao.read.grid import Grid
from jixiao.scoring.evaluation import Evaluation
from jixiao.scoring.pipeline import _choose_table, evaluate, score_file

SHAOGUAN = load_framework("shaoguan-2023")
NAMES = [n.name for _, n in SHAOGUAN.framework.walk()]
HEADERS = {
    "level1": ["一级指标", "一级"],
    "level2": ["二级指标", "二级"],
    "level3": ["三级指标"],
    "name": ["指标名称", "评价指标"],
    "points": ["分值", "权重", "标准分"],
    "score": ["自评得分", "得分", "自评分"],
    "rate": ["得分率（%）", "得分率"],
    "reason": ["扣分原因", "备注"],
    "review": ["复核得分"],
}

printable = st.characters(blacklist_categories=("Cs", "Cc"))
words = st.sampled_from(
    [
        *NAMES,
        "合计",
        "总计",
        "等级：优",
        "绩效等级",
        "优",
        "单位名称：某局",
        "注：说明",
        "９．５分",
        "２２．３１",
        "46分",
        "履职效能（46分）",
        "#DIV/0!",
        "#REF!",
        "=SUM(D3:D9)",
        "+1",
        "-0",
        "@x",
        "",
        " ",
        "\n",
        "1e400",
        "NaN",
        "1,000.5",
        "9.5%",
        "（一）整体效能",
    ]
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
)
cell_values = st.one_of(
    st.none(),
    words,
    st.text(printable, max_size=12),
    numbers,
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.times(),
)
# Values only a reader (not openpyxl's writer) produces: NaN, infinities, controls, timedeltas.
grid_only_values = st.one_of(
    cell_values,
    st.sampled_from([math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("-Infinity")]),
    st.text(max_size=6),
    st.timedeltas(),
)


@st.composite
def layouts(draw, values=cell_values) -> list[list[object]]:
    """Title rows, then a header in a random column order, then rows of random cells."""
    rows: list[list[object]] = [
        [draw(values) for _ in range(draw(st.integers(0, 3)))] for _ in range(draw(st.integers(0, 3)))
    ]
    roles = draw(st.lists(st.sampled_from(sorted(HEADERS)), min_size=1, max_size=7, unique=True))
    offset = draw(st.integers(0, 2))
    header = [None] * offset + [draw(st.sampled_from(HEADERS[r])) for r in roles]
    rows.append(header)
    for _ in range(draw(st.integers(0, 14))):
        line: list[object] = [None] * offset
        for role in roles:
            if role.startswith("level") or role == "name":
                line.append(draw(st.one_of(st.sampled_from(NAMES), values)))
            else:
                line.append(draw(values))
        rows.append(line)
    return rows


@st.composite
def perturbed_shaoguan(draw, values=cell_values) -> list[list[object]]:
    """The 韶关 table with a 合计 row and a grade, a few cells replaced by random values."""
    from tests.builders import SHAOGUAN_ROWS

    rows = [list(r) for r in SHAOGUAN_ROWS]
    rows += [["合计", None, 100, 98.81, 98.81], ["绩效等级：优"]]
    shift = draw(st.integers(0, 2))
    rows = [[None] * shift + r for r in rows]
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, 6 + shift))
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = draw(values)
    if draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), [draw(values) for _ in range(3)])
    return rows


any_layout = st.one_of(layouts(values=grid_only_values), perturbed_shaoguan(grid_only_values))


@given(rows=any_layout)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_reading_any_grid_answers_or_raises_jixiao_error(rows):
    grid = Grid(Path("随机.xlsx"), "评分表", ["评分表"], [list(r) for r in rows], _formulas={})
    try:
        table = _choose_table(grid.path, [grid], None, SHAOGUAN, None)
        ev = evaluate(table, SHAOGUAN, "0" * 64)
    except JixiaoError as e:
        assert str(e)
        return
    assert isinstance(ev, Evaluation)
    assert all(f.code in CATALOGUE for f in ev.findings)
    assert (ev.result is None) == any(f.is_error for f in ev.findings)


@st.composite
def merges(draw, rows: list[list[object]]) -> list[str]:
    from openpyxl.utils import get_column_letter

    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    if height < 2 or width < 1:
        return []
    found = []
    taken: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 3))):
        top = draw(st.integers(1, height - 1))
        left = draw(st.integers(1, width))
        bottom = draw(st.integers(top, min(height, top + 4)))
        right = draw(st.integers(left, min(width, left + 1)))
        cells = {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        if len(cells) < 2 or cells & taken:
            continue
        taken |= cells
        found.append(f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}")
    return found


@given(data=st.data())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_scoring_any_workbook_answers_or_raises_jixiao_error(data):
    from tests.builders import write_sheet

    rows = data.draw(st.one_of(layouts(), perturbed_shaoguan()))
    ranges = data.draw(merges(rows))
    with tempfile.TemporaryDirectory() as folder:
        path = write_sheet(Path(folder) / "随机.xlsx", rows, merges=ranges)
        try:
            ev = score_file(path, SHAOGUAN)
        except JixiaoError as e:
            assert str(e).startswith(str(path))
            return
    assert all(f.code in CATALOGUE for f in ev.findings)
    assert (ev.result is None) == any(f.is_error for f in ev.findings)
