"""Terminal rendering with rich: the tree with 分值, 得分, 得分率, the total, grade and findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao import findings as F
from jixiao.cli._text import markup as escape  # no markup, no raw control characters
from jixiao.cli._text import shown
from jixiao.findings import Finding
from jixiao.scoring.evaluation import Evaluation, indicator_rows
from jixiao.scoring.result import NodeResult
from jixiao.values import plain

SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow")}


def _num(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def _points(value: Decimal | None) -> str:
    return "—" if value is None else plain(value)


LONG_TREE = 300
"""A tree of more rows than this is trimmed on the terminal (``--json`` and ``-o`` keep all)."""
SHOWN_LEAVES = 5
"""In a trimmed tree: the leaves listed under each indicator before "…… 另有 N 个"."""
MAX_SHOWN = 400
"""In a trimmed tree: rows listed at most, whatever the shape (100,000 二级 under one 一级)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Hidden:
    """Leaves left out of the terminal's table under one indicator: how many, how many lost points."""

    level: int
    count: int
    lost: int


def trimmed(
    items: Iterable[T],
    path: Callable[[T], tuple[str, ...]],
    leaf: Callable[[T], bool],
    lost: Callable[[T], bool],
) -> Iterator[T | Hidden]:
    """``items`` (depth first) with the leaves past the first :data:`SHOWN_LEAVES` under each
    indicator folded into :class:`Hidden` rows, except leaves that lost points; rows past
    :data:`MAX_SHOWN` folded into a last one.

    Only the terminal is trimmed: every indicator is in ``--json`` and in ``-o``'s 明细 sheet.
    """
    shown_under: dict[tuple[str, ...], int] = {}
    pending: tuple[tuple[str, ...], int, int] | None = None  # parent, count, lost
    rows = 0
    rest = rest_lost = 0
    for item in items:
        p = path(item)
        parent = p[:-1]
        if rows >= MAX_SHOWN:
            rest += 1
            rest_lost += leaf(item) and lost(item)
            continue
        if leaf(item):
            seen = shown_under.get(parent, 0)
            if seen >= SHOWN_LEAVES and not lost(item):
                if pending is not None and pending[0] != parent:
                    yield Hidden(len(pending[0]) + 1, pending[1], pending[2])
                    rows += 1
                    pending = None
                count, gone = (pending[1], pending[2]) if pending else (0, 0)
                pending = (parent, count + 1, gone + lost(item))
                continue
            shown_under[parent] = seen + 1
        if pending is not None:
            yield Hidden(len(pending[0]) + 1, pending[1], pending[2])
            rows += 1
            pending = None
        yield item
        rows += 1
    if pending is not None:
        yield Hidden(len(pending[0]) + 1, pending[1], pending[2])
    if rest:
        yield Hidden(1, rest, rest_lost)


def _trim_result(nodes: list[NodeResult]) -> Iterator[NodeResult | Hidden]:
    def lost(n: NodeResult) -> bool:
        return n.points is not None and n.score < n.points

    return trimmed(nodes, lambda n: n.path, lambda n: n.is_leaf, lost)


def _trim_rows(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any] | Hidden]:
    # A leaf here is a row no other row lies under (partial results keep whole subtrees).
    parents = {tuple(row["path"][:-1]) for row in rows}

    def path(row: dict[str, Any]) -> tuple[str, ...]:
        return tuple(row["path"])

    def lost(row: dict[str, Any]) -> bool:
        return bool(row["complete"]) and row["max"] is not None and row["score"] < row["max"]

    return trimmed(rows, path, lambda row: path(row) not in parents, lost)


def _hidden_row(h: Hidden, width: int) -> list[Text | str]:
    lost = f"，其中扣分的 {h.lost} 个" if h.lost else ""
    text = Text("  " * (h.level - 1) + f"…… 另有 {h.count} 个指标未列出{lost}", style="dim")
    return [text, *([""] * (width - 1))]


def _trim_note(console: Console, total: int, where: str) -> None:
    console.print(
        Text(
            f"共 {total} 个指标，表中每个指标下只列出前 {SHOWN_LEAVES} 个下级指标和扣分的指标"
            f"（最多 {MAX_SHOWN} 行）；"
            f"完整列表：加 --json，或用 -o 写出工作簿（“{where}”工作表）。",
            style="dim",
        )
    )


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
        nodes = list(r.walk())
        long = len(nodes) > LONG_TREE
        rows: Iterable[NodeResult | Hidden] = _trim_result(nodes) if long else nodes
        width = 5 if explained else 4
        for node in rows:
            if isinstance(node, Hidden):
                table.add_row(*_hidden_row(node, width))
                continue
            name = Text("  " * (node.level - 1) + shown(node.name))
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
                cells.append(Text(shown(node.explanation or ""), style="dim"))
            table.add_row(*cells)
        table.add_section()
        table.add_row(
            Text("合计", style="bold"), _points(r.max), Text(_num(r.total), style="bold"), _num(r.rate)
        )
        console.print(table)
        if long:
            _trim_note(console, len(nodes), "明细")
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
        every = indicator_rows(ev)
        long = len(every) > LONG_TREE
        shown_rows: Iterable[dict[str, Any] | Hidden] = _trim_rows(every) if long else every
        for row in shown_rows:
            if isinstance(row, Hidden):
                table.add_row(*_hidden_row(row, 5))
                continue
            level = len(row["path"])
            name = Text("  " * (level - 1) + shown(row["path"][-1]))
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
        if long:
            _trim_note(console, len(every), "部分结果")
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
    # Where and which indicator only for the lines shown: a 100,000-row sheet has as many findings.
    shown_first: dict[str, int] = {}
    lines: list[tuple[Finding, str, str]] = []
    for f in sorted(items, key=lambda f: not f.is_error):  # the order print_finding_lines shows
        n = shown_first.get(f.code, 0)
        shown_first[f.code] = n + 1
        if n < SHOWN_PER_KIND:
            lines.append((f, f.position.label(several) or "", " / ".join(f.path)))
        else:
            lines.append((f, "", ""))  # counted, never printed
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
