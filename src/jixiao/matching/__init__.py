"""Matching: a sheet's rows → the indicator tree the calculator takes, plus findings."""

from jixiao.matching.matcher import match
from jixiao.matching.tree import Match, NodeInput, Reported

__all__ = ["Match", "NodeInput", "Reported", "match"]
