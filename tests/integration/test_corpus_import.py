"""`jixiao frameworks import` on every published table of the corpus (tests/data/realworld).

Issue 12's bar: import of each real table either gives a framework that checks clean, or one plain
Chinese message per problem, each naming where it is. No fixture may fail with an internal
message, a traceback or the same problem twice.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.authoring.importer import import_table
from jixiao.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "data" / "realworld"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.xlsx")), ids=lambda p: p.name)
def test_import_checks_clean_or_says_each_problem_once(path, tmp_path, capsys):
    result = import_table(path)
    errors = [f for f in result.findings if f.is_error]
    out = tmp_path / "框架.yaml"
    code = main(["frameworks", "import", str(path), "-o", str(out)])
    if result.ok:
        assert not errors and code == 0 and out.exists()
        capsys.readouterr()
        assert main(["frameworks", "check", str(out)]) == 0
        assert "通过" in capsys.readouterr().out
        return
    assert errors and code == 2 and not out.exists()  # README: import with errors exits 2, writes nothing
    assert len({(f.position.cell, f.message) for f in errors}) == len(errors)
    for f in errors:
        assert CJK.search(f.message) and not re.search(r"[A-Za-z_]+\[\d+\]\.", f.message), f.message
        assert f.position.cell or f.path, f.message  # says where
