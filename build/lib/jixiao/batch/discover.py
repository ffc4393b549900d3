"""Which files a batch scores: files as given, folders searched recursively, in a stable order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# Suffixes taken as spreadsheets when a folder is scanned; anything else found there is listed
# as not a workbook (a department that sent a PDF or a Word file must be noticed).
SKIPPED_PREFIXES = (".", "~$")


def discover(inputs: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """The files to score: files as given, folders searched recursively, in a stable order.

    Hidden files and Office lock files (``~$...``) inside folders are left out, and so is any
    path in ``exclude`` (the summary being written). A path that does not exist is kept: it
    becomes an outcome with its error, like any other bad file.
    """
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(
                (p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))),
                key=lambda p: p.relative_to(path).parts,
            )
        else:
            files = [path]
        for p in files:
            key = p.resolve()
            if key in skip or key in seen:
                continue
            seen.add(key)
            found.append(p)
    return found


def _hidden(rel: Path) -> bool:
    return any(part.startswith(SKIPPED_PREFIXES) for part in rel.parts)
