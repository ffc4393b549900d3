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


_OS_REASONS = {
    "EACCES": "没有权限",
    "EPERM": "操作不被允许（没有权限）",
    "ENOENT": "文件或文件夹不存在",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EROFS": "这是只读的磁盘或文件夹",
    "EISDIR": "这是一个文件夹，不是文件",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EEXIST": "文件已存在",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "ENAMETOOLONG": "文件名太长",
    "EMFILE": "同时打开的文件太多",
    "EIO": "读写磁盘出错",
    "EXDEV": "不能跨磁盘移动文件",
}


def os_reason(e: OSError) -> str:
    """An operating-system error in Chinese ("没有权限"), with the system's words as a fallback."""
    import errno

    name = errno.errorcode.get(e.errno or -1, "")
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    if isinstance(e, PermissionError):
        return _OS_REASONS["EACCES"]
    if isinstance(e, FileNotFoundError):
        return _OS_REASONS["ENOENT"]
    return f"系统错误：{e.strerror or e}"
