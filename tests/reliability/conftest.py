"""Fixtures for the reliability tests: the 韶关 table as LibreOffice saves it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.builders import shaoguan_sheet


def soffice_convert(soffice: str, files: list[Path], outdir: Path) -> None:
    """Re-save ``files`` as .xlsx with LibreOffice, in one process."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice, "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(outdir)]
        + [str(f) for f in files],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def lo_base(soffice, tmp_path_factory) -> bytes:
    """The 韶关 table re-saved by LibreOffice: shared strings, styles, LibreOffice's own XML."""
    folder = tmp_path_factory.mktemp("lo-base")
    built = shaoguan_sheet(folder / "built.xlsx")
    soffice_convert(soffice, [built], folder / "out")
    return (folder / "out" / "built.xlsx").read_bytes()
