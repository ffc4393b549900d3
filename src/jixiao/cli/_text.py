"""Text from a sheet, a framework or a report, made safe to print.

Such text is never rich markup and never carries a raw control character: :func:`shown` makes
control characters visible (ESC → ␛) for plain ``print``; :func:`markup` also escapes rich markup
for a string that rich parses (``console.print``, table cells, tree labels).
"""

from __future__ import annotations

from rich.markup import escape

from jixiao.read.grid import visible


def shown(text: object) -> str:
    """``text`` with control characters shown as visible symbols."""
    return visible(str(text))


def markup(text: object) -> str:
    """``text`` safe inside rich markup: control characters visible, "[" escaped."""
    return escape(visible(str(text)))
