"""The packages' tests: the counties made for a test, closed after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store import Database
from tests.sync.helpers import Counties, city_and_counties


@pytest.fixture
def counties(_migrated_template: Path, tmp_path: Path) -> Iterator[Counties]:
    """``counties(city, names)``: the counties' databases made from ``city``'s first packages
    (helpers.city_and_counties), closed after the test."""
    made: list[Database] = []

    def make(city: Database, names: tuple[str, ...]) -> list[Database]:
        made.extend(city_and_counties(city, _migrated_template, tmp_path, names))
        return made[-len(names) :]

    yield make
    for db in made:
        db.close()
