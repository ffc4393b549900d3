"""Streamed sheets (the long sheets of ``score -o``) are saved with the same cells as openpyxl's own.

Each workbook is built twice from one evaluation, once in memory the normal way and saved by
openpyxl, once with its long sheets streamed (``write_result``); both files are read back and
compared cell by cell: value, type, font, border, fill, alignment, protection, number format,
and per sheet the merged ranges, widths, heights, frozen panes, print settings and state.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.scoring.pipeline import score_file
from jixiao.write import xlsx
from jixiao.write.result import (
    build_partial_workbook,
    build_result_workbook,
    write_partial_result,
    write_result,
)
from tests.builders import SHAOGUAN_ROWS, write_sheet

ROOT = Path(__file__).resolve().parents[2]
T = "2026-12-01T00:00:00Z"


def _sheet_facts(ws) -> dict[str, object]:
    return {
        "state": ws.sheet_state,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "titles": ws.print_title_rows,
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "setup": (ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.fitToWidth),
        "fit": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        "footer": ws.oddFooter.center.text,
        "charts": len(ws._charts),
    }


def _cells(ws) -> dict[str, tuple[object, ...]]:
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            out[c.coordinate] = (
                c.value,
                c.data_type,
                repr(c.font),
                repr(c.border),
                repr(c.fill),
                repr(c.alignment),
                repr(c.protection),
                c.number_format,
            )
    return out


def assert_same_workbooks(a: Path, b: Path) -> int:
    wa, wb = load_workbook(a), load_workbook(b)
    assert wa.sheetnames == wb.sheetnames
    assert wa.properties.creator == wb.properties.creator
    count = 0
    for name in wa.sheetnames:
        assert _sheet_facts(wa[name]) == _sheet_facts(wb[name]), name
        ca, cb = _cells(wa[name]), _cells(wb[name])
        assert ca.keys() == cb.keys(), name
        for key in ca:
            assert ca[key] == cb[key], (name, key)
        count += len(ca)
    assert sorted(wa.defined_names) == sorted(wb.defined_names)
    return count


def _long_sheet(path: Path, rows: int, *, broken: bool = False) -> Path:
    head = ["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"]
    out: list[list[object]] = [head]
    leaf = Decimal(100) / rows
    firsts = ["履职效能", "履职效能", *["管理效率"] * 7]
    for first, (_, second, points, *_) in zip(firsts, SHAOGUAN_ROWS[2:], strict=True):
        for i in range(int(points / leaf)):
            lost = i == 1
            score = "一分" if broken and i == 2 else str(leaf / 2 if lost else leaf)
            # Names and reasons a formula, markup or XML would misread stay text.
            name = f"{second}=SUM(A{i})" if i == 3 else f"{second}<指标>&{i} "
            out.append([first, second, name, str(leaf), score, "未完成 & <说明>" if lost else None])
    return write_sheet(path, out)


SHEETS = [
    ROOT / "sheets" / "shaoguan-2023-kexie.xlsx",
    *(
        ROOT / "tests" / "data" / "realworld" / name
        for name in (  # scored, partial (two with errors), and one scored by its own tree
            "anhui-tianchang-shuili-2022.xlsx",
            "anhui-tangxi-weituo-2022.xlsx",
            "anhui-xiaoxian-hexi-2023.xlsx",
            "sichuan-zhongjiang-shuili-2022.xlsx",
        )
    ),
]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_streamed_result_is_openpyxls_result(sheet: Path, tmp_path: Path):
    ev = score_file(sheet)
    normal, streamed = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    if ev.result is None:
        build_partial_workbook(ev, T).save(normal)
        write_partial_result(ev, streamed, T)
    else:
        build_result_workbook(ev, T).save(normal)
        write_result(ev, streamed, T)
    assert assert_same_workbooks(normal, streamed) > 20


@pytest.mark.parametrize("broken", [False, True], ids=["scored", "partial"])
def test_a_long_generated_sheet_streams_the_same_cells(tmp_path: Path, broken: bool):
    ev = score_file(_long_sheet(tmp_path / "long.xlsx", 400, broken=broken), "shaoguan-2023")
    assert (ev.result is None) == broken
    normal, streamed = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    if broken:
        build_partial_workbook(ev, T).save(normal)
        write_partial_result(ev, streamed, T)
    else:
        build_result_workbook(ev, T).save(normal)
        write_result(ev, streamed, T)
    assert assert_same_workbooks(normal, streamed) > 400 * 6


def test_streamed_text_is_never_a_formula_and_bad_characters_are_refused(tmp_path: Path):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    xlsx.stream_sheets(wb)
    ws = xlsx.new_sheet(wb, "明细")
    xlsx.text(ws, 1, 1, '=HYPERLINK("x")')
    xlsx.text(ws, 2, 1, " 前后有空格 ")
    xlsx.number(ws, 2, 2, Decimal("0.125"))
    xlsx.save(wb, tmp_path / "s.xlsx")
    back = load_workbook(tmp_path / "s.xlsx")["明细"]
    assert back["A1"].value == '=HYPERLINK("x")' and back["A1"].data_type == "s"
    assert back["A2"].value == " 前后有空格 " and back["B2"].value == 0.125
    with pytest.raises(IllegalCharacterError):
        xlsx.text(ws, 3, 1, "a\x07b")
