"""Authoring frameworks the way finance bureaus publish them.

``import_table`` turns an Excel 指标体系表 into a framework, ``build_table`` /
``write_table`` write the reverse, ``diff_frameworks`` says what changed between two
frameworks, and ``framework_schema`` is the JSON Schema of framework files.

The names are loaded on first use: importing a table must not pay for openpyxl (and the numpy
it pulls in), which only the export writes with.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and readers
    from jixiao.authoring.diff import Change, diff_frameworks
    from jixiao.authoring.exporter import build_table, write_table
    from jixiao.authoring.importer import ImportOptions, ImportResult, import_table
    from jixiao.authoring.schema import framework_schema
    from jixiao.authoring.yamlout import dump_framework

_WHERE = {
    "Change": "diff",
    "diff_frameworks": "diff",
    "build_table": "exporter",
    "write_table": "exporter",
    "ImportOptions": "importer",
    "ImportResult": "importer",
    "import_table": "importer",
    "framework_schema": "schema",
    "dump_framework": "yamlout",
}

__all__ = [
    "Change",
    "ImportOptions",
    "ImportResult",
    "build_table",
    "diff_frameworks",
    "dump_framework",
    "framework_schema",
    "import_table",
    "write_table",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"jixiao.authoring.{module}"), name)
    globals()[name] = value
    return value
