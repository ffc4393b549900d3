"""Terminal rendering with rich: the tree with 分值, 得分, 得分率, the total, grade and findings."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao import findings as F
from jixiao.cli._text import markup as escape  # no markup, no raw control characters
from jixiao.cli._text import shown
from jixiao.findings import Finding
from jixiao.scoring.evaluation import Evaluation, indicator_rows
from jixiao.values import plain

SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow")}


def _num(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def _points(value: Decimal | None) -> str:
    return "—" if value is None else plain(value)


def render_evaluation(ev: Evaluation, console: Console) -> None:
    """Print the scored tree (or why it could not be scored) and the findings."""
    fw = ev.framework.framework
    how = "自动识别" if ev.framework_detected else "指定"
    where = f"[bold]{escape(ev.source.path.name)}[/]（工作表“{escape(ev.source.sheet)}”）"
    if ev.sheet_tree is not None:
        console.print(f"{where}  指标体系：取自评分表本身（未使用框架文件）")
        for note in ev.sheet_tree.notes:
            if note.startswith("指标体系取自评分表本身"):
                continue  # said on the line above
            console.print(f"[dim]· {escape(note)}[/]", highlight=False)
        console.print(
            f"[dim]· 保存为框架文件以便复用和复核：{escape(ev.sheet_tree.save_command)}[/]", highlight=False
        )
    else:
        console.print(f"{where}  评价框架：{escape(fw.title)}（{escape(fw.id)}，{how}）")
    r = ev.result
    if r is not None:
        table = Table(show_lines=False, header_style="bold", title_justify="left")
        # Folded, never cut: a long name keeps every character on a narrow terminal.
        table.add_column("指标", overflow="fold", min_width=8)
        table.add_column("分值", justify="right")
        table.add_column("自评得分", justify="right")
        table.add_column("得分率（%）", justify="right")
        explained = any(n.explanation for n in r.walk())
        listed = explained and console.width < 120  # too narrow: list them below the table
        explained = explained and not listed
        if explained:
            table.add_column("计分说明", min_width=24, overflow="fold")
        for node in r.walk():
            name = Text("  " * (node.level - 1) + node.name)
            if not node.is_leaf:
                name.stylize("bold")
            if node.from_sheet:
                name.append(" *", style="dim")
            style = "red" if node.points is not None and node.score < node.points else None
            cells: list[Text | str] = [
                name,
                _points(node.points),
                Text(_num(node.score), style=style or ""),
                _num(node.rate),
            ]
            if explained:
                cells.append(Text(node.explanation or "", style="dim"))
            table.add_row(*cells)
        table.add_section()
        table.add_row(
            Text("合计", style="bold"), _points(r.max), Text(_num(r.total), style="bold"), _num(r.rate)
        )
        console.print(table)
        if listed:
            console.print("[bold]计分说明[/]")
            for node in r.walk():
                if node.explanation:
                    console.print(f"  {escape(node.name)}：{escape(node.explanation)}", highlight=False)
        console.print(f"[bold]总分 {_num(r.total)}，得分率 {_num(r.rate)}%，等级：{r.grade or '—'}[/]")
        if any(n.from_sheet for n in r.walk()):
            console.print("[dim]* 由本表定义的指标（分值取自评分表）[/]")
    elif ev.partial is not None and ev.partial.nodes:
        console.print("[bold red]评分表有错误，未计算总分和等级。[/]下列为输入完整的小计（部分结果）：")
        table = Table(show_lines=False, header_style="bold", title_justify="left")
        table.add_column("指标", no_wrap=True)
        table.add_column("分值", justify="right")
        table.add_column("自评得分", justify="right")
        table.add_column("得分率（%）", justify="right")
        table.add_column("状态")
        for row in indicator_rows(ev):
            level = len(row["path"])
            name = Text("  " * (level - 1) + row["path"][-1])
            done = row["complete"]
            table.add_row(
                name,
                _points(row["max"]),
                _num(row["score"]) if done else "—",
                _num(row["rate"]) if done else "—",
                Text("完整", style="green") if done else Text("未评分（有错误）", style="red"),
            )
        table.add_section()
        table.add_row(
            Text("合计", style="bold"), _points(fw.total_points), "—", "—", Text("未评分", style="red")
        )
        console.print(table)
    else:
        console.print("[bold red]评分表有错误，未计算得分。[/]")
    render_findings(ev.findings, console, several=ev.source.several_sheets)


SHOWN_PER_KIND = 5
"""Findings of one kind (code) printed on the terminal before "另有 N 条同类问题"."""


def render_findings(items: list[Finding], console: Console, several: bool = False) -> None:
    """The findings as lines, errors first, grouped by kind; nothing more when there are none.

    Lines rather than a table: a table cuts or drops characters of long Chinese messages at 80
    columns, a line wraps whole. A kind repeated many times shows its first few, then how many
    more; ``--json`` and the workbook of ``-o`` carry every one.
    """
    if not items:
        console.print("[green]未发现问题。[/]")
        return
    lines = [(f, f.position.label(several) or "", " / ".join(f.path)) for f in items]
    print_finding_lines(console, lines)


def print_finding_lines(console: Console, lines: list[tuple[Finding, str, str]]) -> None:
    """Print (finding, where, indicator) lines grouped by code: errors first, then warnings."""
    errors = sum(1 for f, _, _ in lines if f.is_error)
    count = f"发现 {len(lines)} 个问题" + (
        f"（错误 {errors} 个，警告 {len(lines) - errors} 个）" if errors else ""
    )
    console.print(Text(count, style="bold"))
    groups: dict[str, list[tuple[Finding, str, str]]] = {}
    for line in sorted(lines, key=lambda x: not x[0].is_error):
        groups.setdefault(line[0].code, []).append(line)
    hidden = 0
    for group in groups.values():
        for f, where, path in group[:SHOWN_PER_KIND]:
            label, style = SEVERITY[str(f.severity)]
            text = Text(f"{label} ", style=style)
            if where:
                text.append(shown(f"{where} "), style="bold")
            text.append(shown(f"{path}：") if path else "")
            text.append(shown(f.message))
            text.append(f"  [{f.code}]", style="dim")
            console.print(text, highlight=False)
        rest = len(group) - SHOWN_PER_KIND
        if rest > 0:
            hidden += rest
            title = F.CATALOGUE[group[0][0].code].title if group[0][0].code in F.CATALOGUE else ""
            console.print(Text(f"  …… 另有 {rest} 条同类问题（{title or group[0][0].code}）", style="dim"))
    if hidden:
        console.print(Text("完整列表：加 --json，或用 -o 写出工作簿（“问题”工作表）。", style="dim"))
