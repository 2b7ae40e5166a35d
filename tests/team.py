"""A team's database on the PostgreSQL server of the run, for the tests of roles: two units
(忻府区 and 原平市), each with an enterprise, a case (received, awaiting the city's review) and
a problem; and logins made for one test (unique names: roles are the cluster's), dropped after.

A test asks for ``team`` (it skips, saying why, without a server); ``team.login(...)`` adds a
user as the database's owner does, ``team.open_as(name)`` opens the database as that login."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from desktop.cases.opening import case_number
from desktop.cases.states import State
from desktop.models import Case, CaseMove, County, Enterprise, Problem, utcnow
from desktop.store import Database, open_database
from desktop.store.grants import Role
from desktop.store.roles import add_user
from tests import servers
from tests.cases.conftest import code

UNITS = ("忻府区", "原平市")
_numbers = itertools.count(1)


@dataclass
class Team:
    """The database (open as its owner), its rows by unit, and the logins made for the test."""

    option: str
    url: URL
    db: Database
    enterprises: dict[str, int] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    logins: list[str] = field(default_factory=list)
    opened: list[Database] = field(default_factory=list)

    def login(self, role: Role, county: str | None = None) -> str:
        """A new user of ``role`` (of ``county``), added by the owner; its name."""
        name = f"t{os.getpid()}_{role.value}_{next(_numbers)}"
        self.logins.append(name)
        add_user(self.db, name, role, county, "secret-1")
        return name

    def url_of(self, name: str) -> URL:
        """The database's URL as the login ``name`` connects (the test server trusts it)."""
        return self.url.set(username=name, password=None)

    def open_as(self, name: str) -> Database:
        """The database opened as ``name`` (closed after the test)."""
        db = open_database(self.url_of(name))
        self.opened.append(db)
        return db

    def sql(self, name: str | None = None) -> psycopg.Connection[Any]:
        """A raw connection as ``name`` (as the owner when None), in autocommit."""
        url = self.url_of(name) if name else self.url
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(dsn, autocommit=True)

    def rows(self) -> list[tuple[Any, ...]]:
        """Every row of the units' tables and the change log, as the owner reads them: the
        whole data, to show a refusal left it unchanged."""
        tables = ("enterprise", "subsidy_case", "case_move", "problem", "change_log", "fund")
        with self.sql() as conn:
            return [
                (t, *row)
                for t in tables
                for row in conn.execute(f"SELECT * FROM {t} ORDER BY 1")  # type: ignore[arg-type]
            ]


def _case(enterprise: Enterprise, n: int, on: date) -> Case:
    """A case of measure 12 received on ``on`` (written as the ORM does: the bulk writers are
    SQLite's until the import's SQL is ported)."""
    return Case(
        number=case_number("12", "2023-Q1", n), enterprise=enterprise, measure="12",
        period="2023-Q1", sequence=n, level="市级", state=State.RECEIVED.value,
        snapshot_verdict="eligible", snapshot_amount=Decimal("250000.00"),
        snapshot_explanation="测算说明", snapshot_document="忻政办发〔2022〕86号",
        snapshot_parameters="{}", snapshot_at=utcnow(), received_on=on,
    )  # fmt: skip


def _fill(db: Database) -> tuple[dict[str, int], dict[str, str], dict[str, int]]:
    """One enterprise, case (received) and problem (new) in each unit."""
    today = date.today()
    firms, cases, problems = {}, {}, {}
    with db.session(source="command") as s:
        for n, unit in enumerate(UNITS, start=1):
            county = s.scalar(select(County).where(County.name == unit))
            firms[unit] = Enterprise(uscc=code(n), name=f"{unit}测试企业", county=county)
            cases[unit] = _case(firms[unit], n, today)
            problems[unit] = Problem(
                enterprise=firms[unit], raised_on=today, source="走访", state="new",
                deadline=today + timedelta(days=10), category="用工",
                description=f"{unit}缺少焊工", lead_unit="人社局",
            )  # fmt: skip
            s.add_all([firms[unit], cases[unit], problems[unit]])
            s.add(
                CaseMove(case=cases[unit], from_state="open", to_state="received", moved_on=today)
            )
        s.flush()
        return (
            {u: e.id for u, e in firms.items()},
            {u: c.number for u, c in cases.items()},
            {u: p.id for u, p in problems.items()},
        )


@pytest.fixture
def team(pg_option: str, _pg_migrated: str) -> Iterator[Team]:
    """A fresh copy of the migrated database holding the two units' rows; every login made
    for the test dropped afterwards."""
    with servers.copy_of(pg_option, _pg_migrated) as url:
        db = open_database(url, "测试员")
        made = Team(pg_option, url, db, *_fill(db))
        try:
            yield made
        finally:
            for opened in made.opened:
                opened.close()
            db.close()
    servers.drop_roles(pg_option, made.logins)
