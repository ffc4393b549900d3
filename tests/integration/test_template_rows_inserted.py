"""Rows a department inserts in LibreOffice for its own 三级 indicators are counted.

The template is opened in LibreOffice Calc through UNO (tests/lo_edit.py, run by the system
Python that has the bridge), rows are inserted inside a block (just below the 二级 row, between
the blank rows, below the last one, above 合计), names and scores typed, the workbook
recalculated and saved. The subtotals, total and grade LibreOffice computes must equal
jixiao's, and jixiao must find the inserted rows under the right 二级.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from jixiao.write.template import write_template
from tests.conftest import convert_with_soffice
from tests.integration.test_template import GUANGZHOU, SHAOGUAN_SCORES, fill
from tests.lo_uno import edit_in_libreoffice, insert, put, uno_python

SHEET = "自评表"


@pytest.fixture(scope="module")
def uno(soffice) -> str:
    return uno_python()


def _template(tmp_path: Path, framework: str) -> tuple[Path, dict[str, int], dict[str, str]]:
    """The written template, its 二级 rows by name and its column letters by header."""
    path = tmp_path / f"{framework}.xlsx"
    write_template(load_framework(framework).framework, path)
    ws = load_workbook(path)[SHEET]
    letters = {c.value: c.column_letter for c in ws[3] if c.value}
    rows = {ws.cell(r, c).value: r for r in range(4, ws.max_row + 1) for c in (1, 2) if ws.cell(r, c).value}
    return path, rows, letters


def _row_of(ws, text: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if text in [ws.cell(r, c).value for c in (1, 2)])


def test_the_second_level_score_of_an_open_indicator_is_an_input(tmp_path):
    path, rows, col = _template(tmp_path, "shaoguan-2023")
    ws = load_workbook(path)[SHEET]
    assert list(col)[:3] == ["一级指标", "二级指标", "三级指标"]
    cell = ws[f"{col['自评得分']}{rows['整体效能']}"]
    assert cell.value is None and cell.fill.fgColor.rgb.endswith("FFF7D6")  # typed, not computed
    below = rows["整体效能"] + 1
    assert ws[f"{col['三级指标']}{below}"].fill.fgColor.rgb.endswith("FFF7D6")


def test_rows_inserted_in_libreoffice_count_in_subtotals_and_total(tmp_path, soffice, uno):
    path, rows, col = _template(tmp_path, "shaoguan-2023")
    name, points, score, reason = col["三级指标"], col["分值"], col["自评得分"], col["扣分原因"]
    top = rows["整体效能"]  # 23 分, scored by three 三级 of the department's own
    steps = [insert(SHEET, top + 1), insert(SHEET, top + 4)]  # just below its row; below its last blank row
    own = {
        top + 1: ("履职A", 8, 7.5, "部分未完成"),
        top + 2: ("履职B", 8, 8, None),
        top + 4: ("履职C", 7, 6.81, "略有延误"),
    }
    shift = 2
    typed = {
        "专项效能": 23,
        "预算编制": 5,
        "预算执行": 8,
        "信息公开": 4,
        "绩效管理": 10,
        "采购管理": 10,
        "资产管理": 9.5,
    }
    for second, value in typed.items():
        steps.append(put(SHEET, f"{score}{rows[second] + shift}", value))
    steps.append(put(SHEET, f"{reason}{rows['资产管理'] + shift}", "资产登记不全"))
    # 运行成本 (7 分) by two 三级: one in its first blank row, one in a row inserted above 合计.
    running = rows["运行成本"] + shift
    total_row = running + 3
    steps.append(insert(SHEET, total_row))
    own |= {running + 1: ("运行A", 4, 4, None), total_row: ("运行B", 3, 3, None)}
    for r, (text, p, s, why) in own.items():
        steps += [put(SHEET, f"{name}{r}", text), put(SHEET, f"{points}{r}", p), put(SHEET, f"{score}{r}", s)]
        if why:
            steps.append(put(SHEET, f"{reason}{r}", why))
    steps.append(put(SHEET, "B2", "韶关市科协"))
    out = edit_in_libreoffice(uno, soffice, path, tmp_path / "edited.xlsx", steps)

    lo = load_workbook(out, data_only=True)[SHEET]
    ev = score_file(out)
    assert ev.findings == []  # LibreOffice's cached subtotals and rates agree with jixiao's
    figure = lambda text, c: D(str(lo[f"{c}{_row_of(lo, text)}"].value))  # noqa: E731
    assert figure("履职效能", score) == ev.result.find("履职效能").score == D("45.31")
    assert figure("管理效率", score) == ev.result.find("管理效率").score == D("53.5")
    assert figure("合计", score) == ev.result.total == D("98.81")
    assert figure("整体效能", col["得分率（%）"]) == ev.result.find("履职效能", "整体效能").rate == D("97.00")
    assert lo[f"B{_row_of(lo, '等级')}"].value == ev.result.grade == "优"
    assert [(c.name, c.score) for c in ev.result.find("履职效能", "整体效能").children] == [
        ("履职A", D("7.5")),
        ("履职B", D("8")),
        ("履职C", D("6.81")),
    ]
    assert [c.name for c in ev.result.find("管理效率", "运行成本").children] == ["运行A", "运行B"]
    # Calc gave the row inserted just below 整体效能 that row's red-cell rules: they stay off.
    alarms = _alarms(soffice, out, SHEET, tmp_path)
    assert f"{points}{top + 1}" in alarms and not any(alarms.values()), alarms


def test_department_points_come_from_inserted_rows(tmp_path, soffice, uno):
    """广州: the department types its own 分值; a 二级 left blank takes the sum of its 三级."""
    path, rows, col = _template(tmp_path, "guangzhou-2021")
    name, points, score = col["三级指标"], col["分值"], col["自评得分"]
    top = rows["资金管理"]  # 12 分 in the published result: 11.45, here split over three 三级
    steps = [insert(SHEET, top + 2)]  # between the two blank rows
    shift = 1
    for second, (p, s) in GUANGZHOU.items():
        if second == "资金管理":
            continue
        r = rows[second] + (shift if rows[second] > top else 0)
        if p is not None:
            steps.append(put(SHEET, f"{points}{r}", p))
        steps.append(put(SHEET, f"{score}{r}", s))
        if p is not None and s < p:
            steps.append(put(SHEET, f"{col['扣分原因']}{r}", "示例扣分原因"))
    for r, (text, p, s) in {
        top + 1: ("资金A", 5, 4.45),
        top + 2: ("资金B", 4, 4),
        top + 3: ("资金C", 3, 3),
    }.items():
        steps += [put(SHEET, f"{name}{r}", text), put(SHEET, f"{points}{r}", p), put(SHEET, f"{score}{r}", s)]
    steps += [put(SHEET, f"{col['扣分原因']}{top + 1}", "示例扣分原因"), put(SHEET, "B2", "广州市科协")]
    out = edit_in_libreoffice(uno, soffice, path, tmp_path / "edited.xlsx", steps)

    lo = load_workbook(out, data_only=True)[SHEET]
    ev = score_file(out)
    assert ev.findings == []
    first = _row_of(lo, "管理效能")
    assert D(str(lo[f"{points}{first}"].value)) == ev.result.find("管理效能").points == D("50")
    assert D(str(lo[f"{score}{first}"].value)) == ev.result.find("管理效能").score == D("43.89")
    assert D(str(lo[f"{score}{_row_of(lo, '合计')}"].value)) == ev.result.total == D("93.89")
    assert [c.name for c in ev.result.find("管理效能", "资金管理").children] == ["资金A", "资金B", "资金C"]


def test_typed_second_level_score_beside_third_level_rows(tmp_path, soffice):
    """Typed at 二级 and filled at 三级 with a different sum: the subtotal takes the 三级 sum,
    the cell turns red (its rule is true), and jixiao reports the typed figure."""
    path, rows, col = _template(tmp_path, "shaoguan-2023")
    others = {k: (None, v) for k, v in SHAOGUAN_SCORES.items() if k != "整体效能"}
    wb = load_workbook(fill(path, others, "韶关市科协"))
    ws = wb[SHEET]
    top, s, p = rows["整体效能"], col["自评得分"], col["分值"]
    ws[f"{s}{top}"] = 22
    for r, (text, pts, value) in {top + 1: ("履职A", 13, 12.31), top + 2: ("履职B", 10, 10)}.items():
        ws[f"{col['三级指标']}{r}"], ws[f"{p}{r}"], ws[f"{s}{r}"] = text, pts, value
        ws[f"{col['扣分原因']}{r}"] = "示例" if value < pts else None
    alarm = next(
        r.formula[0] for cf in ws.conditional_formatting for r in cf.rules if str(cf.sqref) == f"{s}{top}"
    )
    ws["Z1"] = f"={alarm}"
    wb.save(tmp_path / "both.xlsx")
    (tmp_path / "lo").mkdir()
    lo = load_workbook(
        convert_with_soffice(soffice, tmp_path / "both.xlsx", "xlsx", tmp_path / "lo"), data_only=True
    )[SHEET]
    assert lo["Z1"].value is True
    assert D(str(lo[f"{s}{_row_of(lo, '履职效能')}"].value)) == D("45.31")  # 22.31 + 23
    ev = score_file(tmp_path / "both.xlsx")
    assert ev.result.find("履职效能", "整体效能").score == D("22.31")
    assert [(f.code, f.cell, f.values["found"]) for f in ev.findings] == [
        ("reported-score-mismatch", f"{s}{top}", D("22"))
    ]


def test_project_rows_inserted_in_libreoffice_count_in_the_total(tmp_path, soffice, uno):
    """项目支出: a row inserted inside 数量指标's block and one above 总分 (below the last blank
    row of 服务对象满意度指标) both count in the 总分 LibreOffice computes, as in jixiao's."""
    from tests.builders import PROJECT_ROWS

    sheet = "项目支出绩效自评表"
    path = tmp_path / "project.xlsx"
    write_template(load_framework("mof-project-2020").framework, path)
    ws = load_workbook(path)[sheet]
    starts = {ws.cell(r, 3).value: r for r in range(13, ws.max_row + 1) if ws.cell(r, 3).value}
    total_row = next(r for r in range(13, ws.max_row + 1) if ws.cell(r, 1).value == "总分")
    steps = [put(sheet, "C6", 200), put(sheet, "D6", 180), put(sheet, "E6", 171.9)]
    steps += [insert(sheet, total_row), insert(sheet, starts["数量指标"] + 1)]
    shift = lambda r: r + 1 if r > starts["数量指标"] else r  # noqa: E731
    used: dict[str, int] = {}
    for _, second, *values in PROJECT_ROWS[4:]:
        if second == "服务对象满意度指标":
            r = total_row + 1  # the row inserted above 总分, after the second insertion
        elif second == "数量指标" and used.get(second):
            r = starts[second] + 1  # the row inserted inside the block
        else:
            r = shift(starts[second] + used.get(second, 0))
        used[second] = used.get(second, 0) + 1
        for c, value in zip("DEFGHI", values, strict=True):
            if value is not None:
                steps.append(put(sheet, f"{c}{r}", value))
    out = edit_in_libreoffice(uno, soffice, path, tmp_path / "edited.xlsx", steps)

    lo = load_workbook(out, data_only=True)[sheet]
    ev = score_file(out)
    assert ev.findings == []
    new_total = next(r for r in range(13, lo.max_row + 1) if lo.cell(r, 1).value == "总分")
    assert new_total == total_row + 2
    assert D(str(lo.cell(new_total, 8).value)) == ev.result.total == D("94.46")
    assert lo.cell(new_total + 1, 1).value == "等级：优" and ev.result.grade == "优"
    assert [c.name for c in ev.result.find("满意度指标", "服务对象满意度指标").children] == ["参与群众满意度"]


