"""Shared fixtures: the repository's folders and the shipped frameworks."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The framework cache (jixiao/framework/cache.py) of a test run is its own, never the user's.
_CACHE = tempfile.mkdtemp(prefix="jixiao-test-cache-")
atexit.register(shutil.rmtree, _CACHE, True)
os.environ["JIXIAO_CACHE_DIR"] = _CACHE

ROOT = Path(__file__).resolve().parents[1]
SHEETS = ROOT / "sheets"
FRAMEWORKS = ROOT / "frameworks"


@pytest.fixture(scope="session")
def shaoguan():
    from jixiao.framework.load import load_framework

    return load_framework("shaoguan-2023")


@pytest.fixture(scope="session")
def guangzhou():
    from jixiao.framework.load import load_framework

    return load_framework("guangzhou-2021")


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice binary, for tests that check what a real client computes and shows.

    Locally a missing LibreOffice skips the test with the reason; under CI (CI=true) it fails,
    because .ci/run installs LibreOffice and a gap must not hide behind a skip.
    """
    import os
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    message = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc libreoffice-writer"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def convert_with_soffice(soffice: str, source: Path, fmt: str, outdir: Path) -> Path:
    """Convert a document with headless LibreOffice (its own profile dir, so runs don't clash)."""
    import subprocess

    profile = outdir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    assert out.exists(), f"LibreOffice did not write {out}"
    return out
