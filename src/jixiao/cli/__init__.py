"""The ``jixiao`` command line: a thin shell over the library.

Exit codes: 0 scored (warnings allowed), 1 the sheet has errors, 2 usage or framework error,
3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import os
import re
import sys

import typer

from jixiao.cli._zh import install as _install_chinese
from jixiao.errors import JixiaoError

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


# The command-line parser's own messages, in the users' language: (pattern, message); a second
# group, when present, is the parser's suggestion.
_USAGE = (
    (r"^Missing option '([^']+)'(?: / '[^']+')?\.?$", "缺少选项 {0}"),
    (r"^Missing argument '([^']+)'\.?$", "缺少参数 {0}"),
    (r"^No such command '([^']+)'\.?(?: Did you mean '([^']+)'\?)?$", "没有命令“{0}”"),
    (
        r"^No such option: (\S+?)\.?(?: \((?:Possible options|Did you mean):? ?([^)]+?)\??\))?$",
        "没有选项 {0}",
    ),
    (r"^Got unexpected extra arguments?(?:\(s\))? \((.+)\)\.?$", "多余的参数：{0}"),
    (r"^Option '([^']+)' requires an argument\.?$", "选项 {0} 需要一个值"),
    (r"^Invalid value for '([^']+)': (.+)$", "选项 {0} 的值无效"),
)


def usage_message(text: str) -> str:
    """The parser's English usage message in Chinese (unchanged when it is not a known one)."""
    text = " ".join(text.split())
    for pattern, template in _USAGE:
        m = re.match(pattern, text)
        if m:
            message = template.format(m.group(1))
            if m.lastindex and m.lastindex > 1 and m.group(2):
                label = "原因" if pattern.startswith("^Invalid") else "是不是"
                message += f"（{label} {m.group(2)}）" if label == "原因" else f"（是不是 {m.group(2)}？）"
            return message
    return text


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error a user can cause ends in a message and an exit code."""
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        # Piped or redirected output: rich would fit tables to 80 columns and cut messages
        # short with "…"; a file has room for every word.
        os.environ["COLUMNS"] = "200"
    try:
        result = app(args=argv, standalone_mode=False)
    except typer.Exit as e:
        return e.exit_code
    except typer.Abort:
        print("已取消", file=sys.stderr)
        return 130
    except typer.TyperException as e:
        print(f"用法错误：{usage_message(e.format_message())}（用 --help 查看用法）", file=sys.stderr)
        return 2
    except JixiaoError as e:
        print(f"错误：{e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except OSError as e:  # a file the user named cannot be read or written: not a bug
        from jixiao.errors import os_reason

        where = f"{e.filename}：" if getattr(e, "filename", None) else ""
        print(f"错误：{where}{os_reason(e)}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug, not bad input: say so plainly
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        print(
            f"jixiao 内部错误：{type(e).__name__}: {e}\n"
            "这是程序缺陷而不是输入问题，请报告（设置 JIXIAO_DEBUG=1 可查看详细信息）。",
            file=sys.stderr,
        )
        return 3
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
