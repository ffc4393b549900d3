"""Authoring frameworks the way finance bureaus publish them.

``import_table`` turns an Excel 指标体系表 into a framework, ``build_table`` /
``write_table`` write the reverse, ``diff_frameworks`` says what changed between two
frameworks, and ``framework_schema`` is the JSON Schema of framework files.
"""

from jixiao.authoring.diff import Change, diff_frameworks
from jixiao.authoring.exporter import build_table, write_table
from jixiao.authoring.importer import ImportOptions, ImportResult, import_table
from jixiao.authoring.schema import framework_schema
from jixiao.authoring.yamlout import dump_framework

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
