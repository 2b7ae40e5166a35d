"""The texts the SQL merge logs are those ``encode_value`` and ``json.dumps`` give in Python, on
SQLite and on PostgreSQL (with ``--pg``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Dialect
from sqlalchemy.dialects import postgresql, sqlite

from desktop.models import AnnualFigures, Enterprise, Lease
from desktop.store.changelog import bind_processor, encode_value, logged_text_sql, row_json_sql
from tests import servers

MONEY = Lease.__table__.c.monthly_rent
InSql = Callable[[str, Column[Any], Any], Any]
# The connection is the test's, not an example's: each example empties the table it fills.
per_test = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def _evaluator(conn: Any, dialect: Dialect, mark: str) -> InSql:
    def in_sql(sql: str, column: Column[Any], value: Any) -> Any:
        """``sql`` (over a column named x) evaluated with ``value`` stored as ``column``."""
        process = bind_processor(dialect, column)
        stored = value if process is None or value is None else process(value)
        kind = column.type.compile(dialect=dialect)
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS v_{column.name} (x {kind})")
        conn.execute(f"DELETE FROM v_{column.name}")
        conn.execute(f"INSERT INTO v_{column.name} VALUES ({mark})", (stored,))
        return conn.execute(f"SELECT {sql} FROM v_{column.name}").fetchone()[0]

    return in_sql


@pytest.fixture
def in_sql(request: pytest.FixtureRequest, engine: str) -> Iterator[tuple[InSql, str]]:
    """Evaluate logged-text SQL on ``engine``; and the engine's dialect name."""
    if engine == "sqlite":
        with sqlite3.connect(":memory:") as lite:
            yield _evaluator(lite, sqlite.dialect(), "?"), "sqlite"
        return
    option = request.getfixturevalue("pg_option")
    with psycopg.connect(servers.admin_dsn(option), autocommit=True) as server:
        yield _evaluator(server, postgresql.psycopg.dialect(), "%s"), "postgresql"


amounts = st.decimals(
    min_value=Decimal("-999999999999999.99"), max_value=Decimal("999999999999999.99"), places=2
)


@per_test
@given(amount=st.none() | amounts)
def test_money_is_logged_to_the_cent(in_sql: tuple[InSql, str], amount: Decimal | None) -> None:
    run, dialect = in_sql
    assert run(logged_text_sql(MONEY, "x", dialect), MONEY, amount) == encode_value(amount)


@per_test
@given(area=st.none() | st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_areas_are_logged_as_square_metres_not_fen(
    in_sql: tuple[InSql, str], area: Decimal | None
) -> None:
    """An area is NUMERIC, not money: its logged text is the value itself, to the hundredth."""
    run, dialect = in_sql
    column = Lease.__table__.c.area
    assert run(logged_text_sql(column, "x", dialect), column, area) == encode_value(area)


@per_test
@given(flag=st.none() | st.booleans())
def test_flags_are_logged_as_digits(in_sql: tuple[InSql, str], flag: bool | None) -> None:
    run, dialect = in_sql
    column = Enterprise.__table__.c.chain_role_confirmed
    assert run(logged_text_sql(column, "x", dialect), column, flag) == encode_value(flag)


@per_test
@given(day=st.none() | st.dates(min_value=date(1900, 1, 1)))
def test_dates_are_logged_in_iso_form(in_sql: tuple[InSql, str], day: date | None) -> None:
    run, dialect = in_sql
    column = Lease.__table__.c.start_date
    assert run(logged_text_sql(column, "x", dialect), column, day) == encode_value(day)


@per_test
@given(number=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_integers_are_logged_in_digits(in_sql: tuple[InSql, str], number: int | None) -> None:
    """Any value the column holds (PostgreSQL's INTEGER has four bytes, SQLite's eight)."""
    run, dialect = in_sql
    assume(dialect == "sqlite" or number is None or -(2**31) <= number < 2**31)
    column = AnnualFigures.__table__.c.employees
    assert run(logged_text_sql(column, "x", dialect), column, number) == encode_value(number)


@per_test
@given(name=st.none() | st.text())
def test_an_inserted_row_is_logged_as_json_dumps_writes_it(
    in_sql: tuple[InSql, str], name: str | None
) -> None:
    """Any text the column holds (PostgreSQL's text holds no NUL)."""
    run, dialect = in_sql
    assume(dialect == "sqlite" or name is None or "\x00" not in name)
    column = Enterprise.__table__.c.address
    sql = row_json_sql([column], dialect).replace("n_address", "x")
    expected = json.dumps({"address": encode_value(name)}, ensure_ascii=False)
    assert run(sql, column, name) == expected
