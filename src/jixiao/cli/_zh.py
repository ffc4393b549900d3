"""The command-line parser's own words in Chinese: help panels, metavars, "Show this message…".

typer and click take their fixed strings through ``gettext`` (each module binds ``_``) and a
few module constants; jixiao has no message catalogue to install, so the known strings are
mapped here once, when the CLI is imported. A string not listed stays as the library wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

TEXT = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Usage:": "用法：",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Error": "错误",
    "Aborted.": "已取消。",
    "[required]": "[必填]",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "(deprecated) ": "（已弃用）",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "用 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    ),
    "Try {command!r} for help.": "用 {command!r} 查看帮助。",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
}

# Metavars typer shows as <type>: the value a user types, in words.
METAVARS = {
    "path": "路径",
    "str": "文本",
    "text": "文本",
    "int": "整数",
    "integer": "整数",
    "float": "数字",
    "bool": "是/否",
    "boolean": "是/否",
    "choice": "选项值",
}

USAGE_WORDS = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))


def translate(text: str) -> str:
    """The Chinese for one of the parser's fixed strings (unchanged when unknown)."""
    return TEXT.get(text, text)


def _metavar(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return re.sub(r"<([A-Za-z ]+)>", lambda m: f"<{METAVARS.get(m.group(1).lower(), m.group(1))}>", value)


def install() -> None:
    """Put the Chinese strings in place (idempotent)."""
    import sys

    import typer.core

    if getattr(typer.core, "_jixiao_zh", False):
        return
    # typer ≥ 0.24 carries its own click (typer._click); click itself is patched only when an
    # older typer has imported it (importing it here would slow every start).
    names = ("click.core", "click.decorators", "click.exceptions", "click.formatting")
    for module in [sys.modules[n] for n in names if n in sys.modules] + [typer.core]:
        _translate_module(module)
    _vendored_click()
    params: tuple[Any, ...] = (typer.core.TyperArgument, typer.core.TyperOption)
    for cls in params:
        for attr in ("display_type", "display_type_rich", "make_metavar"):
            original_method = cls.__dict__.get(attr) or getattr(cls, attr, None)
            if original_method is None:
                continue

            def wrapped(self: Any, *args: Any, _m: Any = original_method, **kw: Any) -> Any:
                if getattr(self, "is_flag", False) and not getattr(self, "metavar", None):
                    return None  # a switch takes no value: no metavar to show
                return _metavar(_m(self, *args, **kw))

            setattr(cls, attr, wrapped)
    commands: tuple[Any, ...] = (typer.core.TyperCommand, typer.core.TyperGroup)
    for command in commands:
        original_usage = command.collect_usage_pieces

        def usage(self: Any, ctx: Any, _u: Any = original_usage) -> list[str]:
            pieces = _u(self, ctx)
            out = []
            for piece in pieces:
                for en, zh in USAGE_WORDS:
                    piece = piece.replace(en, zh)
                out.append(piece)
            return out

        command.collect_usage_pieces = usage
        # typer's rich help (and its panel titles) is imported only when help is shown: patch
        # it then, so that starting jixiao does not pay for rich's Markdown machinery.
        original_help = command.format_help

        def format_help(self: Any, ctx: Any, formatter: Any, _h: Any = original_help) -> None:
            _rich_utils()
            _h(self, ctx, formatter)

        command.format_help = format_help
    typer.core._jixiao_zh = True  # type: ignore[attr-defined]


def _translate_module(module: Any) -> None:
    original: Callable[[str], str] | None = getattr(module, "_", None)
    if callable(original) and not getattr(original, "_jixiao_zh", False):

        def zh(s: str, _o: Callable[[str], str] = original) -> str:
            return translate(_o(s))

        zh._jixiao_zh = True  # type: ignore[attr-defined]
        module._ = zh


def _rich_utils() -> None:
    """The panel titles and fixed strings of typer's rich help, in Chinese (once)."""
    import typer.rich_utils as ru

    if getattr(ru, "_jixiao_zh", False):
        return
    _translate_module(ru)
    for name in (
        "ARGUMENTS_PANEL_TITLE",
        "OPTIONS_PANEL_TITLE",
        "COMMANDS_PANEL_TITLE",
        "ERRORS_PANEL_TITLE",
        "ABORTED_TEXT",
        "REQUIRED_LONG_STRING",
        "DEFAULT_STRING",
        "ENVVAR_STRING",
        "DEPRECATED_STRING",
        "RICH_HELP",
    ):
        if hasattr(ru, name):
            setattr(ru, name, translate(getattr(ru, name)))
    ru._jixiao_zh = True  # type: ignore[attr-defined]


def _vendored_click() -> None:
    """typer carries its own copy of click (``typer._click``) with the strings written in."""
    try:
        import typer._click.decorators as decorators
        import typer._click.formatting as formatting
    except ImportError:  # an older typer uses click itself, handled above
        return
    option = decorators.option

    def zh_option(*args: Any, **kw: Any) -> Any:
        if isinstance(kw.get("help"), str):
            kw["help"] = translate(kw["help"])
        return option(*args, **kw)

    decorators.option = zh_option
    write_usage = formatting.HelpFormatter.write_usage

    def zh_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "用法：" if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = zh_usage  # type: ignore[method-assign]
