"""PostgreSQL for the tests: the server given by ``--pg URL`` (or ``$RELIEF_DESK_TEST_PG``), a
database migrated to head once per run, and a fresh copy of it (``CREATE DATABASE … TEMPLATE``)
for every test. ``scripts/postgres.sh`` starts a throw-away server; ``scripts/test.sh`` passes
its URL, or ``none: REASON`` when none could be started (the PostgreSQL half is then skipped,
saying why)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import URL, make_url

PG_ENV = "RELIEF_DESK_TEST_PG"
# Each pytest-xdist worker (gw0, gw1 …) makes templates of its own: a template being copied
# may have no other session on it, and a worker's first test recreates its templates.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
MIGRATED = f"relief_template{WORKER}"
SAMPLE = f"relief_sample{WORKER}"
_numbers = itertools.count(1)


def server_option(given: str | None) -> str | None:
    """The ``--pg`` value: a URL, ``none: REASON``, or None (no server asked for)."""
    return given or os.environ.get(PG_ENV) or None


def unavailable(option: str) -> str | None:
    """Why PostgreSQL tests cannot run with ``option`` (None when they can)."""
    if option.startswith("none:"):
        return "PostgreSQL: " + option.removeprefix("none:").strip()
    try:
        with psycopg.connect(admin_dsn(option), connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL server {option} cannot be reached: {exc}".splitlines()[0]


def admin_dsn(option: str, database: str | None = None) -> str:
    """A libpq connection string of the superuser ``option`` names (on ``database``)."""
    url = make_url(option)
    if database:
        url = url.set(database=database)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(option: str, name: str) -> URL:
    """The URL Relief Desk opens for the test database ``name``."""
    return make_url(option).set(drivername="postgresql+psycopg", database=name)


def _admin(option: str, *statements: str) -> None:
    with psycopg.connect(admin_dsn(option, "postgres"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def recreate(option: str, name: str, template: str | None = None) -> URL:
    """A new database ``name`` (a copy of ``template``, when given), dropped first if it exists."""
    copy = f" TEMPLATE {template}" if template else ""
    _admin(
        option,
        f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
        f"CREATE DATABASE {name}{copy}",
    )
    return database_url(option, name)


def drop(option: str, name: str) -> None:
    """Drop the database ``name`` (closing whatever still holds it)."""
    _admin(option, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def copy_of(option: str, template: str) -> Iterator[URL]:
    """A fresh copy of ``template`` for one test, dropped afterwards."""
    name = f"relief_t{os.getpid()}_{next(_numbers)}"
    url = recreate(option, name, template)
    try:
        yield url
    finally:
        drop(option, name)


def drop_roles(option: str, names: list[str]) -> None:
    """Drop the logins ``names`` (roles are the cluster's: a test's must not outlive it)."""
    _admin(option, *(f"DROP ROLE IF EXISTS {name}" for name in names))
