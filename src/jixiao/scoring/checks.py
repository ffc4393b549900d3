"""Compare the figures a sheet reports about itself with the calculated ones.

Published reports contain slips (韶关's 合计 row prints 得分率 100 for 98.81 points). Each
reported subtotal, rate, 合计 or grade is compared with the calculation at the precision the
sheet itself used (a rate written as "97" is compared with the rate rounded to a whole number),
and every mismatch becomes a warning with its cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from jixiao import findings as F
from jixiao.findings import Finding, Position
from jixiao.framework.models import Framework
from jixiao.matching import Reported
from jixiao.matching.sheet_tree import SHEET_FRAMEWORK_ID
from jixiao.matching.tree import NodeInput
from jixiao.read.grid import Grid, cell_ref
from jixiao.read.table import SheetCell
from jixiao.scoring.calculate import exact_score
from jixiao.scoring.result import ScoreResult
from jixiao.values import decimals_of, name_key, nfkc, plain, quantize, rate_of


def _same(reported: Decimal, exact: Decimal) -> bool:
    places = decimals_of(reported)
    if places > 12:  # e.g. a float read as 1.2345678901234567E-30: rounding there would overflow
        return exact == reported
    return quantize(exact, places) == reported


def _same_score(reported: Decimal, exact: Decimal, shown: Decimal, precision: int) -> bool:
    if reported in (shown, exact):
        return True
    return decimals_of(reported) > precision and quantize(reported, precision) == shown


def check_reported(
    framework: Framework,
    result: ScoreResult,
    inputs: Mapping[tuple[str, ...], NodeInput],
    reported: Sequence[Reported],
    grade_cell: SheetCell | None,
    sheet: str,
) -> list[Finding]:
    """Warnings for every reported figure that differs from the calculation."""
    out: list[Finding] = []
    total_exact = _total_exact(result, inputs, framework)
    for rep in reported:
        pos = Position(sheet, rep.cell.ref)
        if rep.path == ():
            if rep.kind == "points":
                if rep.value != framework.total_points:
                    out.append(
                        F.make(
                            "reported-points-mismatch",
                            position=pos,
                            path=("合计",),
                            found=rep.value,
                            expected=framework.total_points,
                            # a sheet's own tree has no framework: its total is the sum of its parts
                            basis="各一级指标分值合计" if framework.id == SHEET_FRAMEWORK_ID else "框架总分",
                        )
                    )
                continue
            exact = total_exact if rep.kind == "score" else total_exact / result.max * 100
            shown = result.total if rep.kind == "score" else result.rate
        else:
            node = inputs.get(rep.path)
            if node is None:
                continue
            score = exact_score(node)
            if rep.kind == "score":
                exact, shown = score, quantize(score, result.precision)
            else:
                rate = rate_of(score, node.points)
                if rate is None:
                    continue
                exact, shown = rate, quantize(rate, result.precision)
        # A score is compared at the framework's precision (45 is not 45.31); a rate at the
        # precision the sheet wrote it with (97 stands for 96.9956…).
        # A subtotal written unrounded (the template's own SUM cell over 22.315) is compared at
        # the framework's precision too: 45.315 shows as 45.32, as calculated.
        same = (
            _same_score(rep.value, exact, shown, result.precision)
            if rep.kind == "score"
            else _same(rep.value, exact)
        )
        if not same:
            code = "reported-score-mismatch" if rep.kind == "score" else "reported-rate-mismatch"
            out.append(
                F.make(code, position=pos, path=rep.path or ("合计",), found=rep.value, expected=plain(shown))
            )
    if grade_cell is not None and result.grade is not None:
        band = next(b for b in framework.grades if b.label == result.grade)
        said = nfkc(str(grade_cell.value)).strip().strip("“”\"'「」")
        if name_key(said) not in {name_key(x) for x in (band.label, *band.aliases)}:
            out.append(
                F.make(
                    "reported-grade-mismatch",
                    position=Position(sheet, grade_cell.ref),
                    path=("等级",),
                    found=said,
                    expected=result.grade,
                )
            )
    return out


def _total_exact(
    result: ScoreResult, inputs: Mapping[tuple[str, ...], NodeInput], framework: Framework
) -> Decimal:
    top = [inputs[(n.name,)] for n in result.indicators if (n.name,) in inputs]
    raw = sum((exact_score(n) for n in top), Decimal(0))
    return min(max(raw, Decimal(0)), framework.max_total)


# "共申请预算资金2026400元，其中村级组织运转400000元，…" — a total and its parts written in a text
# (年度总体目标's 预期目标 / 实际完成情况). The text is cut into sentences at 。 first (every pattern
# then works inside one short sentence: linear in the text). The total is the amount right after
# 共 / 合计 / 总计 with no other amount between it and 其中, in the sentence that says 其中 or the
# one before it; the parts are the amounts after 其中 up to the sentence's end, a second 其中 or a
# new total, leaving out amounts in brackets (a part's own breakdown).
_AMOUNT = r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|元)"
_GONG = r"(?:(?<!公)共(?![享建同有])|合计|总计)"  # not 公共服务, 共享, 共建, 共同, 共有
_TOTAL = re.compile(_GONG + r"[^;,，。其]{0,20}?" + _AMOUNT)
_PART = re.compile(_AMOUNT)
_NEXT_TOTAL = re.compile(_GONG + r"(?=[^;,，。]{0,10}\d)|其中")
_BRACKETED = re.compile(r"\([^()]*\)")  # NFKC folds （） to ()
_TEN_THOUSAND = Decimal(10000)
MAX_TEXT_AMOUNTS_CHARS = 2_000
"""Longer texts are not read for amounts (a 预期目标 is a few sentences)."""


def check_text_amounts(grid: Grid | None, sheet: str | None) -> list[Finding]:
    """A total written in a text cell whose listed parts (其中 …) add up to something else."""
    if grid is None:
        return []
    out: list[Finding] = []
    for r, line in enumerate(grid.rows, start=1):
        for c, value in enumerate(line, start=1):
            if not isinstance(value, str) or "其中" not in value or len(value) > MAX_TEXT_AMOUNTS_CHARS:
                continue
            if grid.merged_from.get((r, c), (r, c)) != (r, c):
                continue  # a merged text is checked at its first cell only
            found = _amounts_that_differ(nfkc(value))
            if found is not None:
                total, parts, unit = found
                out.append(
                    F.make(
                        "text-amounts-mismatch",
                        position=Position(sheet=sheet, cell=cell_ref(r, c)),
                        total=f"{_in(unit, total)}{unit}",
                        parts=" + ".join(_in(unit, x) for x in parts),
                        sum=f"{_in(unit, sum(parts, Decimal(0)))}{unit}",
                        difference=f"{_in(unit, abs(total - sum(parts, Decimal(0))))}{unit}",
                    )
                )
    return out


def _amounts_that_differ(text: str) -> tuple[Decimal, list[Decimal], str] | None:
    """The first total of ``text`` whose listed parts do not add up to it (total, parts, unit)."""
    sentences = text.split("。")
    for i, sentence in enumerate(sentences):
        at = sentence.find("其中")
        if at < 0:
            continue
        # the total stands before 其中 in this sentence, or in the one before it
        before, listed = sentence[:at], sentence[at + 2 :]
        totals = list(_TOTAL.finditer(before))
        if not totals and i > 0:
            before = sentences[i - 1]
            totals = list(_TOTAL.finditer(before))
        if not totals:
            continue
        m = totals[-1]
        if _PART.search(before[m.end() :]):
            continue  # another amount between the total and 其中: the parts are of that one
        listed = _BRACKETED.sub("", _NEXT_TOTAL.split(listed, maxsplit=1)[0])
        parts = [_yuan(a, d, u) for a, d, u in _PART.findall(listed)]
        total = _yuan(m.group(1), m.group(2), m.group(3))
        if len(parts) >= 2 and sum(parts, Decimal(0)) != total:
            return total, parts, m.group(3)
    return None


def _yuan(amount: str, decimals: str, unit: str) -> Decimal:
    value = Decimal(amount.replace(",", "") + (decimals or ""))
    return value * (_TEN_THOUSAND if unit == "万元" else 1)


def _in(unit: str, yuan: Decimal) -> str:
    return plain(yuan / _TEN_THOUSAND if unit == "万元" else yuan)
