"""Terminal rendering of a review: the totals side by side, the changed indicators, findings."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.cli._text import markup as escape  # no markup, no raw control characters
from jixiao.cli._text import shown
from jixiao.reviewing.data import finding_dict
from jixiao.reviewing.pipeline import Review


def _num(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"+{value:f}" if value > 0 else format(value, "f")


def render_review(review: Review, console: Console) -> None:
    """Print the totals under self, review and final, the changed indicators and the findings."""
    fw = review.framework.framework
    how = "自动识别" if review.self_ev.framework_detected else "指定"
    files = review.self_ev.source.path.name
    if review.two_files:
        files += f" ↔ {review.review_source.path.name}"
    console.print(f"[bold]复核：{escape(files)}[/]  评价框架：{escape(fw.title)}（{escape(fw.id)}，{how}）")
    c = review.comparison
    if c is None:
        console.print("[bold red]自评表有错误，未进行复核比较。[/]")
    else:
        totals = Table(header_style="bold", title="合计", title_justify="left")
        for title in ("", "合计", "得分率（%）", "等级"):
            totals.add_column(title, justify="left" if not title else "right")
        for label, result in (("自评", c.self_result), ("复核", c.review_result), ("最终", c.final_result)):
            if result is None:
                totals.add_row(label, "未计算", "—", "—")
            else:
                totals.add_row(label, _num(result.total), _num(result.rate), result.grade or "—")
        console.print(totals)
        if c.final_result is None:
            console.print("[bold red]复核有错误或未填写的指标，未计算最终得分。[/]")
        elif c.grade_changed:
            console.print(f"[bold red]等级变化：{c.self_result.grade} → {c.final_result.grade}[/]")
        else:
            console.print(f"等级未变化：{c.self_result.grade or '—'}")
        if c.differences:
            table = Table(
                header_style="bold",
                title=f"得分有变化的指标（{len(c.differences)} 项）",
                title_justify="left",
            )
            for title in ("指标", "分值", "自评得分", "复核得分", "差额", "复核意见"):
                table.add_column(
                    title, justify="right" if title in ("分值", "自评得分", "复核得分", "差额") else "left"
                )
            for d in c.differences:
                name = " / ".join(d.path) + ("（财政赋分）" if d.finance else "")
                style = "red" if d.delta is not None and d.delta < 0 else "green"
                table.add_row(
                    Text(shown(name)),
                    _num(d.points),
                    _num(d.self_score),
                    _num(d.final_score),
                    Text(_signed(d.delta), style=style),
                    Text(shown(d.review_reason or "")),
                )
            console.print(table)
        elif c.final_result is not None:
            console.print("复核得分与自评得分完全一致。")
    if not review.findings:
        console.print("[green]未发现问题。[/]")
        return
    from jixiao.cli.render import print_finding_lines

    lines = []
    for item in review.findings:
        data = finding_dict(review, item)
        where = " ".join(x for x in (data["file"], data["cell"]) if x)
        lines.append((item.finding, where, " / ".join(data["path"])))
    print_finding_lines(console, lines)
