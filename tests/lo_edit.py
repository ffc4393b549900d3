"""Edit a workbook the way a person does in LibreOffice Calc, through its UNO bridge.

Run by the system Python (Debian's ``python3-uno`` gives /usr/bin/python3 the ``uno`` module;
the project's virtualenv does not have it), never imported by jixiao or by the tests::

    /usr/bin/python3 tests/lo_edit.py SOFFICE PROFILE_DIR SPEC.json

SPEC holds ``source``, ``target`` and ``steps``, each one of
``{"insert_rows": {"sheet": S, "before": ROW, "count": N}}`` (ROW 1-based: the new rows take
row ROW and what was there moves down, as "insert rows above" does),
``{"set": {"sheet": S, "cell": "C7", "value": 12.5 | "text"}}``. After the steps the document is
recalculated and saved as .xlsx to ``target``. soffice runs headless on a private pipe with
its own profile, and is terminated before the script exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def _props(**values: object) -> tuple:
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _connect(pipe: str, proc: subprocess.Popen, deadline: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"soffice did not accept a connection (exit {proc.poll()})") from None
            time.sleep(0.25)


def main(soffice: str, profile: str, spec_path: str) -> None:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    pipe = f"jixiao_lo_edit_{os.getpid()}"
    proc = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation=file://{os.path.abspath(profile)}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        ctx = _connect(pipe, proc, time.monotonic() + 120)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(spec["source"]))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, _props(Hidden=True))
        sheets = doc.getSheets()
        for step in spec["steps"]:
            if "insert_rows" in step:
                s = step["insert_rows"]
                sheets.getByName(s["sheet"]).getRows().insertByIndex(s["before"] - 1, s["count"])
            elif "set" in step:
                s = step["set"]
                cell = sheets.getByName(s["sheet"]).getCellRangeByName(s["cell"])
                if isinstance(s["value"], str):
                    cell.setString(s["value"])
                else:
                    cell.setValue(s["value"])
            else:
                raise SystemExit(f"unknown step {step!r}")
        doc.calculateAll()
        target = uno.systemPathToFileUrl(os.path.abspath(spec["target"]))
        doc.storeToURL(target, _props(FilterName="Calc MS Excel 2007 XML"))
        doc.close(True)
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge goes away as soffice exits
                desktop.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main(*sys.argv[1:4])
