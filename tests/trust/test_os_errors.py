"""Operating-system errors reach the user in Chinese, with the file, and never as a crash."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.errors import UsageError, os_reason
from jixiao.write.files import write_atomically


def test_reasons_are_chinese():
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间不足"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"


def test_a_full_disk_is_said_in_chinese(tmp_path: Path):
    def writer(path: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(UsageError, match="磁盘空间不足"):
        write_atomically(tmp_path / "out.xlsx", writer)


def test_an_unreadable_framework_file_is_a_message_not_a_crash(tmp_path: Path, capsys, monkeypatch):
    from jixiao.framework import load

    def refuse(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    framework = tmp_path / "f.yaml"
    framework.write_text("id: x\n", encoding="utf-8")
    monkeypatch.setattr(load.Path, "open", refuse)  # the framework is read through Path.open
    code = main(["frameworks", "show", str(framework)])
    err = capsys.readouterr().err
    assert code == 2 and "没有权限" in err and "内部错误" not in err
