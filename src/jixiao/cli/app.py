"""The typer application: every command registered (imported only when a command needs typer)."""

from __future__ import annotations

import typer

from jixiao.cli._zh import install as _install_chinese

_install_chinese()

app = typer.Typer(
    name="jixiao",
    help="绩效自评评分工具：按评价框架读取评分表，精确计算小计、得分率和等级。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from jixiao._version import __version__

        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号"),
) -> None:
    """绩效自评评分工具 jixiao。"""


def _register() -> None:
    from jixiao.cli import batch_cmd, frameworks_cmd, score_cmd, template_cmd

    app.command("score")(score_cmd.score)
    app.command("template")(template_cmd.template)
    app.add_typer(frameworks_cmd.app, name="frameworks")
    from jixiao.cli import review_cmd, verify_cmd

    app.command("review")(review_cmd.review)
    app.command("verify")(verify_cmd.verify)

    from jixiao.cli import report_cmd

    app.command("report")(report_cmd.report)
    app.command("batch")(batch_cmd.batch)
    from jixiao.cli import audit_cmd

    app.command("audit")(audit_cmd.audit)

    from jixiao.cli import serve_cmd

    app.command("serve")(serve_cmd.serve)


_register()
