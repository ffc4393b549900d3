"""The store: schema migrations, SQLite by default, PostgreSQL by URL (its own temporary server)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the web extra is not installed")

from sqlalchemy import create_engine, insert, select

from jixiao.web.store import SCHEMA_VERSION, Store, StoreError, migrate, schema_version


def _outcome(unit: str, total: str = "98.81") -> dict[str, object]:
    return {"file": f"{unit}.xlsx", "status": "ok", "ok": True, "unit": unit, "total": total, "grade": "优"}


def _exercise(store: Store, blob: Path) -> None:
    sha = store.put_blob(blob)
    assert store.put_blob(blob) == sha and store.has_blob(sha)
    rid = store.create_round("批次", "shaoguan-2023")
    first = store.add_submission(rid, sha, "a.xlsx", _outcome("韶关市科协"), "0.1.0")
    second = store.add_submission(rid, sha, "b.xlsx", _outcome("韶关市科协", "99"), "0.1.0")
    store.add_submission(rid, sha, "c.xlsx", {"file": "c.xlsx", "status": "failed", "error": "坏"}, "0.1.0")
    subs = store.submissions(rid)
    assert [s.superseded_by for s in subs] == [second, None, None]
    store.update_outcome(first, _outcome("韶关市科协", "97"), "0.1.1")
    assert store.submissions(rid)[0].outcome["total"] == "97"
    listed = store.list_rounds()
    assert (listed[0]["files"], listed[0]["current"], listed[0]["scored"], listed[0]["failed"]) == (
        3,
        2,
        1,
        1,
    )
    store.mark_rescored(rid)
    assert store.get_round(rid)["rescored_at"] is not None


def test_sqlite_store(tmp_path):
    blob = tmp_path / "x.xlsx"
    blob.write_bytes(b"PK\x03\x04 some bytes")
    store = Store(tmp_path / "data")
    try:
        _exercise(store, blob)
    finally:
        store.close()
    again = Store(tmp_path / "data")  # reopening migrates nothing and keeps the rows
    try:
        assert len(again.list_rounds()) == 1
    finally:
        again.close()


def test_migrations_are_recorded_and_a_newer_schema_is_refused(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert migrate(engine) == 0
    assert migrate(engine) == SCHEMA_VERSION
    with engine.begin() as conn:
        assert conn.execute(select(schema_version.c.version)).scalars().all() == [1]
        conn.execute(insert(schema_version).values(version=SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="升级 jixiao"):
        migrate(engine)
    engine.dispose()


def test_blob_names_are_only_hashes(tmp_path):
    store = Store(tmp_path / "data")
    try:
        for bad in ("../../etc/passwd", "A" * 64, "0" * 63, ""):
            with pytest.raises(StoreError):
                store.blob_path(bad)
    finally:
        store.close()


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    """A throw-away PostgreSQL server in a temp dir, stopped afterwards; skip only without binaries."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (dev extra)")
    bindir = _pg_bin()
    if bindir is None:
        message = "PostgreSQL is not installed (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Not under tmp_path: pytest makes that private to root, and as root the server must run as
    # another user (initdb refuses root), who has to reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    pg_ctl = [*run_as, str(bindir / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "jixiao", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
        subprocess.run(
            [*pg_ctl, "-o", options, "-l", str(folder / "log"), "-w", "start"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://jixiao@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_store(tmp_path, postgres_url):
    blob = tmp_path / "x.xlsx"
    blob.write_bytes(b"PK\x03\x04 some bytes")
    start = time.monotonic()
    store = Store(tmp_path / "data", postgres_url)
    try:
        assert store.engine.dialect.name == "postgresql"
        _exercise(store, blob)
    finally:
        store.close()
    assert time.monotonic() - start < 60


def test_the_app_on_postgresql(tmp_path, postgres_url, make_client):
    from tests.web.conftest import DEMO, upload

    c = make_client(database_url=postgres_url)
    rid = c.post("/api/rounds", data={"name": "共享服务器"}).json()["id"]
    added = c.post(f"/api/rounds/{rid}/files", files=[("files", upload(DEMO))]).json()["files"]
    assert added[0]["total"] == "98.81"
    c.app.state.web.store.close()
    again = make_client(database_url=postgres_url, data=tmp_path / "other-data")
    assert again.get("/api/rounds").json()["rounds"][0]["name"] == "共享服务器"
