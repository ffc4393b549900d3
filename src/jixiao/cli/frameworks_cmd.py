"""``jixiao frameworks list|show|check|import|export|diff``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from jixiao.cli._text import markup, shown
from jixiao.values import plain

if TYPE_CHECKING:
    from jixiao.findings import Finding

PROVENANCE = {"published": "公开数据", "inferred": "推断", "assumed": "假设", "illustrative": "示例"}

app = typer.Typer(help="评价框架：列出、查看、检查、从指标体系表导入、导出、比较。", no_args_is_help=True)


@app.command("list")
def list_() -> int:
    """列出可用的评价框架。"""
    from rich.console import Console
    from rich.table import Table

    from jixiao.errors import FrameworkError
    from jixiao.framework.load import framework_files, load_framework

    console = Console(highlight=False)
    # At 80 columns the 地区 and 文件 columns squeezed 名称 to nothing: they are shown on a wide
    # terminal only, and the folders of the files are listed below the table instead.
    wide = console.width >= 120
    titles = ("id", "名称", "地区", "年度", "版本", "文件") if wide else ("id", "名称", "年度", "版本")
    table = Table(header_style="bold")
    for title in titles:
        table.add_column(
            title,
            no_wrap=title in ("id", "年度", "版本", "文件"),
            overflow="fold",
            min_width=12 if title == "名称" else None,
        )
    broken = 0
    folders: list[str] = []
    for path in framework_files():
        folder = _short(path.parent)
        if folder not in folders:
            folders.append(folder)
        try:
            lf = load_framework(path)
        except FrameworkError:
            cells = [markup(path.stem), "[red]（文件有错误，请运行 frameworks check）[/]", "", ""]
            table.add_row(*([*cells[:2], "", *cells[2:], markup(_short(path))] if wide else cells))
            broken += 1
            continue
        fw = lf.framework
        if wide:
            cells = [fw.id, fw.title, fw.region, str(fw.year), fw.version, _short(path)]
        else:
            cells = [fw.id, fw.title, str(fw.year), fw.version]
        table.add_row(*(markup(c) for c in cells))
    console.print(table)
    if not wide and folders:
        console.print(f"框架文件所在文件夹：{markup('、'.join(folders))}")
    return 2 if broken else 0


@app.command("show")
def show(framework: str = typer.Argument(..., help="评价框架 id 或 YAML 文件路径")) -> int:
    """显示评价框架的指标树和分值。"""
    from rich.console import Console
    from rich.tree import Tree

    from jixiao.framework.load import load_framework
    from jixiao.framework.models import ChildrenFromSheet, Indicator
    from jixiao.rules.describe import describe_rule

    lf = load_framework(framework)
    fw = lf.framework
    console = Console(highlight=False)

    def label(node: Indicator) -> str:
        if node.bonus is not None:
            pts = f"加减分 {plain(node.bonus.minimum)}～{plain(node.bonus.maximum)}"
        elif node.points is None:
            pts = "分值由评分表给出"
        else:
            pts = f"{plain(node.points)} 分"
        extra = []
        if node.children_from_sheet is ChildrenFromSheet.ALLOWED:
            extra.append("可由评分表增设下级指标")
        elif node.children_from_sheet is ChildrenFromSheet.REQUIRED:
            extra.append("须由评分表列出下级指标")
        if node.provenance:
            extra.append(PROVENANCE[str(node.provenance)])
        if node.rule is not None:
            extra.append("计分规则：" + describe_rule(node.rule))
        if node.children_rule is not None:
            extra.append("下级指标计分规则：" + describe_rule(node.children_rule))
        if str(node.scored_by) == "finance":
            extra.append("财政赋分")
        tail = f" [dim]（{markup('；'.join(extra))}）[/]" if extra else ""
        return f"[bold]{markup(node.name)}[/]  {pts}{tail}"

    root = Tree(
        f"[bold]{markup(fw.title)}[/]（{markup(fw.id)}，版本 {markup(fw.version)}，"
        f"总分 {plain(fw.total_points)}）"
    )

    def add(tree: Tree, nodes: list[Indicator]) -> None:
        for node in nodes:
            add(tree.add(label(node)), node.children)

    add(root, fw.indicators)
    console.print(root)
    bands = "；".join(
        f"{b.label} [{plain(b.minimum)}, {plain(b.maximum)}{']' if b.maximum == fw.max_total else ')'}"
        for b in sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
    )
    console.print(f"等级：{markup(bands)}")
    console.print(f"来源：{markup(fw.source.document)}")
    if fw.source.notes:
        console.print(f"说明：{markup(fw.source.notes)}")
    return 0


@app.command("check")
def check(files: list[Path] = typer.Argument(..., help="要检查的框架文件")) -> int:
    """检查框架文件，一次列出所有问题（文件和点分路径）；有问题时退出码为 2。"""
    from jixiao.errors import FrameworkError, UsageError
    from jixiao.framework.load import parse_framework, read_framework_bytes

    status = 0
    for path in files:
        try:
            # bounded, and a device or a pipe is refused before it is read
            data = read_framework_bytes(path)
        except (UsageError, FrameworkError) as e:
            print(shown(e), file=sys.stderr)
            status = 2
            continue
        try:
            fw = parse_framework(data, source=path)
        except FrameworkError as e:
            print(shown(e), file=sys.stderr)
            status = 2
            continue
        count = sum(1 for _ in fw.walk())
        print(shown(f"{path}：通过（{fw.id}，{count} 个指标）"))
    return status


@app.command("import")
def import_(
    table: Path = typer.Argument(..., help="指标体系表（.xlsx）"),
    output: Path = typer.Option(..., "-o", "--output", help="要写出的框架文件（.yaml）"),
    framework_id: str | None = typer.Option(None, "--id", help="框架 id，默认取输出文件名"),
    title: str | None = typer.Option(None, "--title", help="框架名称，默认取表格标题"),
    region: str | None = typer.Option(None, "--region", help="地区，如 广东省韶关市"),
    year: int | None = typer.Option(None, "--year", help="年度"),
    kind: str | None = typer.Option(None, "--kind", help="评价类型，如 部门整体支出"),
    version: str | None = typer.Option(None, "--version", help="框架版本，默认“年度.1”"),
    source: str | None = typer.Option(None, "--source", help="来源文件名称"),
    sheet: str | None = typer.Option(None, "--sheet", help="工作表名称，默认第一个有表头的"),
    provenance: str | None = typer.Option(
        None, "--provenance", help="表中分值的来源：published（公开）、inferred、assumed、illustrative"
    ),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> int:
    """从指标体系表（Excel）生成框架文件，并报告每一处不一致（含单元格）。"""
    from datetime import UTC, datetime

    from jixiao.authoring.importer import ImportOptions, import_table
    from jixiao.authoring.yamlout import dump_framework
    from jixiao.errors import SheetError, UsageError
    from jixiao.framework.models import Provenance
    from jixiao.write.files import check_output, write_atomically

    check_output(output, [table], force=force)
    _refuse_shipped(output)
    try:
        marked = Provenance(provenance) if provenance else None
    except ValueError:
        raise UsageError(f"--provenance 应为 {'、'.join(p.value for p in Provenance)} 之一") from None
    options = ImportOptions(
        provenance=marked,
        id=framework_id,
        fallback_id=_id_from(output),
        title=title,
        region=region,
        year=year,
        kind=kind,
        version=version,
        source_document=source,
        sheet=sheet,
    )
    try:
        result = import_table(table, options)
    except SheetError as e:
        print(shown(f"错误：{e}"), file=sys.stderr)
        return 2
    _print_findings(table, result.findings)
    if not result.ok or result.framework is None:
        errors = sum(1 for f in result.findings if f.is_error)
        print(shown(f"{table}：有 {errors} 个错误，未生成框架文件。"), file=sys.stderr)
        return 2
    fw = result.framework
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [
        f"{fw.title}",
        f"由 jixiao frameworks import 从 {table.name}（工作表 {result.sheet}）导入，{stamp}。",
        "请核对后再使用；修改后运行 jixiao frameworks check 检查。",
        *result.notes,
    ]
    text = dump_framework(fw, header)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomically(output, write)
    count = sum(1 for _ in fw.walk())
    rules = f"，识别出 {result.rules_recognised} 条计分规则" if result.rules_recognised else ""
    print(shown(f"已生成 {output}（{fw.id}，{count} 个指标，总分 {plain(fw.total_points)}{rules}）"))
    for note in result.notes:
        print(shown(f"说明：{note}"))
    return 0


@app.command("export")
def export(
    framework: str = typer.Argument(..., help="评价框架 id 或 YAML 文件路径"),
    output: Path = typer.Option(..., "-o", "--output", help="要写出的指标体系表（.xlsx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> int:
    """把评价框架写成可打印的指标体系表（Excel），可再用 import 导入。"""
    from jixiao.authoring.exporter import write_table
    from jixiao.errors import UsageError
    from jixiao.framework.load import load_framework
    from jixiao.write.files import check_output

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件 {output} 应以 .xlsx 结尾")
    lf = load_framework(framework)
    check_output(output, [lf.path], force=force)
    write_table(lf.framework, output)
    print(shown(f"已生成 {output}（{lf.id} 的指标体系表）"))
    return 0


@app.command("diff")
def diff(
    old: str = typer.Argument(..., help="原框架（id 或文件路径）"),
    new: str = typer.Argument(..., help="新框架（id 或文件路径）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> int:
    """比较两个评价框架：新增、删除、更名、分值调整等。相同退出码 0，不同 1，出错 2。"""
    import json

    from jixiao.authoring.diff import diff_frameworks
    from jixiao.framework.load import load_framework

    a, b = load_framework(old), load_framework(new)
    changes = diff_frameworks(a.framework, b.framework)
    if as_json:
        print(
            json.dumps(
                {"old": str(a.path), "new": str(b.path), "changes": [c.to_dict() for c in changes]},
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not changes:
        print(shown(f"{a.id} 与 {b.id} 相同（没有差异）"))
    else:
        print(shown(f"{a.id}（{a.path.name}） → {b.id}（{b.path.name}）：{len(changes)} 处差异"))
        for change in changes:
            print(shown(f"  {change.message()}"))
    return 1 if changes else 0


SHOWN_PER_KIND = 5
"""Findings of one kind printed before "另有 N 条同类问题", as ``jixiao score`` prints them (the
terminal renderer is not imported here: it pulls in rich and the scoring code)."""


def _print_findings(table: Path, findings: list[Finding]) -> None:
    """Every finding as a line, errors first; a kind repeated many times (the same unstated rule
    on 2,000 rows) shows its first few, then how many more."""
    ordered = sorted(findings, key=_finding_order)
    counts: dict[str, int] = {}
    for f in ordered:
        counts[f.code] = counts.get(f.code, 0) + 1
    shown_of: dict[str, int] = {}
    for f in ordered:
        n = shown_of[f.code] = shown_of.get(f.code, 0) + 1
        if n > SHOWN_PER_KIND:
            continue
        where = f.position.label(with_sheet=True) or "—"
        path = "／".join(f.path)
        kind_text = "错误" if f.is_error else "警告"
        line = f"{table.name} {where}  {kind_text}  {path + '：' if path else ''}{f.message}  [{f.code}]"
        print(shown(line), file=sys.stderr)
        if n == SHOWN_PER_KIND and counts[f.code] > n:
            print(f"  …… 另有 {counts[f.code] - n} 条同类问题（{f.code}）", file=sys.stderr)


def _refuse_shipped(output: Path) -> None:
    """A framework shipped with jixiao is never replaced by an import, --force or not."""
    from jixiao.errors import UsageError
    from jixiao.framework.load import shipped_dir

    if not output.exists():
        return
    target = output.resolve()
    if any(target == f.resolve() for f in shipped_dir().glob("*.y*ml")):
        raise UsageError(
            f"{output} 是 jixiao 自带的评价框架，不能被导入的框架覆盖（--force 也不行）；"
            "请写到别的文件名，如 frameworks/我的框架-2024.yaml，并用 --id 给出新的 id"
        )


def _id_from(output: Path) -> str | None:
    import re

    stem = output.stem
    return stem if re.fullmatch(r"[a-z0-9][a-z0-9-]*", stem) else None


def _finding_order(f: object) -> tuple[int, int, str, str]:
    from jixiao.findings import sort_key

    return sort_key(f)  # type: ignore[arg-type]


def _short(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
