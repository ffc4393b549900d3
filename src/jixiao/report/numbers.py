"""How the report writes the calculator's figures: no rounding here, only presentation.

The published reports write figures without trailing zeros (98.5, 53.5, 99.07, 100); tables
may instead show the calculator's two decimals (98.50). Both forms start from a Decimal the
calculator already rounded with :func:`jixiao.values.quantize`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from jixiao.values import plain

NumberStyle = Literal["plain", "fixed"]
STYLES: tuple[str, ...] = ("plain", "fixed")


def fixed(value: Decimal, places: int) -> str:
    """The figure with exactly ``places`` decimals (23 → 23.00), as the calculator shows it."""
    from jixiao.values import quantize

    # quantize only pads here: the value already carries at most ``places`` decimals.
    return format(quantize(value, places), "f")


def figure(value: Decimal | None, style: str, places: int, missing: str = "—") -> str:
    """A figure in the given style, or ``missing`` when there is none."""
    if value is None:
        return missing
    return fixed(value, places) if style == "fixed" else plain(value)
