"""Frameworks as data: the models, loading with every problem listed, and the shipped files."""

from jixiao.framework.load import LoadedFramework, framework_files, load_all, load_framework, parse_framework
from jixiao.framework.models import Framework, GradeBand, Indicator

__all__ = [
    "Framework",
    "GradeBand",
    "Indicator",
    "LoadedFramework",
    "framework_files",
    "load_all",
    "load_framework",
    "parse_framework",
]
