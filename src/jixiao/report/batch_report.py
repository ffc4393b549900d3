"""The bureau's 复核/评价情况 section from a batch: grades, ranking, weakest indicators, reasons.

What a finance bureau circulates after scoring every department's self-evaluation: how many
units in each grade (per kind of framework), the ranking within each framework, the indicators
where units lose most, the deduction reasons written most often, and a chart of the weakest
indicators. Built from a :class:`~jixiao.batch.summary.BatchSummary` (the files that count:
a resubmitted unit's newest file only), or from the figures of a summary workbook that
``jixiao batch`` wrote (:mod:`jixiao.report.from_summary`), through the same
:class:`BatchFigures`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.batch.summary import BatchSummary
from jixiao.report.model import Block, Cell, Document, Figure, Fonts, Heading, Paragraph, Table
from jixiao.values import plain, quantize

WEAKEST = 10
REASONS = 10


@dataclass(frozen=True)
class RankedUnit:
    """One row of a ranking table."""

    rank: int
    unit: str
    total: Decimal | None
    grade: str | None
    rate: Decimal | None = None  # 得分率: what ranks the sheets scored by their own trees


@dataclass(frozen=True)
class WeakIndicator:
    """One row of the weakest-indicators table (rates in %, exact)."""

    path: tuple[str, ...]
    count: int
    average: Decimal | None
    minimum: Decimal | None


@dataclass(frozen=True)
class BatchFigures:
    """Every figure the 评价情况 section prints, wherever it was read from.

    ``reasons`` is None when the source does not hold the deduction reasons (a summary
    workbook written before it had a 扣分原因 sheet); the section then says so instead of
    claiming there were none.
    """

    total_files: int
    scored: int
    failed: int
    resubmitted_units: int  # counted only when older files were left out
    counted: int
    grades: list[tuple[str, list[tuple[str, int]]]]  # (kind, [(grade, count)]) per kind
    rankings: list[tuple[str, list[RankedUnit]]]  # (framework title, rows) per framework
    weakest: list[WeakIndicator]
    reasons: list[tuple[str, int]] | None = field(default=None)


def _share(n: int, total: int) -> str:
    return plain(quantize(Decimal(n) * 100 / total, 2)) if total else "0"


def _reason_key(text: str) -> str:
    return re.sub(r"[\s，,。；;：:、]+", "", text)


def common_reasons(reasons: Iterable[str]) -> list[tuple[str, int]]:
    """The reasons written most often, as first written, with their counts (punctuation and
    spaces do not make two reasons different); ties keep the order of first appearance."""
    counter: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for reason in reasons:
        key = _reason_key(reason)
        if key:
            counter[key] += 1
            shown.setdefault(key, reason)
    return [(shown[k], n) for k, n in counter.most_common(REASONS)]


def batch_figures(summary: BatchSummary) -> BatchFigures:
    """The section's figures from a batch scored in this run."""
    counted = summary.counted
    ranks = summary.ranks()
    rankings: list[tuple[str, list[RankedUnit]]] = []
    for fid in summary.frameworks:
        same = sorted(
            (o for o in counted if (o.framework_id or "") == fid), key=lambda o: (ranks[id(o)], str(o.path))
        )
        title = (same[0].framework_title if same else None) or fid
        rows = [RankedUnit(ranks[id(o)], o.unit or o.file_stem, o.total, o.grade, o.rate) for o in same]
        rankings.append((title, rows))
    weakest = [
        WeakIndicator(s.path, s.count, s.average, s.minimum) for s in summary.indicator_rows()[:WEAKEST]
    ]
    resubmitted = summary.resubmissions()
    return BatchFigures(
        total_files=len(summary.scored) + len(summary.failed) + len(summary.skipped),
        scored=len(summary.scored),
        failed=len(summary.failed),
        resubmitted_units=0 if summary.count_resubmissions else len(resubmitted),
        counted=len(counted),
        grades=summary.grade_counts_by_kind(),
        rankings=rankings,
        weakest=weakest,
        reasons=common_reasons(reason for o in counted for _, reason in o.reasons),
    )


def build_batch_report(summary: BatchSummary, fonts: Fonts | None = None, *, chart: bool = True) -> Document:
    """The 评价情况 section of a batch, as a neutral document."""
    return build_figures_report(batch_figures(summary), fonts, chart=chart)


