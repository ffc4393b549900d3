"""The one place ``auditing/`` imports the rest of jixiao from (the workbook writer aside).

Keeping these in one module keeps the package easy to move: the errors, the findings
catalogue, value parsing and the one rounding rule, and the framework loader (imported only
when ``-f`` is given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.errors import SheetError
from jixiao.findings import CATALOGUE, Finding, Position
from jixiao.values import NotANumber, decimals_of, name_key, nfkc, parse_decimal, plain, quantize, split_label


def load_framework(ref: str | Path) -> Any:
    """The checked framework model for an id or YAML path (``jixiao.framework.load``)."""
    from jixiao.framework.load import load_framework as load

    return load(ref).framework


__all__ = [
    "CATALOGUE",
    "Finding",
    "NotANumber",
    "Position",
    "SheetError",
    "decimals_of",
    "load_framework",
    "name_key",
    "nfkc",
    "parse_decimal",
    "plain",
    "quantize",
    "split_label",
]
