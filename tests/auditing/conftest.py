"""Reports to audit: the two seed reports (text, and PDF/Word made by LibreOffice) and edited copies."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

REPORTS = ROOT / "tests" / "data" / "reports"
SEEDS = ROOT.parent / "shared" / "seeds"
"""CI lays shared/ beside the clone; the seed reports are the ground truth these tests check."""

SHAOGUAN = "shaoguan-kexie-2023-report"
GUANGZHOU = "guangzhou-kexie-2021-report"


def seed(name: str) -> Path:
    """The seed report ``name``.txt; fails (never skips) when shared/ is missing."""
    path = SEEDS / f"{name}.txt"
    if not path.is_file():
        pytest.fail(f"seed report {path} is missing: shared/seeds/ must lie beside the repository")
    return path


def convert_all(soffice: str, sources: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """Convert several files in one LibreOffice run (each start costs seconds)."""
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir / 'lo-profile'}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    outs = [outdir / f"{s.stem}.{fmt.split(':')[0]}" for s in sources]
    for out in outs:
        assert out.exists(), f"LibreOffice did not write {out}"
    return outs


# Edits of the 韶关 report a reviewer must catch: (name, old text, new text, expected findings).
EDITS = {
    "sentence-score": (
        "自评得分 45.31 分",
        "自评得分 45.13 分",
        {
            ("report-rate-mismatch", ("履职效能",)),
            ("report-figure-differs", ("履职效能",)),
            ("report-rate-mismatch", ("合计",)),
        },
    ),
    "grade": (
        "绩效等级为“优”",
        "绩效等级为“良”",
        {("report-grade-mismatch", ("合计",)), ("report-rate-mismatch", ("合计",))},
    ),
    "table-row": (
        "资产管理 10 9.5 95",
        "资产管理 10 9 95",
        {
            ("report-rate-mismatch", ("管理效率", "资产管理")),
            ("report-sum-mismatch", ("合计",)),
            ("report-figure-differs", ("管理效率",)),
            ("report-rate-mismatch", ("合计",)),
        },
    ),
}


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[tuple[str, str], Path]:
    """{(name, "txt"|"pdf"|"docx"): path} for the seeds, their edits and the project report."""
    folder = tmp_path_factory.mktemp("reports")
    texts: dict[str, Path] = {}
    for name in (SHAOGUAN, GUANGZHOU):
        texts[name] = Path(shutil.copy(seed(name), folder / f"{name}.txt"))
    original = texts[SHAOGUAN].read_text(encoding="utf-8")
    for edit, (old, new, _expected) in EDITS.items():
        assert original.count(old) == 1, f"edit {edit}: {old!r} must occur once in the seed"
        path = folder / f"edit-{edit}.txt"
        path.write_text(original.replace(old, new), encoding="utf-8")
        texts[f"edit-{edit}"] = path
    texts["project"] = Path(shutil.copy(REPORTS / "project-report.txt", folder / "project.txt"))
    out: dict[tuple[str, str], Path] = {(name, "txt"): path for name, path in texts.items()}
    for fmt in ("pdf", "docx"):
        for name, path in zip(texts, convert_all(soffice, list(texts.values()), fmt, folder), strict=True):
            out[(name, fmt)] = path
    return out


@pytest.fixture
def write_text(tmp_path: Path) -> Callable[..., Path]:
    """Write a small report text file and return its path."""

    def write(text: str, name: str = "report.txt", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
