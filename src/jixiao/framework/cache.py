"""A per-user cache of checked frameworks, so a command does not re-validate YAML it has seen.

Validating a framework (YAML → pydantic models → every check) costs more than scoring a
department's sheet; the files rarely change. A checked :class:`Framework` is pickled under a
key made of the YAML bytes' SHA-256, the versions of jixiao, pydantic and Python, and a digest
of the code that defines and checks a framework (the models, the checks, value parsing), so an
edited file, an upgrade or a changed model or check simply misses — a framework checked by
yesterday's rules is never taken for one checked by today's.

Unpickling runs code, so a cache file is read only when it is certainly ours: the folder must
belong to this user and be writable by nobody else (created 0700), the file must belong to this
user and not be writable by group or others, and the payload must match the SHA-256 written in
front of it. Anything else, including any error while reading, is a miss: the framework is
parsed from its YAML as if there were no cache. ``JIXIAO_NO_CACHE=1`` turns the cache off and
``JIXIAO_CACHE_DIR`` moves it (default ``$XDG_CACHE_HOME/jixiao`` or ``~/.cache/jixiao``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from jixiao._version import __version__

ENV_DIR = "JIXIAO_CACHE_DIR"
ENV_OFF = "JIXIAO_NO_CACHE"
_MAGIC = b"jixiao-framework-cache 1\n"
_DIGEST = 32  # bytes of the SHA-256 that precedes the payload


def cache_dir() -> Path | None:
    """The folder of the cache, or None when the cache is turned off."""
    if os.environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    given = os.environ.get(ENV_DIR)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jixiao"


# The modules whose code decides what a checked framework is: a change to any of them must miss.
_CODE = ("framework/models.py", "framework/rule_models.py", "framework/check.py", "values.py")
_code_digest: str | None = None


def code_digest() -> str:
    """SHA-256 over the source of the modules that define and check a framework (read once)."""
    global _code_digest
    if _code_digest is None:
        package = Path(__file__).resolve().parents[1]
        digest = hashlib.sha256()
        for name in _CODE:
            try:
                digest.update((package / name).read_bytes())
            except OSError:  # no sources beside the package (a frozen build): never a hit
                digest.update(os.urandom(16))
        _code_digest = digest.hexdigest()
    return _code_digest


def _key(data: bytes) -> str:
    import pydantic

    tag = f"{__version__}|{pydantic.VERSION}|{sys.version_info[:3]}|{code_digest()}".encode()
    return hashlib.sha256(tag + b"\0" + data).hexdigest()


def _trusted(st: os.stat_result, *, folder: bool) -> bool:
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: the profile folder is private
        return True
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)


def get(data: bytes) -> Any | None:
    """The object cached for these YAML bytes, or None (a miss, whatever the reason)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"fw-{_key(data)}.pickle"
    try:
        if not _trusted(os.stat(folder), folder=True):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno()), folder=False):
                return None
            blob = fh.read()
    except OSError:
        return None
    head, digest, payload = (
        blob[: len(_MAGIC)],
        blob[len(_MAGIC) : len(_MAGIC) + _DIGEST],
        blob[len(_MAGIC) + _DIGEST :],
    )
    if head != _MAGIC or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # a stale or damaged entry is a miss, never an error
        return None


def put(data: bytes, value: Any) -> None:
    """Remember ``value`` for these YAML bytes (best effort: a cache that cannot be written is skipped)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(os.stat(folder), folder=True):
            return
        fd, tmp = tempfile.mkstemp(prefix=".fw-", dir=folder)  # created 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, folder / f"fw-{_key(data)}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # read-only home, full disk, an unpicklable value: scoring goes on
        return
