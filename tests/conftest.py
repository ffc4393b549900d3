"""Shared fixtures: the repository's folders and the shipped frameworks."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHEETS = ROOT / "sheets"
FRAMEWORKS = ROOT / "frameworks"


@pytest.fixture(scope="session")
def shaoguan():
    from jixiao.frameworks import load_framework

    return load_framework("shaoguan-2023")


@pytest.fixture(scope="session")
def guangzhou():
    from jixiao.frameworks import load_framework

    return load_framework("guangzhou-2021")
