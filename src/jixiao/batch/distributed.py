"""Batch scoring past one machine, on Dask's distributed scheduler (the ``jixiao[dask]`` extra).

The files are cut into small chunks; each chunk is one Dask task that runs
:func:`jixiao.batch.run.score_one` on a worker and returns the same small, picklable
:class:`~jixiao.batch.run.FileOutcome` s a serial run gives. Outcomes are yielded in the order of
the inputs, whatever order the workers finish in, and only a bounded window of chunks is in
flight, so millions of files never sit in the scheduler at once.

Inputs are local paths (which every worker must see at the same place: a shared file system)
or fsspec URLs (``s3://…``, ``gcs://…``, ``file://…``) that the worker opens itself; a URL's
outcome keeps the URL as its path. The frameworks are loaded here, on the client, and sent to
the workers once, so a framework file or ``$JIXIAO_FRAMEWORKS`` folder need not exist there.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from jixiao.batch.run import FileOutcome, score_one
from jixiao.errors import UsageError
from jixiao.framework.load import LoadedFramework, load_all, load_framework

if TYPE_CHECKING:
    from distributed import Client

CHUNK = 16  # files per task: enough to hide the scheduler's per-task cost (about 1 ms)
WINDOW = 64  # chunks per worker thread in flight at once


def is_url(ref: object) -> bool:
    """True for an fsspec URL such as ``s3://bucket/a.xlsx`` (not a Windows drive like ``C:\\``)."""
    text = str(ref)
    scheme, sep, _ = text.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.replace("+", "").replace("-", "").isalnum()


def connect(scheduler: str | Client) -> tuple[Client, bool]:
    """A client for ``scheduler`` (``tcp://host:8786``, or a client) and whether it is ours to close."""
    try:
        from distributed import Client
    except ImportError as e:
        raise UsageError("分布式评分需要安装可选依赖：pip install 'jixiao[dask]'") from e
    if isinstance(scheduler, Client):
        return scheduler, False
    if not isinstance(scheduler, str) or "://" not in scheduler:
        raise UsageError(f"--scheduler 应为调度器地址，如 tcp://主机:8786，收到 {scheduler!r}")
    try:
        return Client(scheduler, set_as_default=False, timeout=30), True
    except OSError as e:
        raise UsageError(f"无法连接 Dask 调度器 {scheduler}：{e}") from e


def iter_distributed(
    paths: Sequence[Path | str],
    framework: str | Path | LoadedFramework | None,
    scheduler: str | Client,
    *,
    chunk: int = CHUNK,
) -> Iterator[FileOutcome]:
    """Score ``paths`` on a Dask cluster; one outcome per path, in the order of ``paths``."""
    chosen = (
        framework
        if isinstance(framework, LoadedFramework) or framework is None
        else load_framework(framework)
    )
    pool = None if chosen is not None else load_all()
    client, ours = connect(scheduler)
    try:
        # Sent once per worker, not once per task.
        [shared] = client.scatter([(chosen, pool)], broadcast=True, hash=False)
        chunks = [list(paths[i : i + chunk]) for i in range(0, len(paths), chunk)]
        threads = sum(client.nthreads().values()) or 1
        window: deque[Any] = deque()
        todo: Iterator[list[Path | str] | None] = iter(chunks)
        for part in todo:
            window.append(client.submit(_score_chunk, part, shared, pure=False))
            if len(window) >= threads * WINDOW:
                break
        while window:
            yield from window.popleft().result()
            part = next(todo, None)
            if part is not None:
                window.append(client.submit(_score_chunk, part, shared, pure=False))
    finally:
        if ours:
            client.close()


def _score_chunk(
    part: list[Path | str], shared: tuple[LoadedFramework | None, list[LoadedFramework] | None]
) -> list[FileOutcome]:
    chosen, pool = shared
    return [_score_ref(ref, chosen, pool) for ref in part]


def _score_ref(
    ref: Path | str, chosen: LoadedFramework | None, pool: list[LoadedFramework] | None
) -> FileOutcome:
    if not is_url(ref):
        return score_one(Path(ref), chosen, frameworks=pool)
    try:
        import fsspec

        with fsspec.open(str(ref), "rb") as fh:
            data = fh.read()
    except Exception as e:  # a missing object or a refused credential is this file's error
        return FileOutcome(path=str(ref), error=f"无法读取 {ref}：{type(e).__name__}: {e}")
    name = PurePosixPath(str(ref).split("://", 1)[1]).name or "input"
    with tempfile.TemporaryDirectory(prefix="jixiao-") as tmp:
        local = Path(tmp) / name
        local.write_bytes(data)
        outcome = score_one(local, chosen, frameworks=pool)
    error = outcome.error.replace(str(local), str(ref)) if outcome.error else None
    return replace(outcome, path=str(ref), error=error)
