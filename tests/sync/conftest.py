"""The packages' tests: their PostgreSQL half is skipped for now (``packages_sqlite_for_now``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _sqlite_for_now(packages_sqlite_for_now: None) -> None:
    """Every test here: the server half skipped, saying why."""
