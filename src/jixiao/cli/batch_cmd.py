"""``jixiao batch``: score every department's sheet and write the bureau's summary workbook."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jixiao.errors import UsageError


def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="评分表文件或文件夹（文件夹递归查找）", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="写出汇总工作簿（.xlsx）：汇总、等级分布、指标得分率、错误"),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option("--framework", "-f", help="评价框架 id 或 YAML 文件路径；不给则逐个文件自动识别"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="在标准输出每个文件写一行 JSON")] = False,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", help="并行进程数（0 表示按 CPU 数）；结果和顺序与串行相同"),
    ] = 1,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="在终端显示进度条")] = True,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="每个文件中要评分的工作表名称；不给则自动选择"),
    ] = None,
    all_submissions: Annotated[
        bool,
        typer.Option(
            "--all-submissions",
            help="同一单位重复报送的文件全部计入排名和统计（默认只计最新的一份）",
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="在 Dask 集群上评分：调度器地址，如 tcp://主机:8786"
            "（需安装 jixiao[dask]；各节点须能读到这些文件）",
        ),
    ] = None,
) -> int:
    """批量评分：逐个评分多个单位的评分表，写出汇总工作簿；单个文件出错不影响其他文件。"""
    from jixiao.batch import default_jobs, discover, iter_outcomes

    if jobs < 0:
        raise UsageError(f"--jobs 须为 0 或正整数，收到 {jobs}")
    jobs = jobs or default_jobs()
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(f"汇总工作簿须以 .xlsx 结尾：{output}")
    missing = [p for p in inputs if not p.exists()]
    if missing:
        raise UsageError("找不到文件或文件夹：" + "、".join(str(p) for p in missing))
    paths = discover(inputs, exclude=[output] if output is not None else [])
    if not paths:
        raise UsageError("没有找到要评分的文件：" + "、".join(str(p) for p in inputs))
    if output is not None:
        check_inputs = [p for p in inputs if p.exists()] + paths
        from jixiao.write.files import check_output

        check_output(output, check_inputs, force=force)

    from jixiao.batch.summary import BatchSummary
    from jixiao.scoring.evaluation import now_iso

    produced_at = now_iso()
    summary = BatchSummary(count_resubmissions=all_submissions)
    outcomes = iter_outcomes(paths, framework, jobs=jobs, sheet=sheet, scheduler=scheduler)
    bar = _progress(len(paths), enabled=progress)
    try:
        for outcome in outcomes:
            if as_json:
                from jixiao.write.jsonout import dumps

                sys.stdout.write(dumps(outcome.to_dict(), indent=None) + "\n")
                sys.stdout.flush()
            summary.add(outcome)
            if bar is not None:
                bar.advance()
    finally:
        if bar is not None:
            bar.stop()

    if output is not None:
        from jixiao.write.summary import write_summary

        write_summary(summary, output, produced_at)
    _report(summary, output, quiet_stdout=as_json)
    return 1 if summary.failed else 0  # skipped files (jixiao's own outputs) are not failures


class _Bar:
    """A rich progress bar on standard error, shown only on a terminal."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("评分", total=total)
        self.progress.start()

    def advance(self) -> None:
        self.progress.advance(self.task)

    def stop(self) -> None:
        self.progress.stop()


def _progress(total: int, *, enabled: bool) -> _Bar | None:
    if not enabled or total < 2 or not sys.stderr.isatty():
        return None
    return _Bar(total)


def _report(summary: object, output: Path | None, *, quiet_stdout: bool) -> None:
    from jixiao.batch.summary import BatchSummary

    assert isinstance(summary, BatchSummary)
    lines = [f"已评分 {len(summary.scored)} 个文件，未能评分 {len(summary.failed)} 个。"]
    if summary.skipped:
        lines[0] = lines[0][:-1] + f"，跳过 {len(summary.skipped)} 个。"
    by_kind = summary.grade_counts_by_kind()
    if len(by_kind) > 1:
        for kind, grades in by_kind:
            counts = "，".join(f"{label} {n}" for label, n in grades if n)
            lines.append(f"等级分布（{kind or '未注明类型'}）：{counts}")
    else:
        counts = "，".join(f"{label} {n}" for label, n in summary.grade_counts() if n)
        if counts:
            lines.append(f"等级分布：{counts}")
    for o in summary.failed:
        lines.append(f"  未能评分：{o.path}：{o.error}")
    for o in summary.skipped:
        lines.append(f"  跳过：{o.path}：{o.skipped}")
    from jixiao.write.summary import resubmission_note

    for r in summary.resubmissions():
        for o in r.older:
            lines.append(
                f"  重复报送：{o.path}：{resubmission_note(r, o, counted=summary.count_resubmissions)}"
            )
    if len(summary.frameworks) > 1:
        lines.append("排名只在同一评价框架内比较（框架内排名）。")
    if output is not None:
        lines.append(f"已写出汇总工作簿：{output}")
    # Messages go to standard error so that --json output stays one JSON object per line.
    from jixiao.cli._text import shown

    print(shown("\n".join(lines)), file=sys.stderr)  # names and errors come from the files
