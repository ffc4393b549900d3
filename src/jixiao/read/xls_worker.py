"""One contained worker process per jixiao process for reading .xls files, reused file after file.

Starting a Python child for every .xls cost about 40 ms (interpreter start and imports) — more
than reading the file. The worker (:mod:`jixiao.read.xls_child`, run as text, importing only
xlrd) now stays up and reads file after file, so a batch of .xls pays the start once. Every
bound stays per file:

- **memory**: the worker limits its own address space (``RLIMIT_AS``) before it reads anything,
  and retires after any file that left it larger than ``xls_child.RETIRE_BYTES``, so each file
  starts with nearly the whole budget;
- **time**: each request has its own deadline; a worker past it is killed and reported for
  that file only;
- **death**: a worker that dies (a signal, an abort, the memory limit) is reported for the file
  it was reading, with its exit status and what it printed; the next file starts a new worker.

The worker belongs to the process that started it: a forked child (a ``--jobs`` pool, the web
app's workers) starts its own and closes the pipes it inherited. It exits when its parent goes
(EOF on its stdin) or after ``xls_child.IDLE_SECONDS`` without a request.
"""

from __future__ import annotations

import atexit
import datetime
import io
import os
import pickle
import selectors
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any, ClassVar

from jixiao.read import xls_child


class WorkerTimeout(Exception):
    """The worker did not answer within the file's time limit (it has been killed)."""


class WorkerDied(Exception):
    """The worker ended while reading a file: ``how`` (signal or exit status) and its output."""

    def __init__(self, returncode: int, output: str) -> None:
        super().__init__(returncode, output)
        self.returncode = returncode
        self.output = output


class WorkerBroken(Exception):
    """The worker's reply was not what it sends (it has been killed); the reason as text."""


class _Unpickler(pickle.Unpickler):
    """Only plain data and dates come back from the worker; anything else is refused."""

    _ALLOWED: ClassVar[set[tuple[str, str]]] = {
        ("datetime", n) for n in ("datetime", "date", "time", "timedelta")
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} from the .xls worker")


_SOURCE = Path(xls_child.__file__).read_text(encoding="utf-8")


class XlsWorker:
    """A reusable worker process that reads .xls files, bounded per file in memory and time."""

    def __init__(self, memory_limit: int) -> None:
        self.memory_limit = memory_limit
        self.owner = os.getpid()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._stderr_seen = 0
        self._last_used = 0.0
        self.started = 0  # how many processes this object has started (measured by the bench)

    # -- process ------------------------------------------------------------------------------

    def _start(self) -> subprocess.Popen[bytes]:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - kept while the worker lives
        self._stderr_seen = 0
        self._proc = subprocess.Popen(
            [sys.executable, "-P", "-c", _SOURCE, str(int(self.memory_limit))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.started += 1
        return self._proc

    def _stop(self, *, kill: bool) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        if kill and proc.poll() is None:
            proc.kill()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()

    def close(self) -> None:
        """End the worker (it also ends by itself when this process goes)."""
        self._stop(kill=False)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _new_output(self) -> str:
        """What the worker printed to stderr since last asked."""
        if self._stderr is None:
            return ""
        self._stderr.seek(self._stderr_seen)
        data = self._stderr.read()
        self._stderr_seen += len(data)
        return data.decode("utf-8", "replace").strip()

    # -- one request ---------------------------------------------------------------------------

    def read(self, path: Path, max_cells: int, timeout: float) -> dict[str, Any]:
        """The worker's reply for one file (see :mod:`jixiao.read.xls_child`)."""
        idle_for = time.monotonic() - self._last_used
        gone = self._proc is not None and self._proc.poll() is not None
        if self._proc is not None and (gone or idle_for > xls_child.IDLE_SECONDS / 2):
            self._stop(kill=False)  # it left (or is about to leave) while idle: no file was lost
        for attempt in (1, 2):
            fresh = self._proc is None
            proc = self._proc or self._start()
            try:
                reply = self._exchange(proc, (str(path), max_cells), timeout)
            except _Gone:
                status = self._stop(kill=True)
                if status == xls_child._IDLE_EXIT and not fresh and attempt == 1:
                    continue  # it had just timed out idle when the request arrived: ask a new one
                output = self._new_output()
                raise WorkerDied(status if status is not None else -9, output) from None
            except WorkerTimeout:
                self._stop(kill=True)
                raise
            except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as e:
                self._stop(kill=True)  # it sent what it never sends: do not trust it again
                raise WorkerBroken(f"{type(e).__name__}: {e}"[:300]) from e
            self._last_used = time.monotonic()
            output = self._new_output()
            if output:
                print(output[-2000:], file=sys.stderr)  # what the reader printed is never hidden
            if reply.pop("retire", False):
                self._stop(kill=False)
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _exchange(proc: subprocess.Popen[bytes], request: Any, timeout: float) -> dict[str, Any]:
        assert proc.stdin is not None and proc.stdout is not None
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            proc.stdin.write(struct.pack(">I", len(data)) + data)
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _Gone from None
        deadline = time.monotonic() + timeout
        fd = proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)

            def take(size: int) -> bytes:
                chunks: list[bytes] = []
                left = size
                while left:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or not sel.select(remaining):
                        raise WorkerTimeout
                    chunk = os.read(fd, min(left, 1 << 20))
                    if not chunk:
                        raise _Gone
                    chunks.append(chunk)
                    left -= len(chunk)
                return b"".join(chunks)

            size = struct.unpack(">I", take(4))[0]
            body = take(size)
        reply = _Unpickler(io.BytesIO(body)).load()
        if not isinstance(reply, dict):
            raise pickle.UnpicklingError("the .xls worker sent no reply dict")
        return reply


class _Gone(Exception):
    """The worker's pipes closed: it has exited."""


_lock = threading.Lock()
_worker: XlsWorker | None = None


def read_xls(path: Path, max_cells: int, *, memory_limit: int, timeout: float) -> dict[str, Any]:
    """Read one .xls in this process's worker (started on first use, restarted after a death)."""
    global _worker
    with _lock:  # one request at a time per worker; a second thread waits its turn
        if _worker is None or _worker.owner != os.getpid() or _worker.memory_limit != memory_limit:
            if _worker is not None and _worker.owner == os.getpid():
                _worker.close()
            _worker = XlsWorker(memory_limit)
        return _worker.read(path, max_cells, timeout)


def shutdown() -> None:
    """End this process's worker, if it has one (also run at exit)."""
    global _worker
    with _lock:
        if _worker is not None and _worker.owner == os.getpid():
            _worker.close()
        _worker = None


def _forget_after_fork() -> None:
    # The forked child must not keep the parent's pipes open (the worker would then outlive the
    # parent until its idle timeout) nor talk to the parent's worker.
    global _worker, _lock
    _lock = threading.Lock()
    inherited, _worker = _worker, None
    if inherited is not None and inherited._proc is not None:
        for stream in (inherited._proc.stdin, inherited._proc.stdout):
            try:
                if stream is not None:
                    stream.close()  # this process's copy of the pipe; the parent keeps its own
            except (OSError, ValueError):
                pass
        inherited._proc = None


atexit.register(shutdown)
if hasattr(os, "register_at_fork"):  # POSIX; elsewhere there is no fork to guard against
    os.register_at_fork(after_in_child=_forget_after_fork)
