"""The .xls worker is reused file after file, and every bound still holds for each file.

A file that kills the worker, takes too long or needs too much memory is reported for that
file alone; the next file gets a new worker. The deaths here are made by the worker's own code
(an abort when it meets one file), standing in for a parser that dies inside native code, as
calamine did on a looping OLE chain.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest

from jixiao.errors import SheetError
from jixiao.read import dispatch, legacy, xls_worker
from tests.builders import shaoguan_sheet

KILLER = """
_real_read = read


def read(path, max_cells):
    if path.endswith("kills.xls"):
        os.abort()  # the process dies in the middle of this file
    return _real_read(path, max_cells)


if __name__ == "__main__":"""


def _with_killer() -> str:
    return xls_worker._SOURCE.replace('\n\nif __name__ == "__main__":', KILLER)


@pytest.fixture(scope="module")
def xls(tmp_path_factory, soffice) -> Path:
    from tests.conftest import convert_with_soffice

    folder = tmp_path_factory.mktemp("xlsw")
    return convert_with_soffice(soffice, shaoguan_sheet(folder / "sg.xlsx"), "xls", folder)


@pytest.fixture(autouse=True)
def fresh_worker():
    xls_worker.shutdown()
    yield
    xls_worker.shutdown()


def _copies(xls: Path, folder: Path, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    out = []
    for name in names:
        shutil.copyfile(xls, folder / name)
        out.append(folder / name)
    return out


def _started() -> int:
    assert xls_worker._worker is not None
    return xls_worker._worker.started


def test_one_worker_reads_many_files(xls, tmp_path):
    for path in _copies(xls, tmp_path / "in", "a.xls", "b.xls", "c.xls"):
        [grid] = dispatch.load_grids(path)
        assert grid.value(3, 4) == 22.31
    assert _started() == 1


def test_a_file_that_kills_the_worker_is_reported_alone(xls, tmp_path, monkeypatch):
    monkeypatch.setattr(xls_worker, "_SOURCE", _with_killer())
    good, bad, after = _copies(xls, tmp_path / "in", "a.xls", "kills.xls", "z.xls")
    dispatch.load_grids(good)
    with pytest.raises(SheetError) as info:
        dispatch.load_grids(bad)
    message = str(info.value)
    assert "kills.xls" in message and "异常退出" in message and "SIGABRT" in message, message
    [grid] = dispatch.load_grids(after)
    assert grid.value(3, 4) == 22.31
    assert _started() == 2


def test_a_batch_goes_on_past_a_file_that_kills_the_worker(xls, tmp_path, monkeypatch):
    from jixiao.batch.run import iter_outcomes

    monkeypatch.setattr(xls_worker, "_SOURCE", _with_killer())
    paths = _copies(xls, tmp_path / "in", "a.xls", "kills.xls", "z.xls")
    outcomes = list(iter_outcomes(paths, "shaoguan-2023"))
    assert [(Path(o.path).name, o.total is not None) for o in outcomes] == [
        ("a.xls", True),
        ("kills.xls", False),
        ("z.xls", True),
    ]
    assert "异常退出" in (outcomes[1].error or "")


def test_the_time_limit_is_per_file(xls, tmp_path, monkeypatch):
    first, second = _copies(xls, tmp_path / "in", "a.xls", "b.xls")
    monkeypatch.setattr(legacy, "XLS_TIMEOUT", 0)
    with pytest.raises(SheetError) as info:
        dispatch.load_grids(first)
    assert "超过 0 秒" in str(info.value)
    monkeypatch.setattr(legacy, "XLS_TIMEOUT", 60)
    [grid] = dispatch.load_grids(second)  # a new worker, its own 60 s
    assert grid.value(3, 4) == 22.31
    assert _started() == 2


def test_the_memory_limit_is_per_file(xls, tmp_path, monkeypatch):
    first, second = _copies(xls, tmp_path / "in", "a.xls", "b.xls")
    monkeypatch.setattr(legacy, "XLS_MEMORY_LIMIT", 8 << 20)  # too little to import the parser
    with pytest.raises(SheetError) as info:
        dispatch.load_grids(first)
    assert "内存上限" in str(info.value)
    monkeypatch.undo()
    [grid] = dispatch.load_grids(second)
    assert grid.value(3, 4) == 22.31


def test_a_worker_that_grew_retires_after_its_file(xls, tmp_path, monkeypatch):
    source = xls_worker._SOURCE.replace("RETIRE_BYTES = 512 << 20", "RETIRE_BYTES = 0")
    monkeypatch.setattr(xls_worker, "_SOURCE", source)
    for path in _copies(xls, tmp_path / "in", "a.xls", "b.xls", "c.xls"):
        dispatch.load_grids(path)
    assert _started() == 3  # each file began with the whole budget


def test_a_worker_gone_between_files_loses_no_file(xls, tmp_path):
    first, second = _copies(xls, tmp_path / "in", "a.xls", "b.xls")
    dispatch.load_grids(first)
    proc = xls_worker._worker._proc  # type: ignore[union-attr]
    assert proc is not None
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait()
    [grid] = dispatch.load_grids(second)
    assert grid.value(3, 4) == 22.31


def _read_in_child(path: str, queue) -> None:  # runs in a forked process
    [grid] = dispatch.load_grids(Path(path))
    queue.put((grid.value(3, 4), xls_worker._worker.started, xls_worker._worker.owner == os.getpid()))


def test_a_forked_process_starts_its_own_worker(xls, tmp_path):
    first, second, third = _copies(xls, tmp_path / "in", "a.xls", "b.xls", "c.xls")
    dispatch.load_grids(first)
    parent_proc = xls_worker._worker._proc  # type: ignore[union-attr]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_read_in_child, args=(str(second), queue))
    child.start()
    child.join(120)
    assert queue.get(timeout=5) == (22.31, 1, True)
    dispatch.load_grids(third)
    assert xls_worker._worker._proc is parent_proc  # type: ignore[union-attr]
    assert _started() == 1


def test_a_batch_with_jobs_reads_xls_in_each_process(xls, tmp_path):
    from jixiao.batch.run import iter_outcomes

    dispatch.load_grids(xls)  # this process has a worker too: the pool's processes must not use it
    paths = _copies(xls, tmp_path / "in", "a.xls", "b.xls", "c.xls", "d.xls")
    outcomes = list(iter_outcomes(paths, "shaoguan-2023", jobs=2))
    assert [(Path(o.path).name, str(o.total)) for o in outcomes] == [(p.name, "98.81") for p in paths]
    assert _started() == 1


ORPHAN = """
import os, sys
from pathlib import Path
from jixiao.read import dispatch, xls_worker
dispatch.load_grids(Path(sys.argv[1]))
print(xls_worker._worker._proc.pid, flush=True)
os._exit(0)  # no atexit: the worker must see its stdin close and go
"""


def test_the_worker_does_not_outlive_its_process(xls):
    import subprocess
    import sys
    import time

    done = subprocess.run(
        [sys.executable, "-c", ORPHAN, str(xls)], capture_output=True, text=True, timeout=120
    )
    pid = int(done.stdout.strip())
    for _ in range(200):  # waits for the exit; how long it takes is not what is tested
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        with open(f"/proc/{pid}/stat") as fh:
            if fh.read().split(") ")[1].startswith("Z"):
                return  # exited, not yet reaped by init
        time.sleep(0.05)
    raise AssertionError(f"the .xls worker {pid} is still running after its parent left")


SMUGGLER = """
import pickle as _pickle


