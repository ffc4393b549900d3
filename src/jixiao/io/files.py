"""Safe output files: never over an input, never half-written, never over a file without --force."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from jixiao.errors import UsageError


def check_output(out: Path, inputs: Iterable[Path], *, force: bool) -> None:
    """Refuse an output path that is an input file, or an existing file without ``force``."""
    for source in inputs:
        if source.exists() and out.exists() and os.path.samefile(out, source):
            raise UsageError(f"输出文件 {out} 就是输入文件，拒绝覆盖输入文件")
        if out.resolve() == source.resolve():
            raise UsageError(f"输出文件 {out} 就是输入文件，拒绝覆盖输入文件")
    if out.exists() and not force:
        raise UsageError(f"输出文件 {out} 已存在；如需覆盖请加 --force")
    if out.exists() and out.is_dir():
        raise UsageError(f"输出路径 {out} 是一个文件夹")
    if not out.parent.exists():
        raise UsageError(f"输出文件夹 {out.parent} 不存在")


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``; moved into place only if the block succeeds."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, out)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomically(out: Path, writer: Callable[[Path], None]) -> None:
    """Call ``writer`` on a temporary file, then move it to ``out`` in one step."""
    with atomic_path(out) as tmp:
        writer(tmp)