def build_figures_report(f: BatchFigures, fonts: Fonts | None = None, *, chart: bool = True) -> Document:
    """The 评价情况 section from its figures, as a neutral document."""
    blocks: list[Block] = []
    intro = f"本次共收到 {f.total_files} 个文件，评分 {f.scored} 个"
    if f.failed:
        intro += f"，{f.failed} 个未能评分（评分表有错误或文件无法读取）"
    if f.resubmitted_units:
        intro += f"；{f.resubmitted_units} 个单位重复报送，只计最新的一份"
    intro += f"；计入统计的单位共 {f.counted} 个。"
    blocks.append(Heading("一、评价情况"))
    blocks.append(Paragraph(intro, role="total"))
    for kind, grades in f.grades:
        size = sum(n for _, n in grades)
        parts = "，".join(f"“{label}” {n} 个（{_share(n, size)}%）" for label, n in grades if n)
        what = kind or "评价"
        blocks.append(Paragraph(f"{what}共 {size} 个单位，其中{parts}。", role="grades"))
        rows = tuple(
            (Cell(label, "label"), Cell(str(n), "number"), Cell(_share(n, size), "number"))
            for label, n in grades
        )
        rows += ((Cell("合计", "label", bold=True), Cell(str(size), "number"), Cell("100", "number")),)
        blocks.append(
            Table(f"{what}等级分布", ("等级", "单位数", "占比（%）"), rows, (2, 1.5, 1.5), "grades")
        )

    blocks.append(Heading("二、得分排名"))
    for title, units in f.rankings:
        ranking: tuple[tuple[Cell, ...], ...] = tuple(
            (
                Cell(str(u.rank), "number"),
                Cell(u.unit),
                Cell(format(u.total, "f") if u.total is not None else "—", "number"),
                Cell(format(u.rate, "f") if u.rate is not None else "—", "number"),
                Cell(u.grade or "—", "label"),
            )
            for u in units
        )
        blocks.append(Paragraph(f"按{title}评分的 {len(units)} 个单位得分排名如下：", role="ranking"))
        header = ("排名", "单位", "总分", "得分率（%）", "等级")
        blocks.append(Table(f"{title}得分排名", header, ranking, (1, 4.5, 1.3, 1.5, 1.1), "ranking"))

    weakest = f.weakest
    blocks.append(Heading("三、失分较多的指标"))
    if weakest:
        names = "、".join(f"“{' / '.join(s.path)}”" for s in weakest[:3])
        blocks.append(Paragraph(f"各单位平均得分率最低的指标依次为{names}，详见下表。", role="weakest"))
        weak: tuple[tuple[Cell, ...], ...] = tuple(
            (
                Cell(" / ".join(s.path)),
                Cell(str(s.count), "number"),
                Cell(plain(quantize(s.average, 2)) if s.average is not None else "—", "number"),
                Cell(plain(s.minimum) if s.minimum is not None else "—", "number"),
            )
            for s in weakest
        )
        blocks.append(
            Table(
                "平均得分率最低的指标",
                ("指标", "单位数", "平均得分率（%）", "最低得分率（%）"),
                weak,
                (5, 1.2, 2, 2),
                "weakest",
            )
        )
        if chart:
            from jixiao.report.charts import RateItem, rate_chart

            items = [RateItem(s.path[-1], quantize(s.average, 2)) for s in weakest if s.average is not None]
            png = rate_chart(items, "bar")
            if png is not None:
                blocks.append(
                    Figure(
                        png,
                        "平均得分率最低的指标（%）",
                        "平均得分率最低的指标的柱形图："
                        + "；".join(f"{i.name} {plain(i.rate)}%" for i in items),
                    )
                )
    else:
        blocks.append(Paragraph("没有可统计的指标得分。"))

    blocks.append(Heading("四、常见扣分原因"))
    if f.reasons is None:
        blocks.append(
            Paragraph(
                "该汇总工作簿没有“扣分原因”工作表（由较早版本的 jixiao 生成），无法统计各单位填写的扣分原因；"
                "请重新运行 jixiao batch 生成汇总工作簿，或对评分表所在的文件夹运行 jixiao report。",
                role="reasons",
            )
        )
    elif f.reasons:
        common: tuple[tuple[Cell, ...], ...] = tuple(
            (Cell(text), Cell(str(n), "number")) for text, n in f.reasons
        )
        blocks.append(Paragraph("各单位填写的扣分原因中出现较多的如下：", role="reasons"))
        blocks.append(Table("常见扣分原因", ("扣分原因", "出现次数"), common, (6, 1.5), "reasons"))
    else:
        blocks.append(Paragraph("各单位的评分表中没有填写扣分原因。", role="reasons"))
    return Document(title="部门绩效自评复核情况", blocks=tuple(blocks), fonts=fonts or Fonts())
