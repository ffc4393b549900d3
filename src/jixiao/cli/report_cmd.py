"""``jixiao report``: write the scoring section of the 自评报告 (.docx, Markdown or HTML)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jixiao.cli._text import shown
from jixiao.errors import UsageError

if TYPE_CHECKING:
    from jixiao.report.model import Document

FORMATS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def output_format(output: Path, given: str | None) -> str:
    """The output format from ``--format`` or the file's extension; they must agree."""
    by_suffix = FORMATS.get(output.suffix.lower())
    if given is not None:
        given = given.lower()
        if given not in set(FORMATS.values()):
            raise UsageError(f"--format 只能是 docx、md 或 html，而不是“{given}”")
        if by_suffix is not None and by_suffix != given:
            raise UsageError(f"输出文件 {output} 的扩展名与 --format {given} 不符")
        return given
    if by_suffix is None:
        raise UsageError(f"无法从文件名判断报告格式：{output}（请用 .docx、.md、.html 结尾，或加 --format）")
    return by_suffix


def _writer(data: bytes | str) -> Callable[[Path], None]:
    """A writer for :func:`write_atomically`: bytes as they are, text as UTF-8."""

    def write(path: Path) -> None:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return write


def chart_path(output: Path) -> Path:
    """Where the Markdown report's chart goes: next to it, named after it."""
    return output.with_name(f"{output.stem}-chart.png")


