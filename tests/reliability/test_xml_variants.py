"""Legal XML is read as Excel and LibreOffice read it, or refused; never read another way.

Each variant (tests/reliability/xml_variants.py) says the same table in other legal XML, or adds
what a reader must ignore (a comment or an unknown element holding an old cell, a foreign
attribute). The fast reader once found cells by pattern matching and printed a confident,
wrong grade for several of them.
"""

from __future__ import annotations

import pytest

from jixiao.errors import SheetError
from jixiao.scoring.pipeline import score_file
from tests.reliability.conftest import soffice_convert
from tests.reliability.xml_variants import VARIANTS, write_variant


def figures(path) -> tuple[str, str] | str:
    """The total and grade jixiao gives, or "refused"."""
    try:
        ev = score_file(path, "shaoguan-2023")
    except SheetError:
        return "refused"
    return (format(ev.total, "f") if ev.total is not None else "none", ev.grade or "none")


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_reads_as_its_xml_means(name, lo_base, tmp_path):
    path = write_variant(lo_base, name, tmp_path / f"{name}.xlsx")
    assert figures(path) == VARIANTS[name][1]


def test_variants_agree_with_libreoffice(lo_base, soffice, tmp_path):
    """Differential: jixiao on each variant equals jixiao on LibreOffice's re-save of it, or refuses."""
    files = [write_variant(lo_base, name, tmp_path / f"{name}.xlsx") for name in sorted(VARIANTS)]
    soffice_convert(soffice, files, tmp_path / "lo")
    disagree = {}
    for f in files:
        ours, theirs = figures(f), figures(tmp_path / "lo" / f.name)
        if ours != "refused" and ours != theirs:
            disagree[f.stem] = (ours, theirs)
    assert not disagree
