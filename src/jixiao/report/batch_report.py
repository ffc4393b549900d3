"""The bureau's 复核/评价情况 section from a batch: grades, ranking, weakest indicators, reasons.

What a finance bureau circulates after scoring every department's self-evaluation: how many
units in each grade (per kind of framework), the ranking within each framework, the indicators
where units lose most, the deduction reasons written most often, and a chart of the weakest
indicators. Built from a :class:`~jixiao.batch.summary.BatchSummary` (the files that count:
a resubmitted unit's newest file only).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from jixiao.batch.summary import BatchSummary
from jixiao.report.model import Block, Cell, Document, Figure, Fonts, Heading, Paragraph, Table
from jixiao.values import plain, quantize

WEAKEST = 10
REASONS = 10


def _share(n: int, total: int) -> str:
    return plain(quantize(Decimal(n) * 100 / total, 2)) if total else "0"


def _reason_key(text: str) -> str:
    return re.sub(r"[\s，,。；;：:、]+", "", text)


def build_batch_report(summary: BatchSummary, fonts: Fonts | None = None, *, chart: bool = True) -> Document:
    """The 评价情况 section of a batch, as a neutral document."""
    counted = summary.counted
    blocks: list[Block] = []
    total_files = len(summary.scored) + len(summary.failed) + len(summary.skipped)
    intro = f"本次共收到 {total_files} 个文件，评分 {len(summary.scored)} 个"
    if summary.failed:
        intro += f"，{len(summary.failed)} 个未能评分（评分表有错误或文件无法读取）"
    resubmitted = summary.resubmissions()
    if resubmitted and not summary.count_resubmissions:
        intro += f"；{len(resubmitted)} 个单位重复报送，只计最新的一份"
    intro += f"；计入统计的单位共 {len(counted)} 个。"
    blocks.append(Heading("一、评价情况"))
    blocks.append(Paragraph(intro, role="total"))
    for kind, grades in summary.grade_counts_by_kind():
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
    ranks = summary.ranks()
    for fid in summary.frameworks:
        same = sorted(
            (o for o in counted if (o.framework_id or "") == fid), key=lambda o: (ranks[id(o)], str(o.path))
        )
        title = (same[0].framework_title if same else None) or fid
        ranking: tuple[tuple[Cell, ...], ...] = tuple(
            (
                Cell(str(ranks[id(o)]), "number"),
                Cell(o.unit or o.file_stem),
                Cell(format(o.total, "f") if o.total is not None else "—", "number"),
                Cell(o.grade or "—", "label"),
            )
            for o in same
        )
        blocks.append(Paragraph(f"按{title}评分的 {len(same)} 个单位得分排名如下：", role="ranking"))
        blocks.append(
            Table(f"{title}得分排名", ("排名", "单位", "总分", "等级"), ranking, (1, 5, 1.5, 1.2), "ranking")
        )

    weakest = summary.indicator_rows()[:WEAKEST]
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
    counter: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for o in counted:
        for _, reason in o.reasons:
            key = _reason_key(reason)
            if key:
                counter[key] += 1
                shown.setdefault(key, reason)
    if counter:
        common: tuple[tuple[Cell, ...], ...] = tuple(
            (Cell(shown[k]), Cell(str(n), "number")) for k, n in counter.most_common(REASONS)
        )
        blocks.append(Paragraph("各单位填写的扣分原因中出现较多的如下：", role="reasons"))
        blocks.append(Table("常见扣分原因", ("扣分原因", "出现次数"), common, (6, 1.5), "reasons"))
    else:
        blocks.append(Paragraph("各单位的评分表中没有填写扣分原因。", role="reasons"))
    return Document(title="部门绩效自评复核情况", blocks=tuple(blocks), fonts=fonts or Fonts())
