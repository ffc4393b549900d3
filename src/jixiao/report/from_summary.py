"""The 评价情况 section's figures read back from a summary workbook that ``jixiao batch`` wrote.

``jixiao report 汇总.xlsx`` gives the same section as ``jixiao report`` on the folder: counts by
grade (等级分布), the ranking (汇总 and, with several frameworks, each 汇总（框架） sheet's
title), the weakest indicators (指标得分率), the common deduction reasons (扣分原因, counted as
for the folder) and the files not scored (错误), read with the project's readers, every figure
as an exact Decimal. A summary written before the 扣分原因 sheet existed still gives the
section, which then says that the reasons are not in it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from jixiao.batch.run import SHEET_TREES_TITLE
from jixiao.batch.summary import RANK_COLUMN, SHEET_TREES_LABEL
from jixiao.errors import JixiaoError, SheetError
from jixiao.read.dispatch import load_grids
from jixiao.read.grid import Grid
from jixiao.read.mark import is_jixiao_output
from jixiao.report.batch_report import WEAKEST, BatchFigures, RankedUnit, WeakIndicator, common_reasons
from jixiao.values import NotANumber, as_displayed, is_blank, parse_decimal

SUMMARY_SHEETS = ("汇总", "等级分布", "指标得分率", "错误")
"""The sheets of the summary workbook (``jixiao.write.summary.SHEETS``)."""

REASONS_SHEET = "扣分原因"
"""The optional sheet of deduction reasons (``jixiao.write.summary.REASONS_SHEET``)."""
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
_KEPT = re.compile(r"^与 (.+?) 是同一单位的报送")


def is_summary_workbook(path: Path) -> bool:
    """True when ``path`` is a summary workbook jixiao wrote (even one with a sheet missing)."""
    if not path.is_file() or not is_jixiao_output(path):
        return False
    from jixiao.read import ooxml

    try:
        names = set(ooxml.open_cached(path).sheet_names)
    except (OSError, SheetError):
        return False
    if names & {"总表", "明细", "复核对比"}:
        return False  # a result or review workbook
    return bool(names & set(SUMMARY_SHEETS))


def _header(grid: Grid, first: str, path: Path) -> tuple[int, dict[str, int]]:
    for r in range(1, grid.max_row + 1):
        if grid.value(r, 1) == first:
            cols = {str(grid.value(r, c)): c for c in range(1, grid.max_col + 1) if grid.value(r, c)}
            return r, cols
    raise SheetError(path, f"“{grid.sheet}”工作表中找不到表头“{first}”，不是 jixiao batch 写出的汇总工作簿")


def _need(cols: dict[str, int], names: tuple[str, ...], grid: Grid, path: Path) -> None:
    missing = [n for n in names if n not in cols]
    if missing:
        raise SheetError(
            path, f"“{grid.sheet}”工作表缺少“{'”“'.join(missing)}”列，请重新运行 jixiao batch 生成汇总工作簿"
        )


def _number(grid: Grid, row: int, col: int, path: Path) -> Decimal | None:
    value = grid.value(row, col)
    if is_blank(value):
        return None
    try:
        number = parse_decimal(value)
    except NotANumber as e:
        cell = f"{_letter(col)}{row}"
        raise SheetError(path, f"“{grid.sheet}”工作表 {cell} 单元格“{value}”{e}") from None
    fmt = grid.number_formats.get((row, col))
    return as_displayed(number, fmt) if fmt else number


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _rows(grid: Grid, header: int) -> list[int]:
    return [
        r
        for r in range(header + 1, grid.max_row + 1)
        if any(not is_blank(grid.value(r, c)) for c in range(1, grid.max_col + 1))
    ]


def _framework(fid: str) -> tuple[str, str]:
    """(title, kind) of a framework by id; the id itself when it cannot be loaded here."""
    from jixiao.framework.load import load_framework

    if fid == SHEET_TREES_LABEL:
        return SHEET_TREES_TITLE, ""  # sheets scored by their own trees: one group, no file
    try:
        fw = load_framework(fid).framework
    except (JixiaoError, OSError):
        return fid, ""
    return fw.title, fw.kind


def summary_figures(path: Path) -> BatchFigures:
    """The section's figures from a summary workbook; a Chinese SheetError when it is not whole."""
    grids = {g.sheet: g for g in load_grids(path)}
    missing = [s for s in SUMMARY_SHEETS if s not in grids]
    if missing:
        raise SheetError(
            path,
            f"汇总工作簿缺少“{'”“'.join(missing)}”工作表，无法生成评价情况报告"
            "（请重新运行 jixiao batch 生成汇总工作簿，或对评分表所在的文件夹运行 jixiao report）",
        )

    main = grids["汇总"]
    header, cols = _header(main, "单位名称", path)
    _need(cols, ("单位名称", "文件", "评价框架", "总分", "等级", RANK_COLUMN), main, path)
    units: list[tuple[str, RankedUnit, str]] = []  # (framework id, row, file)
    for r in _rows(main, header):
        fid = str(main.value(r, cols["评价框架"]) or "")
        file = str(main.value(r, cols["文件"]) or "")
        rank = _number(main, r, cols[RANK_COLUMN], path)
        name = main.value(r, cols["单位名称"])
        unit = str(name) if not is_blank(name) else Path(file.replace("\\", "/")).stem
        grade = main.value(r, cols["等级"])
        total = _number(main, r, cols["总分"], path)
        rate = _number(main, r, cols["得分率（%）"], path) if "得分率（%）" in cols else None
        ranked = RankedUnit(int(rank or 0), unit, total, str(grade) if grade else None, rate)
        units.append((fid, ranked, file))
    frameworks = list(dict.fromkeys(fid for fid, _, _ in units))
    # With several frameworks each has its sheet, in the same order, titled "框架名称：N 个单位".
    sheet_titles = [
        str(g.value(1, 1) or "").rsplit("：", 1)[0] for name, g in grids.items() if name.startswith("汇总（")
    ]
    titles = (
        sheet_titles if len(sheet_titles) == len(frameworks) > 1 else [_framework(f)[0] for f in frameworks]
    )
    rankings = []
    for fid, title in zip(frameworks, titles, strict=True):
        same = sorted(((u, file) for f, u, file in units if f == fid), key=lambda x: (x[0].rank, x[1]))
        rankings.append((title or fid, [u for u, _ in same]))

    grades_grid = grids["等级分布"]
    header, cols = _header(grades_grid, "等级", path)
    _need(cols, ("等级", "单位数"), grades_grid, path)
    kinds = [(name[: -len("：单位数")], c) for name, c in cols.items() if name.endswith("：单位数")]
    if not kinds:
        # one kind: the 汇总 title says it ("项目支出绩效自评汇总"), also for sheets scored by their
        # own trees, whose framework cannot be loaded by id
        heading = str(main.value(1, 1) or "")
        stated = heading.removesuffix("绩效自评汇总") if heading.endswith("绩效自评汇总") else ""
        kind = stated or (_framework(frameworks[0])[1] if frameworks else "")
        kinds = [(kind, cols["单位数"])]
    rows = [r for r in _rows(grades_grid, header) if grades_grid.value(r, 1) != "合计"]
    grades: list[tuple[str, list[tuple[str, int]]]] = []
    for kind, c in kinds:
        counts = [(str(grades_grid.value(r, 1)), int(_number(grades_grid, r, c, path) or 0)) for r in rows]
        grades.append(("" if kind == "未注明" else kind, counts))

    ind = grids["指标得分率"]
    header, cols = _header(ind, "评价框架", path)
    _need(cols, ("单位数", "平均得分率（%）", "最低得分率（%）"), ind, path)
    levels = [cols[n] for n in LEVEL_NAMES if n in cols]
    weakest = []
    for r in _rows(ind, header)[:WEAKEST]:
        names = tuple(str(ind.value(r, c)) for c in levels if not is_blank(ind.value(r, c)))
        count = _number(ind, r, cols["单位数"], path)
        average = _number(ind, r, cols["平均得分率（%）"], path)
        minimum = _number(ind, r, cols["最低得分率（%）"], path)
        weakest.append(WeakIndicator(names, int(count or 0), average, minimum))

    errors = grids["错误"]
    header, cols = _header(errors, "文件", path)
    _need(cols, ("文件", "级别", "说明"), errors, path)
    failed: set[str] = set()
    skipped = older = 0
    kept: set[str] = set()
    all_counted = False
    for r in _rows(errors, header):
        level = errors.value(r, cols["级别"])
        file = str(errors.value(r, cols["文件"]) or "")
        if level == "错误":
            failed.add(file)
        elif level == "跳过":
            skipped += 1
        elif level == "重复报送":
            older += 1
            note = str(errors.value(r, cols["说明"]) or "")
            found = _KEPT.match(note)
            kept.add(found.group(1) if found else file)
            all_counted = all_counted or "两份都计入" in note
    reasons = None
    if REASONS_SHEET in grids:
        sheet = grids[REASONS_SHEET]
        header, cols = _header(sheet, "单位名称", path)
        _need(cols, ("扣分原因",), sheet, path)
        texts = (sheet.value(r, cols["扣分原因"]) for r in _rows(sheet, header))
        reasons = common_reasons(str(t) for t in texts if not is_blank(t))
    scored = len(units) + (0 if all_counted else older)
    return BatchFigures(
        total_files=scored + len(failed) + skipped,
        scored=scored,
        failed=len(failed),
        resubmitted_units=0 if all_counted else len(kept),
        counted=len(units),
        grades=grades,
        rankings=rankings,
        weakest=weakest,
        reasons=reasons,
    )
