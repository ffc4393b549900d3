"""Fixtures for the web app: an app on a fresh data folder, and a test client for it."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[dev,web]'")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note that it would prefer httpx2
    from starlette.testclient import TestClient

from jixiao.web.app import Settings, create_app

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "sheets" / "shaoguan-2023-kexie.xlsx"
GUANGZHOU = ROOT / "sheets" / "guangzhou-2021-illustrative.xlsx"
PROJECT = ROOT / "sheets" / "mof-project-2020-example.xlsx"


@pytest.fixture
def make_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., TestClient]]:
    """Build apps (same data folder unless ``data`` is given) and clients for them."""
    # The app points JIXIAO_FRAMEWORKS at its data folder; restore it for the other tests.
    monkeypatch.setenv("JIXIAO_FRAMEWORKS", "")
    clients: list[TestClient] = []

    def make(data: Path | None = None, base_url: str = "http://127.0.0.1", **overrides: Any) -> TestClient:
        settings = Settings(data_dir=data or tmp_path / "data", **overrides)
        app = create_app(settings)
        client = TestClient(app, base_url=base_url, raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.app.state.web.store.close()  # type: ignore[attr-defined]


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of an app on a fresh data folder, default settings."""
    return make_client()


def upload(path: Path, name: str | None = None) -> tuple[str, bytes]:
    """A (file name, bytes) pair for a multipart upload."""
    return (name or path.name, path.read_bytes())
