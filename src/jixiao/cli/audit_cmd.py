"""``jixiao audit``: check the figures a published 自评报告 prints against each other."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from jixiao.cli._text import shown
from jixiao.errors import UsageError

# Padded to the display width of 未核对 (six columns) so the places line up.
MARK = {"agrees": ("✓     ", "green"), "differs": ("✗     ", "bold red"), "unchecked": ("未核对", "dim")}


def audit(
    report: Path = typer.Argument(..., help="已发布的自评报告（.pdf、.docx 或 .txt）", show_default=False),
    framework: str | None = typer.Option(
        None, "--framework", "-f", help="评价框架 id 或 YAML 文件；给出时按框架核对分值和等级区间"
    ),
    as_json: bool = typer.Option(False, "--json", help="在标准输出写一个 JSON 对象"),
    output: Path | None = typer.Option(None, "--output", "-o", help="写出核对结果工作簿（.xlsx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="列出每处数字的核对过程"),
) -> int:
    """核对报告：读取自评报告，逐一核对表中和文中的分值、得分、得分率、等级和金额比率。"""
    from jixiao.auditing import audit_report

    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"核对结果工作簿须以 .xlsx 结尾：{output}")
        from jixiao.write.files import check_output

        check_output(output, [report], force=force)
    result = audit_report(report, framework)
    if as_json:
        from jixiao.write.jsonout import dumps

        sys.stdout.write(dumps(result.to_dict()) + "\n")
    else:
        _render(result, verbose)
    if output is not None:
        from jixiao.auditing.workbook import write_audit_workbook

        write_audit_workbook(result, output)
        print(shown(f"已写出核对结果工作簿：{output}"), file=sys.stderr)
    return 0 if result.ok else 1


def _render(result: object, verbose: bool) -> None:
    from rich.console import Console
    from rich.text import Text

    from jixiao.auditing import AuditResult, Status

    assert isinstance(result, AuditResult)
    console = Console(highlight=False)
    pages = f"，{result.pages} 页" if result.pages else ""
    head = Text(shown(f"{result.source.name}（{result.kind}{pages}）"), style="bold")
    if result.framework_id:
        head.append(shown(f"  评价框架：{result.framework_id}"))
    console.print(head)
    width = max((len(c.place) for c in result.claims), default=0)
    for claim in result.claims:
        mark, style = MARK[str(claim.status)]
        line = Text()
        line.append(mark, style=style)  # Text, never markup: report text may hold "[...]"
        line.append(shown(f" {claim.place:<{width}}  "), style="cyan")
        line.append(shown(claim.text))
        console.print(line)
        if verbose or claim.status is Status.DIFFERS:
            for note in claim.notes:
                if verbose or note.startswith("✗"):
                    style = "red" if note.startswith("✗") else "dim"
                    console.print(Text(shown(f"      {note}"), style=style))
    console.print()
    summary = (
        f"共 {len(result.claims)} 处数字，核对 {result.checks} 项：一致 {result.count(Status.AGREES)}，"
        f"不符 {result.count(Status.DIFFERS)}，未核对 {result.count(Status.UNCHECKED)}"
    )
    console.print(Text(summary, style="bold"))
    for f in result.findings:
        console.print(Text(shown(f"  ✗ {f.position.place}  {f.message}（{f.code}）"), style="red"))
    if result.ok:
        console.print(Text("核对的数字全部一致。", style="green"))
