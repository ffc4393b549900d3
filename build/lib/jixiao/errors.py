"""The project's exceptions: one hierarchy, each carrying a message fit for a user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose; its message is shown to the user."""

    exit_code = 2


class UsageError(JixiaoError):
    """The command was called wrongly (missing file, bad option, refusing to overwrite)."""

    exit_code = 2


@dataclass(frozen=True)
class FrameworkProblem:
    """One problem found in a framework file, at a dotted path such as ``indicators[1].points``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FrameworkError(JixiaoError):
    """A framework file is missing, unreadable or inconsistent; lists every problem found."""

    exit_code = 2

    def __init__(self, source: str | Path, problems: Sequence[FrameworkProblem]):
        self.source = str(source)
        self.problems = list(problems)
        lines = [f"框架文件 {self.source} 有 {len(self.problems)} 个问题："]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class SheetError(JixiaoError):
    """A sheet cannot be read at all (not a workbook, no header, no framework matches)."""

    exit_code = 1

    def __init__(self, source: str | Path, message: str):
        self.source = str(source)
        self.detail = message
        super().__init__(f"{self.source}：{message}")
