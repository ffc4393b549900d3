"""``jixiao template``: write a fillable self-assessment worksheet for a framework."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from jixiao.errors import UsageError


def template(
    framework: str = typer.Argument(..., help="评价框架 id 或 YAML 文件路径", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="要写出的工作表（.xlsx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> int:
    """生成可填写的自评表：层级（框架允许时留有三级指标空行）、分值、得分输入校验、自动计算的合计与等级。"""
    from jixiao.framework.load import load_framework
    from jixiao.write.files import check_output
    from jixiao.write.template import write_template

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"自评表须以 .xlsx 结尾：{output}")
    check_output(output, [], force=force)
    loaded = load_framework(framework)
    write_template(loaded.framework, output)
    print(f"已写出自评表：{output}（框架 {loaded.id}）", file=sys.stderr)
    return 0
