"""``jixiao review``: compare a department's self scores with the reviewer's (复核)."""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from jixiao.errors import UsageError


def review(
    sheets: list[Path] = typer.Argument(
        ...,
        help="一个同时有自评得分和复核得分列的评分表；或两个文件：自评表 复核表",
        show_default=False,
    ),
    framework: str | None = typer.Option(
        None, "--framework", "-f", help="评价框架 id 或 YAML 文件路径；不给则按指标名称自动识别"
    ),
    sheet_name: str | None = typer.Option(None, "--sheet", help="自评表的工作表名称"),
    review_sheet_name: str | None = typer.Option(None, "--review-sheet", help="复核表的工作表名称"),
    tolerance: str = typer.Option(
        "1", "--tolerance", help="自评得分比复核得分高出多少分以上时提示（默认 1 分）"
    ),
    fill_from_self: bool = typer.Option(
        False, "--fill-from-self", help="复核未填写的指标取自评得分（否则视为错误）"
    ),
    template: bool = typer.Option(False, "--template", help="由自评表生成复核工作表（需 -o），而不是比较"),
    as_json: bool = typer.Option(False, "--json", help="在标准输出写一个 JSON 对象"),
    output: Path | None = typer.Option(None, "--output", "-o", help="写出复核对比工作簿（.xlsx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> int:
    """复核：并列自评得分与复核得分，计算最终得分、差额、总分和等级，列出问题。"""
    from jixiao.reviewing.compare import Settings
    from jixiao.scoring.evaluation import now_iso
    from jixiao.write.files import check_output

    if len(sheets) > 2:
        raise UsageError(f"最多给两个文件（自评表 复核表），现在给了 {len(sheets)} 个")
    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"输出工作簿须以 .xlsx 结尾：{output}")
        check_output(output, sheets, force=force)
    if template:
        return _template(sheets, framework, sheet_name, output)
    try:
        limit = Decimal(tolerance.strip())
    except InvalidOperation as e:
        raise UsageError(f"--tolerance 应为不小于 0 的数字，现在是“{tolerance}”") from e
    if not limit.is_finite() or limit < 0:
        raise UsageError(f"--tolerance 应为不小于 0 的数字，现在是“{tolerance}”")
    settings = Settings(tolerance=limit, fill_from_self=fill_from_self)
    if len(sheets) == 1:
        from jixiao.reviewing.pipeline import review_sheet

        if review_sheet_name is not None:
            raise UsageError("--review-sheet 只用于两个文件的复核")
        result = review_sheet(sheets[0], framework, sheet=sheet_name, settings=settings)
    else:
        from jixiao.reviewing.pipeline import review_sheets

        result = review_sheets(
            sheets[0],
            sheets[1],
            framework,
            sheet=sheet_name,
            review_sheet_name=review_sheet_name,
            settings=settings,
        )
    produced_at = now_iso()
    if as_json:
        from jixiao.reviewing.data import review_data
        from jixiao.write.jsonout import dumps

        sys.stdout.write(dumps(review_data(result, produced_at)) + "\n")
    else:
        from rich.console import Console

        from jixiao.cli.review_render import render_review

        render_review(result, Console(highlight=False))
    if not result.ok:
        if output is not None:
            print(f"复核有错误，未写出 {output}", file=sys.stderr)
        return 1
    if output is not None:
        from jixiao.write.review import write_review

        write_review(result, output, produced_at)
        print(f"已写出复核对比工作簿：{output}", file=sys.stderr)
    return 0


def _template(sheets: list[Path], framework: str | None, sheet: str | None, output: Path | None) -> int:
    from jixiao.scoring.pipeline import score_file
    from jixiao.write.review_template import write_review_template

    if output is None:
        raise UsageError("--template 需要用 -o 指定要写出的复核工作表（.xlsx）")
    if len(sheets) != 1:
        raise UsageError("--template 只接受一个文件：单位的自评表")
    ev = score_file(sheets[0], framework, sheet=sheet)
    if ev.result is None:
        from rich.console import Console

        from jixiao.cli.render import render_evaluation

        render_evaluation(ev, Console(highlight=False, stderr=True))
        print(f"自评表有错误，未写出 {output}", file=sys.stderr)
        return 1
    write_review_template(ev, output)
    print(f"已写出复核工作表：{output}（框架 {ev.framework.id}）", file=sys.stderr)
    return 0
