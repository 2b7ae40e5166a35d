"""Fixtures every test folder shares: a fresh database, and Qt kept offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.store import Database, open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file lives (not created yet)."""
    return tmp_path / "data" / "relief.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A new, migrated database acted on by operator 测试员."""
    database = open_database(db_path, operator="测试员")
    yield database
    database.close()
