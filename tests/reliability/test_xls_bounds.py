"""An .xls whose OLE sector chains loop is refused before it is parsed; a bad file stays contained."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from jixiao.errors import SheetError
from jixiao.read import dispatch, legacy, sniff
from tests.builders import shaoguan_sheet
from tests.reliability.ole import looping_chain, looping_directory


@pytest.fixture(scope="module")
def xls(tmp_path_factory, soffice) -> Path:
    from tests.conftest import convert_with_soffice

    folder = tmp_path_factory.mktemp("xls")
    return convert_with_soffice(soffice, shaoguan_sheet(folder / "sg.xlsx"), "xls", folder)


@pytest.mark.parametrize(
    "make",
    [
        looping_directory,
        lambda src, out: looping_chain(src, out, "Workbook"),
        lambda src, out: looping_chain(src, out, "Root Entry"),
    ],
    ids=["directory", "workbook-minifat", "root-fat"],
)
def test_a_looping_chain_is_refused_fast(xls, tmp_path, make):
    bad = make(xls, tmp_path / "loop.xls")
    start = time.perf_counter()
    with pytest.raises(SheetError) as info:
        dispatch.load_grids(bad)
    assert time.perf_counter() - start < 5
    assert "扇区链" in str(info.value)


def test_xlrd_refuses_a_looping_directory_itself(xls, tmp_path, monkeypatch):
    """With the structure check switched off, the parser in the worker still refuses the file."""
    bad = looping_directory(xls, tmp_path / "loop.xls")
    monkeypatch.setattr(sniff, "broken_chain", lambda ole: None)
    monkeypatch.setattr(legacy, "XLS_MEMORY_LIMIT", 700 << 20)
    with pytest.raises(SheetError) as info:
        dispatch.load_grids(bad)
    assert "无法读取这个 .xls 文件" in str(info.value)


def test_a_batch_over_a_looping_xls_keeps_every_other_file(xls, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    looping_directory(xls, folder / "a-loop.xls")
    shaoguan_sheet(folder / "b-good.xlsx")
    out = tmp_path / "summary.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "batch", str(folder), "-f", "shaoguan-2023", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    assert out.exists()


def test_an_ordinary_xls_still_reads(xls):
    [grid] = legacy.load_xls_grids(xls)
    assert grid.value(3, 4) == 22.31