def _alarms(soffice: str, path: Path, sheet: str, outdir: Path) -> dict[str, bool]:
    """Each red-cell rule of ``sheet``, on each cell it covers, evaluated by LibreOffice.

    A rule is written relative to the top-left cell of its range (a range grows when a row is
    inserted next to it), so for every other cell it is translated as Calc would apply it.
    """
    from openpyxl.formula.translate import Translator
    from openpyxl.utils.cell import range_boundaries

    wb = load_workbook(path)
    ws = wb[sheet]
    probes: list[tuple[str, str]] = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            for area in str(cf.sqref).split():
                c1, r1, c2, r2 = range_boundaries(area)
                origin = ws.cell(r1, c1).coordinate
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        here = ws.cell(r, c).coordinate
                        probes.append(
                            (here, Translator(f"={rule.formula[0]}", origin).translate_formula(here))
                        )
    spare = ws.max_column + 5
    for k, (_, formula) in enumerate(probes, start=1):
        ws.cell(k, spare).value = formula
    probe = outdir / f"probe-{path.name}"
    wb.save(probe)
    (outdir / "lo").mkdir(exist_ok=True)
    lo = load_workbook(convert_with_soffice(soffice, probe, "xlsx", outdir / "lo"), data_only=True)[sheet]
    return {where: lo.cell(k, spare).value for k, (where, _) in enumerate(probes, start=1)}


