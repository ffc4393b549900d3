"""Rounds (评审批次), their submissions and the uploaded files, kept in a database.

SQLite in the data folder by default; any SQLAlchemy URL (PostgreSQL for a shared server) when
given. Uploaded files are stored once each under their SHA-256 in ``DATA/blobs`` so a round can
be verified later against exactly the bytes that were scored.

Schema changes are numbered steps in :data:`MIGRATIONS`, applied in order at start-up and
recorded in the ``schema_version`` table. A handful of tables does not need Alembic's
machinery (its env.py, revision files and a second dependency), and plain steps run the same on
SQLite and PostgreSQL; a database written by a newer jixiao is refused, never downgraded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

from jixiao.errors import JixiaoError

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("framework", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("rescored_at", DateTime(timezone=True)),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False, index=True),
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # ok | failed | skipped
    Column("unit", String(255)),
    Column("framework", String(100)),
    Column("total", String(32)),
    Column("grade", String(32)),
    Column("outcome", Text, nullable=False),  # the engine's outcome as JSON
    Column("scored_at", DateTime(timezone=True), nullable=False),
    Column("jixiao_version", String(32)),
)


def _v1(conn: Connection) -> None:
    """Version 1: blobs, rounds, submissions."""
    for table in (blobs, rounds, submissions):
        table.create(conn)


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _v1)]
SCHEMA_VERSION = MIGRATIONS[-1][0]


class StoreError(JixiaoError):
    """The database cannot be used (newer schema, unreachable server)."""


def now() -> datetime:
    """The current time, UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def migrate(engine: Engine) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`; return the version found before."""
    with engine.begin() as conn:
        schema_version.create(conn, checkfirst=True)
        found = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"数据库的结构版本 {found} 比本程序支持的 {SCHEMA_VERSION} 新：请升级 jixiao，"
                "不要用旧版本打开它"
            )
        for number, step in MIGRATIONS:
            if number > found:
                step(conn)
                conn.execute(insert(schema_version).values(version=number))
    return found


@dataclass(frozen=True)
class Submission:
    """One file added to a round, with its stored outcome."""

    id: int
    round_id: int
    sha256: str
    filename: str
    uploaded_at: datetime
    status: str
    unit: str | None
    outcome: dict[str, Any]
    superseded_by: int | None = None  # a later submission of the same unit

    @property
    def current(self) -> bool:
        """True when this is the unit's latest submission (the one the round counts)."""
        return self.superseded_by is None


class Store:
    """The database and the blob folder of one data directory."""

    def __init__(self, data_dir: Path, url: str | None = None):
        self.data_dir = data_dir
        self.blob_dir = data_dir / "blobs"
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        self.url = url or f"sqlite:///{data_dir / 'jixiao.sqlite3'}"
        self.engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                conn.execute(text("PRAGMA journal_mode=WAL"))
        migrate(self.engine)

    # --- files ---

    def blob_path(self, sha256: str) -> Path:
        """Where a stored file lives; ``sha256`` must be 64 hex digits (checked here)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise StoreError("文件编号无效")
        return self.blob_dir / sha256[:2] / sha256

    def put_blob(self, source: Path) -> str:
        """Store a file under its SHA-256 (once); return the hash."""
        digest = hashlib.sha256()
        size = 0
        with source.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        sha = digest.hexdigest()
        target = self.blob_path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out, source.open("rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        out.write(chunk)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        with self.engine.begin() as conn:
            known = conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha)).first()
            if known is None:
                conn.execute(insert(blobs).values(sha256=sha, size=size, created_at=now()))
        return sha

    def has_blob(self, sha256: str) -> bool:
        """True when the file was uploaded before."""
        return self.blob_path(sha256).is_file()

    # --- rounds ---

    def create_round(self, name: str, framework: str | None = None) -> int:
        """A new round; return its id."""
        with self.engine.begin() as conn:
            result = conn.execute(insert(rounds).values(name=name, framework=framework, created_at=now()))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def get_round(self, round_id: int) -> dict[str, Any] | None:
        """A round's row as a dict, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(rounds).where(rounds.c.id == round_id)).mappings().first()
            return dict(row) if row else None

    def list_rounds(self) -> list[dict[str, Any]]:
        """Every round, newest first, with counts of files (all / current / scored / failed)."""
        out = []
        with self.engine.connect() as conn:
            rows = conn.execute(select(rounds).order_by(rounds.c.id.desc())).mappings().all()
        for row in rows:
            subs = self.submissions(int(row["id"]))
            current = [s for s in subs if s.current]
            out.append(
                {
                    **dict(row),
                    "files": len(subs),
                    "current": len(current),
                    "scored": sum(1 for s in current if s.status == "ok"),
                    "failed": sum(1 for s in current if s.status == "failed"),
                    "resubmissions": len(subs) - len(current),
                }
            )
        return out

    def add_submission(
        self, round_id: int, sha256: str, filename: str, outcome: dict[str, Any], version: str
    ) -> int:
        """Record one scored file in a round; return the submission id."""
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(submissions).values(
                    round_id=round_id,
                    sha256=sha256,
                    filename=filename,
                    uploaded_at=now(),
                    scored_at=now(),
                    jixiao_version=version,
                    **_columns(outcome),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def update_outcome(self, submission_id: int, outcome: dict[str, Any], version: str) -> None:
        """Replace a submission's outcome after re-scoring."""
        with self.engine.begin() as conn:
            conn.execute(
                update(submissions)
                .where(submissions.c.id == submission_id)
                .values(scored_at=now(), jixiao_version=version, **_columns(outcome))
            )

    def mark_rescored(self, round_id: int) -> None:
        """Remember when the round was last re-scored."""
        with self.engine.begin() as conn:
            conn.execute(update(rounds).where(rounds.c.id == round_id).values(rescored_at=now()))

    def submissions(self, round_id: int) -> list[Submission]:
        """A round's submissions in upload order; an earlier file of the same unit is superseded.

        A unit is known by the name read from its sheet; a file that could not be read is known
        by its file name, so sending a corrected file under the same name replaces it too.
        """
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(submissions).where(submissions.c.round_id == round_id).order_by(submissions.c.id)
                )
                .mappings()
                .all()
            )
        found = [
            Submission(
                id=int(r["id"]),
                round_id=int(r["round_id"]),
                sha256=r["sha256"],
                filename=r["filename"],
                uploaded_at=r["uploaded_at"],
                status=r["status"],
                unit=r["unit"],
                outcome=json.loads(r["outcome"]),
            )
            for r in rows
        ]
        latest: dict[str, int] = {}
        for s in found:
            latest[_key(s)] = s.id
            latest["file:" + s.filename] = s.id
        result = []
        for s in found:
            later = max(latest[_key(s)], latest["file:" + s.filename])
            result.append(s if later == s.id else _superseded(s, later))
        return result

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def _key(s: Submission) -> str:
    return f"unit:{s.unit}" if s.unit else f"file:{s.filename}"


def _superseded(s: Submission, by: int) -> Submission:
    from dataclasses import replace

    return replace(s, superseded_by=by)


def _columns(outcome: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": outcome.get("status", "failed"),
        "unit": outcome.get("unit") if outcome.get("status") == "ok" else None,
        "framework": outcome.get("framework"),
        "total": None if outcome.get("total") is None else str(outcome["total"]),
        "grade": outcome.get("grade"),
        "outcome": json.dumps(outcome, ensure_ascii=False),
    }