def report(
    sheets: Annotated[
        list[Path],
        typer.Argument(
            help="填好的评分表（.xlsx）；复核时可给两个文件：自评表 复核表；给一个文件夹则写各单位的评价情况",
            show_default=False,
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="要写出的报告（.docx、.md 或 .html）")],
    fmt: Annotated[str | None, typer.Option("--format", help="docx、md 或 html；不给则按文件扩展名")] = None,
    review: Annotated[
        bool, typer.Option("--review", help="评分表中有复核得分列：并列自评与复核（最终）得分")
    ] = False,
    review_sheet_name: Annotated[
        str | None, typer.Option("--review-sheet", help="复核表的工作表名称（两个文件时）")
    ] = None,
    fill_from_self: Annotated[
        bool, typer.Option("--fill-from-self", help="复核未填写的指标取自评得分（否则视为错误）")
    ] = False,
    framework: Annotated[
        str | None,
        typer.Option("--framework", "-f", help="评价框架 id 或 YAML 文件路径；不给则按指标名称自动识别"),
    ] = None,
    sheet_name: Annotated[str | None, typer.Option("--sheet", help="工作表名称（工作簿有多个时）")] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="自定义措辞的模板文件（YAML）或含 zh.yaml 的文件夹"),
    ] = None,
    no_chart: Annotated[bool, typer.Option("--no-chart", help="不画得分率图表")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> int:
    """生成自评报告的评分部分：总表、综合得分与等级、各一级指标情况、扣分指标和得分率图表。

    有复核结果时（--review，或给出自评表和复核表两个文件）并列自评与复核得分并列出差异。
    """
    from rich.console import Console

    from jixiao.cli.render import render_findings
    from jixiao.report import ReportInput, build_report, load_templates, report_input
    from jixiao.report.charts import cjk_font
    from jixiao.write.files import check_output

    if len(sheets) > 2:
        raise UsageError(f"最多给两个文件（自评表 复核表），现在给了 {len(sheets)} 个")
    if review_sheet_name is not None and len(sheets) != 2:
        raise UsageError("--review-sheet 只用于两个文件的复核")
    if fill_from_self and not (review or len(sheets) == 2):
        raise UsageError("--fill-from-self 只用于复核（--review 或两个文件）")
    kind = output_format(output, fmt)
    if len(sheets) == 1 and sheets[0].is_dir():
        return _batch_report(sheets[0], output, kind, framework, sheet_name, templates, no_chart, force)
    if len(sheets) == 1 and not review:
        from jixiao.report.from_summary import is_summary_workbook

        if is_summary_workbook(sheets[0]):
            return _summary_report(sheets[0], output, kind, templates, no_chart, force)
    check_output(output, sheets, force=force)
    if kind == "md" and not no_chart:
        check_output(chart_path(output), sheets, force=force)
    wording = load_templates(templates)
    err = Console(stderr=True, highlight=False)

    data: ReportInput
    if review or len(sheets) == 2:
        from jixiao.report.from_review import review_input
        from jixiao.reviewing.compare import Settings
        from jixiao.reviewing.pipeline import review_sheet, review_sheets

        settings = Settings(fill_from_self=fill_from_self)
        if len(sheets) == 2:
            done = review_sheets(
                sheets[0],
                sheets[1],
                framework,
                sheet=sheet_name,
                review_sheet_name=review_sheet_name,
                settings=settings,
            )
        else:
            done = review_sheet(sheets[0], framework, sheet=sheet_name, settings=settings)
        found = [s.finding for s in done.findings]
        several = done.self_ev.source.several_sheets
        if not done.ok:
            render_findings(found, err, several=several)
            print(shown(f"复核有错误，未生成报告 {output}"), file=sys.stderr)
            return 1
        data = review_input(done)
    else:
        from jixiao.scoring.pipeline import score_file

        ev = score_file(sheets[0], framework, sheet=sheet_name)
        found = ev.findings
        several = ev.source.several_sheets
        if ev.result is None:
            render_findings(ev.findings, err, several=several)
            print(shown(f"评分表有错误，未生成报告 {output}"), file=sys.stderr)
            return 1
        data = report_input(ev)
    warnings = [f for f in found if not f.is_error]
    if warnings:
        render_findings(warnings, err, several=several)
        print("以上为评分表中的警告；报告中的数字一律按 jixiao 的计算结果填写。", file=sys.stderr)
    chart = not no_chart
    if chart and cjk_font() is None:
        print("警告：未找到中文字体（如 Noto Sans CJK），报告中不含得分率图表。", file=sys.stderr)
    _write(build_report(data, wording, chart=chart), kind, output)
    print(shown(f"已写出报告：{output}"), file=sys.stderr)
    return 0


def _batch_report(
    folder: Path,
    output: Path,
    kind: str,
    framework: str | None,
    sheet: str | None,
    templates: Path | None,
    no_chart: bool,
    force: bool,
) -> int:
    """The bureau's 复核/评价情况 section for every sheet in ``folder``."""
    from jixiao.batch import discover
    from jixiao.batch.summary import score_batch
    from jixiao.report import load_templates
    from jixiao.report.batch_report import build_batch_report
    from jixiao.write.files import check_output

    check_output(output, [folder], force=force)
    if kind == "md" and not no_chart:
        check_output(chart_path(output), [folder], force=force)
    paths = discover([folder], exclude=[output])
    if not paths:
        raise UsageError(f"文件夹 {folder} 中没有要评分的文件")
    summary = score_batch(paths, framework, sheet=sheet)
    if not summary.counted:
        print(shown(f"{folder} 中没有能评分的评分表，未生成报告 {output}"), file=sys.stderr)
        return 1
    doc = build_batch_report(summary, load_templates(templates).fonts, chart=not no_chart)
    _write(doc, kind, output)
    print(
        shown(
            f"已写出评价情况报告：{output}（{len(summary.counted)} 个单位；"
            f"未能评分 {len(summary.failed)} 个，跳过 {len(summary.skipped)} 个）"
        ),
        file=sys.stderr,
    )
    return 0


def _summary_report(
    summary: Path, output: Path, kind: str, templates: Path | None, no_chart: bool, force: bool
) -> int:
    """The same 评价情况 section from a summary workbook that ``jixiao batch`` wrote."""
    from jixiao.report import load_templates
    from jixiao.report.batch_report import build_figures_report
    from jixiao.report.from_summary import summary_figures
    from jixiao.write.files import check_output

    check_output(output, [summary], force=force)
    if kind == "md" and not no_chart:
        check_output(chart_path(output), [summary], force=force)
    figures = summary_figures(summary)
    if not figures.counted:
        print(f"汇总工作簿 {summary} 中没有已评分的单位，未生成报告 {output}", file=sys.stderr)
        return 1
    doc = build_figures_report(figures, load_templates(templates).fonts, chart=not no_chart)
    _write(doc, kind, output)
    reasons = (
        "；汇总工作簿中没有“扣分原因”工作表（由旧版 jixiao 生成），报告不含常见扣分原因"
        if figures.reasons is None
        else ""
    )
    print(
        f"已写出评价情况报告：{output}（据汇总工作簿，{figures.counted} 个单位；"
        f"未能评分 {figures.failed} 个{reasons}）",
        file=sys.stderr,
    )
    return 0


def _write(doc: Document, kind: str, output: Path) -> None:
    """Render and write atomically; a Markdown report's chart goes beside it."""
    from jixiao.write.files import write_atomically

    if kind == "docx":
        from jixiao.report import render_docx

        write_atomically(output, _writer(render_docx(doc)))
    elif kind == "html":
        from jixiao.report import render_html

        write_atomically(output, _writer(render_html(doc)))
    else:
        from jixiao.report import render_markdown
        from jixiao.report.model import Figure

        figure = next((b for b in doc.blocks if isinstance(b, Figure)), None)
        image = chart_path(output) if figure is not None else None
        text = render_markdown(doc, image.name if image else None)
        if figure is not None and image is not None:
            write_atomically(image, _writer(figure.png))
            print(shown(f"已写出图表：{image}"), file=sys.stderr)
        write_atomically(output, _writer(text))
