"""Drive LibreOffice Calc through UNO from the tests: insert rows and type values as a person
does, recalculate, save. The UNO bridge lives in the system Python (Debian ``python3-uno``), so
the editing runs as a subprocess of /usr/bin/python3 executing ``tests/lo_edit.py``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("lo_edit.py")


def uno_python() -> str:
    """The Python with the ``uno`` module; skip locally without it, fail under CI (.ci/run installs it)."""
    try:
        ok = (
            subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=60).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if ok:
        return SYSTEM_PYTHON
    message = "LibreOffice's Python bridge is not installed: apt-get install python3-uno"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def insert(sheet: str, before: int, count: int = 1) -> dict[str, Any]:
    """Insert ``count`` rows that take row ``before`` (what was there moves down)."""
    return {"insert_rows": {"sheet": sheet, "before": before, "count": count}}


def put(sheet: str, cell: str, value: str | float) -> dict[str, Any]:
    """Type ``value`` into ``cell``."""
    return {"set": {"sheet": sheet, "cell": cell, "value": value}}


def edit_in_libreoffice(
    python: str, soffice: str, source: Path, target: Path, steps: list[dict[str, Any]]
) -> Path:
    """Open ``source`` in LibreOffice, apply ``steps``, recalculate and save to ``target``."""
    work = target.parent / f"{target.stem}-lo"
    work.mkdir(parents=True, exist_ok=True)
    spec = work / "spec.json"
    spec.write_text(
        json.dumps({"source": str(source), "target": str(target), "steps": steps}), encoding="utf-8"
    )
    # Its own process group: a hung soffice is stopped with the script (and only those).
    proc = subprocess.Popen(
        [python, str(SCRIPT), soffice, str(work / "profile"), str(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("LibreOffice did not finish editing the workbook within 300 s")
    assert proc.returncode == 0 and target.exists(), err
    return target
