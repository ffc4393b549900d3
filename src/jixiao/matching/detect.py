"""Pick the framework a sheet was filled in for, from its indicator names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.errors import SheetError
from jixiao.framework.load import LoadedFramework
from jixiao.read.table import SheetTable
from jixiao.values import name_key

MIN_COVERAGE = 0.6
MIN_LEAD = 0.2


@dataclass(frozen=True)
class Candidate:
    """How well a framework fits a sheet: the share of its fixed indicators the sheet names."""

    framework: LoadedFramework
    coverage: float
    year_hint: bool


def rank(table: SheetTable, frameworks: Sequence[LoadedFramework]) -> list[Candidate]:
    """Frameworks ordered by fit, best first."""
    sheet_keys = {label.key for row in table.rows for label, _ in row.labels}
    text = f"{table.title or ''} {table.path.name}"
    years = {int(y) for y in re.findall(r"(20\d\d)", text)}
    out = []
    for lf in frameworks:
        nodes = [node for _, node in lf.framework.walk()]
        hits = sum(1 for node in nodes if any(name_key(n) in sheet_keys for n in (node.name, *node.aliases)))
        coverage = hits / len(nodes) if nodes else 0.0
        out.append(Candidate(lf, coverage, lf.framework.year in years))
    out.sort(key=lambda c: (c.coverage, c.year_hint), reverse=True)
    return out


def fits(table: SheetTable, frameworks: Sequence[LoadedFramework]) -> bool:
    """Whether some framework names enough of the sheet's indicators to be chosen by detection."""
    ranked = rank(table, frameworks)
    return bool(ranked) and ranked[0].coverage >= MIN_COVERAGE


def detect(table: SheetTable, frameworks: Sequence[LoadedFramework]) -> LoadedFramework:
    """The one framework that clearly fits; SheetError listing the candidates otherwise."""
    ranked = rank(table, frameworks)
    if not ranked or ranked[0].coverage < MIN_COVERAGE:
        listing = _listing(ranked)
        raise SheetError(
            table.path,
            f"无法判断评分表对应的评价框架（没有框架的指标与表中指标足够吻合）。候选：{listing}。"
            "请用 --framework 指定。",
        )
    best = ranked[0]
    close = [c for c in ranked[1:] if best.coverage - c.coverage < MIN_LEAD]
    if close and not (best.year_hint and not any(c.year_hint for c in close)):
        raise SheetError(
            table.path,
            f"评分表可能对应多个评价框架：{_listing([best, *close])}。请用 --framework 指定。",
        )
    return best.framework


def listing(ranked: Sequence[Candidate]) -> str:
    """The best candidates with their coverage, for messages."""
    return _listing(ranked)


def _listing(ranked: Sequence[Candidate]) -> str:
    if not ranked:
        return "（没有可用的框架）"
    return "、".join(f"{c.framework.id}（吻合 {c.coverage:.0%}）" for c in ranked[:5])
