"""Scoring holds the cyclic collector only while it runs, and leaves it as it found it."""

from __future__ import annotations

import gc

import pytest

from jixiao.scoring.pipeline import no_gc_pauses, score_file
from tests.conftest import SHEETS


@pytest.fixture(autouse=True)
def _restore():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_restored_after_scoring_and_after_an_error():
    gc.enable()
    score_file(SHEETS / "shaoguan-2023-kexie.xlsx")
    assert gc.isenabled()
    with pytest.raises(RuntimeError), no_gc_pauses():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    with no_gc_pauses():
        pass
    assert not gc.isenabled()
