"""Fixtures every test folder shares: a fresh database, and Qt kept offscreen."""

from __future__ import annotations

import hashlib
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


def sha256_of(path: Path) -> str:
    """The file's digest, to show a refused file was not written."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage_database(db_path: Path) -> str:
    """A database holding the sample with one backup, then garbage over a b-tree page.

    Returns the damaged file's digest.
    """
    from desktop.samples import load_sample

    db = open_database(db_path, "测试员")
    load_sample(db)
    db.backup("manual")
    with db.reads.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 : 4096 * 3] = b"\xff" * 4096
    db_path.write_bytes(bytes(data))
    return sha256_of(db_path)
