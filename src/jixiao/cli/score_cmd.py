"""``jixiao score``: score one filled sheet."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from jixiao.errors import UsageError


def score(
    sheet: Path = typer.Argument(..., help="填好的评分表（.xlsx，也可 .xls、.csv）", show_default=False),
    framework: str | None = typer.Option(
        None, "--framework", "-f", help="评价框架 id 或 YAML 文件路径；不给则按指标名称自动识别"
    ),
    sheet_name: str | None = typer.Option(None, "--sheet", help="工作表名称（工作簿有多个时）"),
    as_json: bool = typer.Option(False, "--json", help="在标准输出写一个 JSON 对象"),
    output: Path | None = typer.Option(None, "--output", "-o", help="写出结果工作簿（.xlsx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> int:
    """评分：读取评分表，计算小计、得分率、总分和等级，列出发现的问题。"""
    from jixiao.scoring.pipeline import no_gc_pauses

    with no_gc_pauses():  # a long sheet's evaluation is millions of objects: no full collections
        return _score(sheet, framework, sheet_name, as_json, output, force)


def _score(
    sheet: Path,
    framework: str | None,
    sheet_name: str | None,
    as_json: bool,
    output: Path | None,
    force: bool,
) -> int:
    from jixiao.scoring.evaluation import now_iso
    from jixiao.scoring.pipeline import score_file
    from jixiao.write.files import check_output

    if output is not None:
        if output.suffix.lower() != ".xlsx":
            hint = "；--json 的结果写到标准输出，可用“> 文件名.json”保存" if as_json else ""
            raise UsageError(f"结果工作簿须以 .xlsx 结尾：{output}{hint}")
        check_output(output, [sheet], force=force)
    ev = score_file(sheet, framework, sheet=sheet_name)
    produced_at = now_iso()
    if as_json:
        from jixiao.write.jsonout import evaluation_json

        sys.stdout.write(evaluation_json(ev, produced_at) + "\n")
    else:
        from rich.console import Console

        from jixiao.cli.render import render_evaluation

        render_evaluation(ev, Console(highlight=False))
    if ev.result is None:
        if output is not None:
            from jixiao.write.result import write_partial_result

            write_partial_result(ev, output, produced_at)
            print(f"评分表有错误：已写出部分结果工作簿（未评分，无总分和等级）：{output}", file=sys.stderr)
        return 1
    if output is not None:
        from jixiao.write.result import write_result

        write_result(ev, output, produced_at)
        print(f"已写出结果工作簿：{output}", file=sys.stderr)
    return 0
