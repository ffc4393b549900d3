"""Data models: the framework (indicator tree, grade bands) and scoring results."""

from jixiao.model.framework import (
    BonusLimits,
    ChildrenFromSheet,
    Framework,
    GradeBand,
    Indicator,
    Provenance,
    Source,
)

__all__ = [
    "BonusLimits",
    "ChildrenFromSheet",
    "Framework",
    "GradeBand",
    "Indicator",
    "Provenance",
    "Source",
]
