"""``jixiao verify``: check that a result was produced from these inputs and still holds."""

from __future__ import annotations

from pathlib import Path

import typer


def verify(
    result: Path = typer.Argument(
        ..., help="jixiao 生成的结果工作簿（.xlsx）或 --json 输出（.json）", show_default=False
    ),
    sheets: list[Path] = typer.Argument(
        ..., help="生成该结果的评分表（复核结果为一个或两个文件）", show_default=False
    ),
    framework: str | None = typer.Option(
        None, "--framework", "-f", help="评价框架 id 或 YAML 文件路径；不给则用记录中的框架 id"
    ),
) -> int:
    """核验：结果是否由这些评分表和评价框架生成，重新评分是否得到相同的数字。"""
    from rich.console import Console

    from jixiao.cli._text import markup as escape  # visible control characters, no markup
    from jixiao.verifying import verify as run

    verdict = run(result, sheets, framework)
    console = Console(highlight=False)
    for check in verdict.checks:
        mark = "[green]✓[/]" if check.ok else "[bold red]✗[/]"
        console.print(f"{mark} {escape(check.message)}")
        for line in check.details[:50]:
            console.print(f"    {escape(line)}")
        if len(check.details) > 50:
            console.print(f"    ……另有 {len(check.details) - 50} 项")
    for note in verdict.notes:
        console.print(f"[dim]  {escape(note)}[/]")
    if verdict.ok:
        console.print(
            f"[bold green]核验通过：{escape(result.name)} 由这些文件和评价框架生成，重新评分结果一致。[/]"
        )
        return 0
    console.print(
        f"[bold red]核验未通过：{escape(result.name)} 与给出的文件或当前评价框架不一致（见上）。[/]"
    )
    return 1
