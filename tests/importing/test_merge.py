"""The texts the SQL merge logs are those ``encode_value`` and ``json.dumps`` give in Python."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column
from sqlalchemy.dialects import sqlite

from desktop.models import AnnualFigures, Enterprise, Lease
from desktop.store.changelog import bind_processor, encode_value, logged_text_sql, row_json_sql

DIALECT = sqlite.dialect()
MONEY = Lease.__table__.c.monthly_rent
CONN = sqlite3.connect(":memory:")


def _in_sql(sql: str, column: Column[Any], value: Any) -> Any:
    """``sql`` (over a column named x) evaluated by SQLite with ``value`` stored as ``column``."""
    process = bind_processor(DIALECT, column)
    stored = value if process is None or value is None else process(value)
    kind = column.type.compile(dialect=DIALECT)
    CONN.execute(f"CREATE TEMP TABLE IF NOT EXISTS v_{column.name} (x {kind})")
    CONN.execute(f"DELETE FROM v_{column.name}")
    CONN.execute(f"INSERT INTO v_{column.name} VALUES (?)", (stored,))
    return CONN.execute(f"SELECT {sql} FROM v_{column.name}").fetchone()[0]


amounts = st.decimals(
    min_value=Decimal("-999999999999999.99"), max_value=Decimal("999999999999999.99"), places=2
)


@given(st.none() | amounts)
def test_money_is_logged_to_the_cent(amount: Decimal | None) -> None:
    assert _in_sql(logged_text_sql(MONEY, "x"), MONEY, amount) == encode_value(amount)


@given(st.none() | st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_areas_are_logged_as_square_metres_not_fen(area: Decimal | None) -> None:
    """An area is NUMERIC, not money: its logged text is the value itself, to the hundredth."""
    column = Lease.__table__.c.area
    assert _in_sql(logged_text_sql(column, "x"), column, area) == encode_value(area)


@given(st.none() | st.booleans())
def test_flags_are_logged_as_digits(flag: bool | None) -> None:
    column = Enterprise.__table__.c.chain_role_confirmed
    assert _in_sql(logged_text_sql(column, "x"), column, flag) == encode_value(flag)


@given(st.none() | st.dates(min_value=date(1900, 1, 1)))
def test_dates_are_logged_in_iso_form(day: date | None) -> None:
    column = Lease.__table__.c.start_date
    assert _in_sql(logged_text_sql(column, "x"), column, day) == encode_value(day)


@given(st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_integers_are_logged_in_digits(number: int | None) -> None:
    column = AnnualFigures.__table__.c.employees
    assert _in_sql(logged_text_sql(column, "x"), column, number) == encode_value(number)


@given(st.none() | st.text())
def test_an_inserted_row_is_logged_as_json_dumps_writes_it(name: str | None) -> None:
    column = Enterprise.__table__.c.address
    sql = row_json_sql([column]).replace("n_address", "x")
    expected = json.dumps({"address": encode_value(name)}, ensure_ascii=False)
    assert _in_sql(sql, column, name) == expected
