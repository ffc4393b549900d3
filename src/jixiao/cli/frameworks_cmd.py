"""``jixiao frameworks list|show|check``."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import typer

PROVENANCE = {"published": "公开数据", "inferred": "推断", "assumed": "假设", "illustrative": "示例"}

app = typer.Typer(help="评价框架：列出、查看、检查。", no_args_is_help=True)


@app.command("list")
def list_() -> int:
    """列出可用的评价框架。"""
    from rich.console import Console
    from rich.table import Table

    from jixiao.errors import FrameworkError
    from jixiao.frameworks import framework_files, load_framework

    table = Table(header_style="bold")
    for title in ("id", "名称", "地区", "年度", "版本", "文件"):
        table.add_column(title, no_wrap=title in ("id", "文件"))
    broken = 0
    for path in framework_files():
        try:
            lf = load_framework(path)
        except FrameworkError:
            table.add_row(path.stem, "[red]（文件有错误，请运行 frameworks check）[/]", "", "", "",
                          _short(path))
            broken += 1
            continue
        fw = lf.framework
        table.add_row(fw.id, fw.title, fw.region, str(fw.year), fw.version, _short(path))
    Console(highlight=False).print(table)
    return 2 if broken else 0


@app.command("show")
def show(framework: str = typer.Argument(..., help="评价框架 id 或 YAML 文件路径")) -> int:
    """显示评价框架的指标树和分值。"""
    from rich.console import Console
    from rich.tree import Tree

    from jixiao.frameworks import load_framework
    from jixiao.model.framework import ChildrenFromSheet, Indicator

    lf = load_framework(framework)
    fw = lf.framework
    console = Console(highlight=False)

    def label(node: Indicator) -> str:
        if node.bonus is not None:
            pts = f"加减分 {_plain(node.bonus.minimum)}～{_plain(node.bonus.maximum)}"
        elif node.points is None:
            pts = "分值由评分表给出"
        else:
            pts = f"{_plain(node.points)} 分"
        extra = []
        if node.children_from_sheet is ChildrenFromSheet.ALLOWED:
            extra.append("可由评分表增设下级指标")
        elif node.children_from_sheet is ChildrenFromSheet.REQUIRED:
            extra.append("须由评分表列出下级指标")
        if node.provenance:
            extra.append(PROVENANCE[str(node.provenance)])
        if str(node.scored_by) == "finance":
            extra.append("财政赋分")
        tail = f" [dim]（{'；'.join(extra)}）[/]" if extra else ""
        return f"[bold]{node.name}[/]  {pts}{tail}"

    root = Tree(f"[bold]{fw.title}[/]（{fw.id}，版本 {fw.version}，总分 {_plain(fw.total_points)}）")

    def add(tree: Tree, nodes: list[Indicator]) -> None:
        for node in nodes:
            add(tree.add(label(node)), node.children)

    add(root, fw.indicators)
    console.print(root)
    bands = "；".join(
        f"{b.label} [{_plain(b.minimum)}, {_plain(b.maximum)}{']' if b.maximum == fw.max_total else ')'}"
        for b in sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
    )
    console.print(f"等级：{bands}")
    console.print(f"来源：{fw.source.document}")
    if fw.source.notes:
        console.print(f"说明：{fw.source.notes}")
    return 0


@app.command("check")
def check(files: list[Path] = typer.Argument(..., help="要检查的框架文件")) -> int:
    """检查框架文件，一次列出所有问题（文件和点分路径）；有问题时退出码为 2。"""
    from jixiao.errors import FrameworkError
    from jixiao.frameworks import parse_framework

    status = 0
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as e:
            print(f"{path}：无法读取（{e.strerror}）", file=sys.stderr)
            status = 2
            continue
        try:
            fw = parse_framework(data, source=path)
        except FrameworkError as e:
            print(str(e), file=sys.stderr)
            status = 2
            continue
        count = sum(1 for _ in fw.walk())
        print(f"{path}：通过（{fw.id}，{count} 个指标）")
    return status


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _short(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
