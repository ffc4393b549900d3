""".xls reads as the same sheet saved as .xlsx: number formats, text-valued formulas, error values.

The fixtures are made honestly: openpyxl writes an .xlsx with formulas (得分率 as ``=D3/C3`` in
``0.00%`` and ``=D4/C4*100`` in ``0.00``, 扣分原因 as text-valued formulas, a score that is
``#DIV/0!``), and LibreOffice computes and saves it both as .xls (BIFF8) and as .xlsx, each
with its cached values. jixiao must then give both files the same findings and totals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.read import dispatch
from jixiao.scoring.pipeline import score_file
from tests.builders import shaoguan_sheet

REASONS = {"F10": '="资产"&"管理不规范"', "F11": '=IF(D11<C11,"运行成本超支","")'}
TOTAL_ROW = {"A12": "合计", "C12": "=SUM(C3:C11)", "D12": "=SUM(D3:D11)", "E12": "=D12/C12*100"}


def _formula_rates(path: Path, changes: dict[str, object]) -> Path:
    """The 韶关 table with 运行成本 6.5 of 7 (92.857…%), every 得分率 a formula."""
    sheet = shaoguan_sheet(path, {"D11": 6.5, "F2": "扣分原因", **REASONS, **TOTAL_ROW, **changes})
    wb = load_workbook(sheet)
    ws = wb.active
    for r in range(3, 12):
        percent = r % 2 == 1
        ws[f"E{r}"] = f"=D{r}/C{r}" if percent else f"=D{r}/C{r}*100"
        ws[f"E{r}"].number_format = "0.00%" if percent else "0.00"
    ws["E12"].number_format = "0.00"
    wb.save(sheet)
    return sheet


@pytest.fixture(scope="module")
def saved(tmp_path_factory, soffice) -> dict[str, dict[str, Path]]:
    """Each case saved by LibreOffice as .xls and as .xlsx (formulas computed and cached)."""
    from tests.conftest import convert_with_soffice

    cases = {"rates": {}, "error": {"D8": "=D7/0"}}
    out: dict[str, dict[str, Path]] = {}
    for name, changes in cases.items():
        folder = tmp_path_factory.mktemp(name)
        (folder / "src").mkdir()
        source = _formula_rates(folder / "src" / f"{name}.xlsx", changes)
        out[name] = {fmt: convert_with_soffice(soffice, source, fmt, folder / fmt) for fmt in ("xls", "xlsx")}
    return out


def _outcome(path: Path):
    ev = score_file(path, "shaoguan-2023")
    findings = [(f.code, f.position.cell) for f in ev.findings]
    reasons = {n.name: n.reason for n in ev.result.walk() if n.reason} if ev.result else {}
    return ev.total, ev.grade, findings, reasons


def test_libreoffice_kept_the_cached_values(saved):
    [grid] = dispatch.load_grids(saved["rates"]["xlsx"])
    assert grid.value(11, 5) == pytest.approx(6.5 / 7)
    assert grid.number_format(11, 5) == "0.00%"
    assert grid.value(10, 6) == "资产管理不规范"


def test_xls_keeps_number_formats_and_text_results(saved):
    [grid] = dispatch.load_grids(saved["rates"]["xls"])
    assert grid.number_format(11, 5) == "0.00%"  # =D11/C11 shows 92.86%
    assert grid.number_format(10, 5) == "0.00"  # =D10/C10*100 shows 95.00
    assert grid.number_format(12, 5) == "0.00"
    assert grid.value(10, 6) == "资产管理不规范"
    assert grid.value(11, 6) == "运行成本超支"


def test_formula_rates_give_the_same_result_as_xlsx(saved):
    xls, xlsx = _outcome(saved["rates"]["xls"]), _outcome(saved["rates"]["xlsx"])
    assert xls == xlsx
    total, grade, findings, reasons = xls
    assert (str(total), grade) == ("98.31", "优")
    assert "reported-rate-mismatch" not in [code for code, _ in findings]  # 92.86% is 92.86
    assert reasons == {"资产管理": "资产管理不规范", "运行成本": "运行成本超支"}


def test_an_error_value_is_an_error_value_in_xls_too(saved):
    xls, xlsx = _outcome(saved["error"]["xls"]), _outcome(saved["error"]["xlsx"])
    assert xls == xlsx
    assert ("cell-error-value", "D8") in xls[2]
    assert xls[0] is None  # an error stands: no total
