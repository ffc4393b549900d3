"""Safe output files: never over an input, never half-written, never over a file without --force."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from jixiao.errors import UsageError, os_reason


def check_output(out: Path, inputs: Iterable[Path], *, force: bool) -> None:
    """Refuse an output path that is an input, or an existing file without ``force``.

    An input may be a folder being scanned: an existing file inside it is one of the sheets
    being read, so writing over it is refused as well, ``--force`` or not. The one exception is
    a workbook jixiao wrote itself (an earlier summary), which a batch skips anyway.
    """
    target = out.resolve()
    for source in inputs:
        if source.exists() and out.exists() and os.path.samefile(out, source):
            raise UsageError(f"输出文件 {out} 就是输入文件，拒绝覆盖输入文件（--force 也不行）")
        if target == source.resolve():
            raise UsageError(f"输出文件 {out} 就是输入文件，拒绝覆盖输入文件（--force 也不行）")
        if source.is_dir() and out.is_file() and _inside(target, source.resolve()):
            from jixiao.read.mark import is_jixiao_output

            if not is_jixiao_output(out):
                raise UsageError(
                    f"输出文件 {out} 是正在读取的文件夹 {source} 里的一个文件，"
                    "拒绝覆盖输入文件（--force 也不行）；请换一个文件名或写到别的文件夹"
                )
    if out.exists() and not force:
        raise UsageError(f"输出文件 {out} 已存在；如需覆盖请加 --force")
    if out.exists() and out.is_dir():
        raise UsageError(f"输出路径 {out} 是一个文件夹")
    if not out.parent.exists():
        raise UsageError(f"输出文件夹 {out.parent} 不存在")


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``; moved into place only if the block succeeds.

    The temporary file is flushed to disk before the rename, so after a crash or a kill there
    is either the old file or the complete new one under ``out`` (at worst a hidden
    ``.NAME.*.tmp`` file is left beside it).
    """
    # A name that does not exist yet is created exclusively (a hard link fails if another
    # writer got there first): four writers to one -o without --force do not all succeed.
    exclusive = not os.path.lexists(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _sync(tmp_path)
        os.chmod(tmp_path, _default_mode())  # mkstemp makes it 0600; give the usual mode
        if exclusive:
            _link_exclusively(tmp_path, out)
        else:
            os.replace(tmp_path, out)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _link_exclusively(tmp: Path, out: Path) -> None:
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise UsageError(f"输出文件 {out} 已被另一个进程写出；如需覆盖请加 --force") from None
    except OSError:  # a file system without hard links: reserve the name, then move into it
        try:
            os.close(os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            raise UsageError(f"输出文件 {out} 已被另一个进程写出；如需覆盖请加 --force") from None
        os.replace(tmp, out)


def write_atomically(out: Path, writer: Callable[[Path], None]) -> None:
    """Call ``writer`` on a temporary file, then move it to ``out`` in one step.

    A failure of the file system (disk full, no permission) becomes a :class:`UsageError`
    saying that the existing file, if any, is unchanged.
    """
    try:
        with atomic_path(out) as tmp:
            writer(tmp)
    except OSError as e:
        _collect_quietly(e)
        raise UsageError(f"无法写出输出文件 {out}（{os_reason(e)}）；已有的同名文件（如有）未被改动") from e


def _collect_quietly(error: BaseException) -> None:
    """Collect what a failed writer left open, without the interpreter's "Exception ignored".

    openpyxl leaves its ZipFile open when the disk fills; collected later, ZipFile.__del__ tries
    to write the central directory again and prints a traceback after jixiao's message.
    """
    import gc
    import sys
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(error.__traceback__)  # the writer's frames hold the open ZipFile
        gc.collect()
    finally:
        sys.unraisablehook = hook


def safe_csv_text(value: object) -> str:
    """A cell for a CSV file: text starting with = + - @ (or tab/CR) gets a leading apostrophe.

    Spreadsheet programs run such a cell as a formula when they open a CSV (OWASP "CSV
    injection"); the apostrophe makes them show it as text.
    """
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text[:1] in _FORMULA_START else text


_FORMULA_START = frozenset("=+-@\t\r")


def _sync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
