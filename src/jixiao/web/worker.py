"""Run one engine job in its own worker process, with a time limit and a memory limit.

A hostile upload can make a reader loop, eat memory or crash the interpreter; it can only do so
in a worker. The server waits at most ``timeout`` seconds, then kills the worker and answers
with a message. Workers are forked from a forkserver that has the scoring code already
imported, so a job starts in a few milliseconds. At most ``slots`` jobs run at once; later ones
wait their turn.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.web import engine

_ENV_FRAMEWORKS = "JIXIAO_FRAMEWORKS"


class JobFailed(Exception):
    """A job did not produce a result: its Chinese message, HTTP status and codes."""

    def __init__(self, message: str, status: int = 422, codes: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.status = status
        self.codes = codes


@dataclass(frozen=True)
class Staged:
    """A stored file to put in front of a job under a display name (never a path from a request)."""

    blob: Path
    name: str


@contextmanager
def staged_files(files: list[Staged]) -> Any:
    """Copy blobs into a private temp dir under their (sanitised) names; removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-job-"))
    try:
        paths = []
        for i, f in enumerate(files):
            folder = tmp / str(i)
            folder.mkdir()
            target = folder / f.name
            shutil.copyfile(f.blob, target)
            paths.append(target)
        yield paths
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _child(
    conn: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], limits: dict[str, Any]
) -> None:
    try:
        memory = limits.get("memory_mb")
        if memory:
            import resource

            cap = int(memory) << 20
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if limits.get("frameworks_dir"):
            os.environ[_ENV_FRAMEWORKS] = str(limits["frameworks_dir"])
        result = getattr(engine, name)(*args, **kwargs)
        conn.send(("ok", result))
    except JixiaoError as e:
        conn.send(("error", (getattr(e, "detail", None) or str(e), type(e).__name__)))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as e:  # a bug: the server reports it and goes on
        conn.send(("bug", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


class Workers:
    """Runs engine functions in worker processes, ``slots`` at a time."""

    def __init__(
        self,
        *,
        slots: int = 2,
        timeout: float = 60.0,
        memory_mb: int | None = 2048,
        frameworks_dir: Path | None = None,
    ):
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            self._ctx.set_forkserver_preload(list(engine.PRELOAD))
        self._slots = threading.BoundedSemaphore(max(1, slots))
        self.timeout = timeout
        self.limits = {"memory_mb": memory_mb, "frameworks_dir": str(frameworks_dir or "")}

    def call(self, name: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Run ``engine.<name>(*args, **kwargs)`` in a worker; raise :class:`JobFailed` on failure."""
        limit = self.timeout if timeout is None else timeout
        with self._slots:
            parent, child = self._ctx.Pipe(duplex=False)
            proc = self._ctx.Process(  # type: ignore[attr-defined]
                target=_child, args=(child, name, args, kwargs, self.limits), daemon=True
            )
            proc.start()
            child.close()
            try:
                if not parent.poll(limit):
                    raise JobFailed(
                        f"处理超过 {limit:g} 秒仍未完成，已停止。"
                        "文件可能过大或已损坏，请检查后另存为 .xlsx 再试",
                        504,
                        ("worker-timeout",),
                    )
                try:
                    status, payload = parent.recv()
                except (EOFError, OSError):
                    raise JobFailed(
                        "处理该文件时工作进程意外退出（文件可能已损坏或是恶意构造的）；其他功能不受影响",
                        500,
                        ("worker-crashed",),
                    ) from None
            finally:
                parent.close()
                if proc.is_alive():
                    proc.kill()
                proc.join(5)
        if status == "ok":
            return payload
        if status == "error":
            message, kind = payload
            code = {"SheetError": "sheet-unreadable", "FrameworkError": "framework-invalid"}.get(
                kind, "usage"
            )
            raise JobFailed(message, 422, (code,))
        if status == "memory":
            raise JobFailed("文件解开后太大，超出内存上限，未能处理", 413, ("worker-memory",))
        raise JobFailed(f"jixiao 内部错误（请报告）：{payload}", 500, ("internal-error",))
