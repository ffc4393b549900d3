"""The per-user framework cache: a hit gives the same framework; anything doubtful is a miss."""

from __future__ import annotations

import os

import pytest

from jixiao.framework import cache
from jixiao.framework.load import _load_cached, load_framework, parse_framework
from tests.conftest import FRAMEWORKS

DATA = (FRAMEWORKS / "shaoguan-2023.yaml").read_bytes()


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    return tmp_path / "cache"


def _entry(folder):
    [entry] = folder.glob("fw-*.pickle")
    return entry


def test_a_hit_is_the_same_framework(folder):
    fw = parse_framework(DATA)
    assert cache.get(DATA) is None
    cache.put(DATA, fw)
    assert cache.get(DATA) == fw
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    assert _entry(folder).stat().st_mode & 0o077 == 0


def test_load_framework_fills_and_uses_the_cache(folder):
    _load_cached.cache_clear()
    first = load_framework("shaoguan-2023")
    assert list(folder.glob("fw-*.pickle"))
    _load_cached.cache_clear()
    assert load_framework("shaoguan-2023") == first


def test_other_bytes_miss(folder):
    cache.put(DATA, parse_framework(DATA))
    assert cache.get(DATA + b"\n# edited\n") is None


def test_changed_model_or_check_code_misses(folder, monkeypatch):
    # A framework pickled by an older model (or checked by older checks) must never come back:
    # the key carries a digest of that code, not only jixiao's version number.
    cache.put(DATA, parse_framework(DATA))
    assert cache.get(DATA) is not None
    monkeypatch.setattr(cache, "_code_digest", "0" * 64)
    assert cache.get(DATA) is None


def test_code_digest_covers_the_framework_models_and_checks():
    assert len(cache.code_digest()) == 64
    assert {"framework/models.py", "framework/check.py", "framework/rule_models.py"} <= set(cache._CODE)


def test_a_tampered_payload_is_a_miss(folder):
    cache.put(DATA, parse_framework(DATA))
    entry = _entry(folder)
    blob = bytearray(entry.read_bytes())
    blob[-5] ^= 0xFF
    entry.write_bytes(bytes(blob))
    assert cache.get(DATA) is None


def test_a_file_others_may_write_is_not_read(folder):
    cache.put(DATA, parse_framework(DATA))
    os.chmod(_entry(folder), 0o666)
    assert cache.get(DATA) is None


def test_a_folder_others_may_write_is_not_used(folder):
    cache.put(DATA, parse_framework(DATA))
    os.chmod(folder, 0o777)
    assert cache.get(DATA) is None
    os.chmod(folder, 0o700)
    assert cache.get(DATA) is not None


def test_a_symlinked_entry_is_not_followed(folder, tmp_path):
    cache.put(DATA, parse_framework(DATA))
    entry = _entry(folder)
    target = tmp_path / "elsewhere.pickle"
    entry.rename(target)
    entry.symlink_to(target)
    assert cache.get(DATA) is None


def test_turned_off(folder, monkeypatch):
    monkeypatch.setenv(cache.ENV_OFF, "1")
    cache.put(DATA, parse_framework(DATA))
    assert not folder.exists()
    assert cache.get(DATA) is None


def test_an_unwritable_cache_does_not_stop_scoring(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
    cache.put(DATA, parse_framework(DATA))  # no error
    assert cache.get(DATA) is None