@pytest.mark.parametrize("framework", ["guangzhou-2021", "shaoguan-2023", "mof-project-2020"])
def test_blank_form_raises_no_alarm_in_libreoffice(tmp_path, soffice, framework):
    path = tmp_path / f"{framework}.xlsx"
    write_template(load_framework(framework).framework, path)
    sheet = load_workbook(path).sheetnames[0]
    alarms = _alarms(soffice, path, sheet, tmp_path)
    assert alarms and set(alarms.values()) == {False}, alarms


def test_third_level_points_that_do_not_add_up_raise_the_alarm(tmp_path, soffice):
    path, rows, col = _template(tmp_path, "shaoguan-2023")
    wb = load_workbook(path)
    ws = wb[SHEET]
    top = rows["整体效能"]
    ws[f"{col['分值']}{top + 1}"], ws[f"{col['分值']}{top + 2}"] = 13, 9  # 22, not 23
    wb.save(path)
    alarms = _alarms(soffice, path, SHEET, tmp_path)
    assert {cell for cell, on in alarms.items() if on} == {f"{col['分值']}{top}"}


@pytest.mark.parametrize("framework", ["guangzhou-2021", "shaoguan-2023"])
def test_blank_form_shows_no_subtotals(tmp_path, soffice, framework):
    """Nothing typed: the 一级 subtotals and their 得分率 stay blank (not 0.00), no grade."""
    path, _rows, col = _template(tmp_path, framework)
    (tmp_path / "lo").mkdir()
    lo = load_workbook(convert_with_soffice(soffice, path, "xlsx", tmp_path / "lo"), data_only=True)[SHEET]
    firsts = [r for r in range(4, lo.max_row + 1) if lo[f"A{r}"].value not in (None, "合计", "等级")]
    assert firsts
    for r in firsts:
        if lo[f"{col['分值']}{r}"].value is None:  # a 加减分项 row has no subtotal
            continue
        assert lo[f"{col['自评得分']}{r}"].value in (None, ""), r
        assert lo[f"{col['得分率（%）']}{r}"].value in (None, ""), r
    assert lo[f"B{_row_of(lo, '等级')}"].value == "（未填完）"


@pytest.mark.parametrize(
    "framework", ["shaoguan-2023", "guangzhou-2021", "generic-department-2020", "mof-project-2020"]
)
def test_every_formula_fits_excel(framework):
    """Excel refuses a formula longer than 8,192 characters; the growing ranges make them long."""
    from jixiao.write.template import build_template

    ws = build_template(load_framework(framework).framework).worksheets[0]
    formulas = [
        c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] == "="
    ]
    formulas += [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules]
    assert formulas and max(map(len, formulas)) < 8192