class _Smuggled:
    def __reduce__(self):
        return (os.system, ("true",))


def read(path, max_cells):
    return {"names": [_Smuggled()], "sheets": []}


if __name__ == "__main__":"""


def test_a_reply_carrying_anything_but_data_is_refused(xls, tmp_path, monkeypatch):
    """Only plain data and dates are unpickled from the worker: not a call to os.system."""
    monkeypatch.setattr(
        xls_worker, "_SOURCE", xls_worker._SOURCE.replace('\n\nif __name__ == "__main__":', SMUGGLER)
    )
    first, second = _copies(xls, tmp_path / "in", "a.xls", "b.xls")
    with pytest.raises(SheetError) as info:
        dispatch.load_grids(first)
    assert "无法识别的数据" in str(info.value) and "posix.system" in str(info.value), info.value
    monkeypatch.undo()
    [grid] = dispatch.load_grids(second)  # the worker that sent it is gone; a new one reads
    assert grid.value(3, 4) == 22.31


def test_a_worker_that_left_while_idle_is_replaced_quietly(xls, tmp_path, monkeypatch):
    import time

    source = xls_worker._SOURCE.replace("IDLE_SECONDS = 30.0", "IDLE_SECONDS = 0.2")
    monkeypatch.setattr(xls_worker, "_SOURCE", source)
    first, second = _copies(xls, tmp_path / "in", "a.xls", "b.xls")
    dispatch.load_grids(first)
    proc = xls_worker._worker._proc  # type: ignore[union-attr]
    assert proc is not None
    while proc.poll() is None:  # it leaves by itself once idle
        time.sleep(0.05)
    assert proc.returncode == 0
    [grid] = dispatch.load_grids(second)
    assert grid.value(3, 4) == 22.31
    assert _started() == 2


RACER = """
_real_read = read


def read(path, max_cells):
    # As if the idle timeout had fired just as this request arrived: leave quietly, once.
    marker = path + ".left"
    if path.endswith("b.xls") and not os.path.exists(marker):
        open(marker, "w").close()
        sys.exit(_IDLE_EXIT)
    return _real_read(path, max_cells)


if __name__ == "__main__":"""


def test_a_request_that_meets_the_idle_exit_is_asked_again(xls, tmp_path, monkeypatch):
    first, second = _copies(xls, tmp_path / "in", "a.xls", "b.xls")
    dispatch.load_grids(first)  # a worker that has served a file (not a fresh one)
    monkeypatch.setattr(
        xls_worker, "_SOURCE", xls_worker._SOURCE.replace('\n\nif __name__ == "__main__":', RACER)
    )
    xls_worker._worker._proc.stdin.close()  # type: ignore[union-attr]  # let the old one go
    xls_worker._worker._proc.wait()  # type: ignore[union-attr]
    xls_worker._worker._proc = None  # type: ignore[union-attr]
    dispatch.load_grids(first)  # a new worker (with the racer) serves a first file normally...
    [grid] = dispatch.load_grids(second)  # ...then "leaves idle" on this one: asked again
    assert grid.value(3, 4) == 22.31
