"""The writers' shortcuts (style arrays reused, borders of merged cells memoised) change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from jixiao.write import xlsx


def _fill(ws, *, cached: bool) -> None:
    write_text = xlsx.text
    for r in range(1, 30):
        write_text(ws, r, 1, f"名称{r % 3}", bold=r % 2 == 0, fill=xlsx.TOTAL_FILL if r % 5 == 0 else None)
        write_text(ws, r, 2, None, border=r % 4 != 0)
        xlsx.number(ws, r, 3, Decimal(r) / 7, xlsx.POINTS_FORMAT if r % 3 else xlsx.SCORE_FORMAT)
        if not cached:
            xlsx._STYLES.pop(ws.parent, None)  # as if every cell were the first of its kind


def _styles(wb):
    ws = wb.active
    return (
        [
            (c.coordinate, tuple(c._style) if c._style is not None else None)
            for row in ws.iter_rows()
            for c in row
        ],
        list(wb._fonts),
        list(wb._borders),
        list(wb._alignments),
        list(wb._fills),
        list(wb._number_formats),
        sorted(str(r) for r in ws.merged_cells.ranges),
    )


def test_reused_style_arrays_are_those_computed_afresh():
    a, b = Workbook(), Workbook()
    _fill(a.active, cached=True)
    _fill(b.active, cached=False)
    assert _styles(a) == _styles(b)


@pytest.mark.parametrize("box", [(2, 1, 25, 1), (3, 1, 3, 3), (5, 2, 9, 3), (1, 1, 29, 2)])
def test_merge_is_merge_cells(box):
    a, b = Workbook(), Workbook()
    _fill(a.active, cached=True)
    _fill(b.active, cached=True)
    r1, c1, r2, c2 = box
    xlsx.merge(a.active, r1, c1, r2, c2)
    b.active.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    assert _styles(a) == _styles(b)
    assert type(a.active.cell(r2, c2)).__name__ == "MergedCell"


def test_many_merges_in_one_workbook_are_merge_cells():
    boxes = [(2, 1, 9, 1), (10, 1, 20, 1), (2, 2, 3, 3), (21, 2, 29, 3), (4, 2, 4, 3)]
    a, b = Workbook(), Workbook()
    _fill(a.active, cached=True)
    _fill(b.active, cached=True)
    for r1, c1, r2, c2 in boxes:
        xlsx.merge(a.active, r1, c1, r2, c2)
        b.active.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    assert _styles(a) == _styles(b)
