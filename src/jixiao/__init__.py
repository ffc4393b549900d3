"""jixiao: score Chinese government performance self-evaluations (绩效自评) exactly.

The front door, for notebooks and scripts::

    import jixiao
    ev = jixiao.score("sheets/shaoguan-2023-kexie.xlsx")   # <Evaluation shaoguan-2023 98.81/100 优>
    ev.to_frame()                                          # one row per indicator (pandas)
    ev.write("结果.xlsx")

Importing ``jixiao`` is cheap: the scoring code (and pandas, openpyxl) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jixiao._version import __version__

if TYPE_CHECKING:
    from jixiao.api import Evaluation, load_framework, review, score, score_batch, verify

__all__ = ["Evaluation", "__version__", "load_framework", "review", "score", "score_batch", "verify"]

_LAZY = {"Evaluation", "load_framework", "review", "score", "score_batch", "verify"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from jixiao import api

        return getattr(api, name)
    raise AttributeError(f"module 'jixiao' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)
