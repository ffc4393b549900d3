"""The calamine reader gives exactly the Grid the openpyxl reader gives."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from jixiao.errors import SheetError
from jixiao.read import dispatch
from jixiao.scoring.pipeline import score_file
from tests.builders import shaoguan_sheet, write_sheet
from tests.conftest import SHEETS


def _both(path: Path):
    slow = dispatch.load_grids(path, reader="openpyxl")
    fast = dispatch.load_grids(path)
    return slow, fast


def _assert_same(path: Path) -> None:
    slow, fast = _both(path)
    assert [g.sheet for g in fast] == [g.sheet for g in slow]
    for a, b in zip(slow, fast, strict=True):
        assert b.sheet_names == a.sheet_names
        assert b.rows == a.rows
        # Same values and the same Python types (4 stays int, 4.5 float, dates datetime).
        assert [[type(v) for v in r] for r in b.rows] == [[type(v) for v in r] for r in a.rows]
        assert b.number_formats == a.number_formats
        assert b.merged_from == a.merged_from


@pytest.mark.parametrize("name", sorted(p.name for p in SHEETS.glob("*.xlsx")))
def test_example_sheets_read_identically(name):
    _assert_same(SHEETS / name)


def test_merges_formats_types_and_extent_read_identically(tmp_path):
    rows = [
        [None, "某单位 绩效自评表"],
        [None, "单位名称：测试局", None, None, None, "=不是公式"],
        [None, "一级指标", "二级指标", "分值", "自评得分", "得分率（%）"],
        [None, "履职效能", "整体效能", 23, 22.31, 0.97],
        [None, None, "专项效能", 23, "２３", True],
        [None, "管理效率", "预算编制", 5, 4.0, "#DIV/0!"],
        [None, None, "预算执行", 8, datetime(2023, 5, 1), None],
        [],
        [None, None, None, None, None, None, None, None],
    ]
    path = write_sheet(
        tmp_path / "a.xlsx",
        rows,
        merges=["B1:F1", "B4:B5", "B6:B7", "G9:H10"],
        number_formats={"F4": "0%", "D4": "0.00", "H12": "0.0", "E7": "yyyy-mm-dd"},
        extra_sheets={"说明": [["填表说明：分值不得修改"], [None, 1.5]]},
    )
    _assert_same(path)
    fast = dispatch.load_grids(path)[0]
    assert fast.value(4, 4) == 23 and isinstance(fast.value(4, 4), int)
    assert fast.value(5, 2) == "履职效能" and fast.merged_from[(5, 2)] == (4, 2)
    assert fast.number_format(4, 6) == "0%"
    # openpyxl wrote "=不是公式" as a formula without a value: blank, and its formula is known.
    assert fast.value(2, 6) is None and fast.formula(2, 6) == "=不是公式"


def test_formula_without_cached_value_is_still_reported(tmp_path):
    # openpyxl writes a formula with no cached value; the fast reader sees an empty cell and the
    # grid's formula look-up still reports it, never reading it as 0.
    path = shaoguan_sheet(tmp_path / "f.xlsx", {"D5": "=4+1"})
    _assert_same(path)
    ev = score_file(path)
    assert [(f.code, f.cell) for f in ev.errors] == [("formula-without-value", "D5")]


def test_scores_equal_with_either_reader(tmp_path, monkeypatch):
    path = shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", tmp_path / "g.xlsx")
    fast = score_file(path)
    original = dispatch.load_grids
    monkeypatch.setattr("jixiao.scoring.pipeline.load_grids", lambda p: original(p, reader="openpyxl"))
    slow = score_file(path)
    assert fast.result == slow.result
    assert fast.findings == slow.findings


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 truncated", "文件已损坏"),
        ("notes.txt", b"hello", "不是 Excel 工作簿"),
    ],
)
def test_unreadable_files_raise_the_same_sheet_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SheetError) as fast:
        dispatch.load_grids(path)
    with pytest.raises(SheetError) as slow:
        dispatch.load_grids(path, reader="openpyxl")
    assert message in str(fast.value) and str(fast.value) == str(slow.value)


def test_missing_file_is_a_sheet_error(tmp_path):
    with pytest.raises(SheetError, match="文件不存在"):
        dispatch.load_grids(tmp_path / "missing.xlsx")


def test_excel_helpers_agree_with_openpyxl():
    from openpyxl.styles import numbers
    from openpyxl.utils import column_index_from_string, get_column_letter
    from openpyxl.utils import datetime as odt

    from jixiao.read import _excel

    assert numbers.BUILTIN_FORMATS == _excel.BUILTIN_FORMATS
    for col in (1, 4, 26, 27, 52, 702, 703, 16384, 18278):
        assert _excel.get_column_letter(col) == get_column_letter(col)
        letters = get_column_letter(col)
        assert _excel.column_index_from_string(letters) == column_index_from_string(letters) == col
    formats = [
        *numbers.BUILTIN_FORMATS.values(),
        "yyyy-mm-dd",
        'yyyy"年"m"月"d"日"',
        "[h]:mm",
        "[$-804]General",
        '0.00"分"',
        "0.0%;[Red]-0.0%",
        "[mm]:ss",
        "General",
    ]
    for fmt in formats:
        assert _excel.is_date_format(fmt) == numbers.is_date_format(fmt), fmt
        assert _excel.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt), fmt
    for value in (0.25, 0.5, 1, 59, 60, 61, 45000.75, 45123.123456):
        for epoch in (odt.WINDOWS_EPOCH, odt.MAC_EPOCH):
            assert _excel.from_excel(value, epoch) == odt.from_excel(value, epoch)
        assert _excel.from_excel(value, timedelta=True) == odt.from_excel(value, timedelta=True)


def test_reading_with_calamine_does_not_import_openpyxl():
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from jixiao.read import dispatch; "
        f"dispatch.load_grids(Path({str(SHEETS / 'shaoguan-2023-kexie.xlsx')!r})); "
        "print('openpyxl' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_mutated_workbooks_read_identically_or_not_at_all(tmp_path):
    """Over damaged copies of the examples: where both readers read a file the grids are equal,
    and XML that openpyxl cannot parse is never read by the fast reader either."""
    import random

    from jixiao.errors import JixiaoError
    from tests.unit.test_reader_fuzz import EXAMPLES, _mutate_part

    both = 0
    for case in range(120):
        rng = random.Random(f"xml-parts-{case}")
        source = rng.choice(EXAMPLES)
        path = tmp_path / f"{case}.xlsx"
        path.write_bytes(_mutate_part(source.read_bytes(), rng))
        results = []
        for reader in ("calamine", "openpyxl"):
            try:
                results.append(dispatch.load_grids(path, reader=reader))
            except JixiaoError as e:
                results.append(e)
        fast, slow = results
        if isinstance(fast, list) and isinstance(slow, list):
            both += 1
            assert [(g.rows, g.number_formats, g.merged_from) for g in fast] == [
                (g.rows, g.number_formats, g.merged_from) for g in slow
            ], case
        elif isinstance(slow, JixiaoError) and isinstance(fast, list):
            # openpyxl also refuses well-formed files over metadata (unknown attributes, a bad
            # date in docProps, lxml's namespace-URI check); malformed XML must be refused by both.
            cause = slow.__cause__
            syntax = type(cause).__name__ in ("XMLSyntaxError", "ParseError", "ExpatError")
            assert not syntax or "valid URI" in str(cause), (case, cause)
        elif isinstance(slow, JixiaoError) and isinstance(fast, JixiaoError):
            # Both refuse a damaged part in the same single pass (ooxml), with one message.
            assert str(fast) == str(slow), case
            both += 1
    assert both > 20  # the mutations left many files readable: the comparison ran
