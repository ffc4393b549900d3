"""Outputs: created exclusively without --force; a full disk prints one message, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jixiao.errors import UsageError
from jixiao.write.files import write_atomically


def test_a_writer_that_loses_the_race_does_not_overwrite(tmp_path):
    out = tmp_path / "r.xlsx"

    def writer(tmp):
        tmp.write_bytes(b"mine")
        out.write_bytes(b"theirs")  # another jixiao finished first, between check and rename

    with pytest.raises(UsageError, match="另一个进程"):
        write_atomically(out, writer)
    assert out.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]  # no temporary file left


def test_an_existing_file_is_replaced_when_forced(tmp_path):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old")
    write_atomically(out, lambda tmp: tmp.write_bytes(b"new"))  # the caller checked --force
    assert out.read_bytes() == b"new"


FULL_DISK = r"""
import errno, io, sys, zipfile
from pathlib import Path
from jixiao.errors import UsageError
from jixiao.write.files import write_atomically

class Full(io.RawIOBase):
    def writable(self): return True
    def seekable(self): return False
    def write(self, b): raise OSError(errno.ENOSPC, "No space left on device")

def writer(tmp):
    zf = zipfile.ZipFile(Full(), "w")  # left open, as openpyxl leaves it
    zf.writestr("a.xml", "x" * 100)

try:
    write_atomically(Path(sys.argv[1]), writer)
except UsageError as e:
    print(e, file=sys.stderr)
"""


def test_a_full_disk_prints_no_zipfile_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path / "r.xlsx")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "无法写出输出文件" in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
