"""Scoring rules (计分规则): evaluate them on a sheet's figures, describe them, recognise them in text."""

from jixiao.rules.describe import describe_rule
from jixiao.rules.evaluate import RuleInputs, RuleOutcome, evaluate
from jixiao.rules.recognize import recognize_rule

__all__ = ["RuleInputs", "RuleOutcome", "describe_rule", "evaluate", "recognize_rule"]
