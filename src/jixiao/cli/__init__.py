"""The ``jixiao`` command line: a thin shell over the library.

Exit codes: 0 scored (warnings allowed), 1 the sheet has errors, 2 usage or framework error,
3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any

from jixiao.errors import JixiaoError

if TYPE_CHECKING:
    import typer

    app: typer.Typer


def __getattr__(name: str) -> Any:
    # The typer application is built on first use: ``score --json`` never needs it (cli/fast.py).
    if name == "app":
        from jixiao.cli.app import app

        return app
    raise AttributeError(f"module 'jixiao.cli' has no attribute {name!r}")


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
    from jixiao.cli import fast

    quick = fast.plan(sys.argv[1:] if argv is None else argv)
    if quick is not None:
        # score --json: the same work without typer's and rich's start-up (most of the run).
        try:
            return fast.score_json(quick)
        except JixiaoError as e:
            print(f"错误：{e}", file=sys.stderr)
            return e.exit_code
        except KeyboardInterrupt:
            print("已中断", file=sys.stderr)
            return 130
        except Exception as e:
            if os.environ.get("JIXIAO_DEBUG"):
                raise
            _internal(e)
            return 3
    import typer

    from jixiao.cli.app import app

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
        _internal(e)
        return 3
    return result if isinstance(result, int) else 0


def _internal(e: Exception) -> None:
    print(
        f"jixiao 内部错误：{type(e).__name__}: {e}\n"
        "这是程序缺陷而不是输入问题，请报告（设置 JIXIAO_DEBUG=1 可查看详细信息）。",
        file=sys.stderr,
    )


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
