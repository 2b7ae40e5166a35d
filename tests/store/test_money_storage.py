"""Money is stored as whole fen: every digit kept, and older files converted on opening."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.models import AnnualFigures, MonthlyOutput
from desktop.samples import load_sample
from desktop.store import Database, open_database
from desktop.store.migrate import alembic_config, run_migration


@pytest.mark.parametrize("amount", ["999999999999999.99", "12345678901234.57", "0.01", "-0.05"])
def test_every_digit_is_kept(db: Database, amount: str) -> None:
    load_sample(db)  # a taxable income may be negative (a loss): every amount fits it
    with db.session("command") as s:
        s.scalars(select(AnnualFigures)).first().taxable_income = Decimal(amount)
    with db.reader() as s:
        assert s.scalars(select(AnnualFigures)).first().taxable_income == Decimal(amount)
    with sqlite3.connect(db.path) as conn:
        stored = conn.execute(
            "SELECT typeof(taxable_income) FROM annual_figures WHERE taxable_income IS NOT NULL"
        ).fetchall()
    assert {kind for (kind,) in stored} == {"integer"}


def test_a_file_with_yuan_is_converted_to_fen(db: Database, db_path: Path) -> None:
    load_sample(db)
    with db.reader() as s:
        before = dict(s.execute(select(MonthlyOutput.id, MonthlyOutput.output)).all())
    run_migration(db.engine, alembic_config(), "0001", downgrade=True)
    with sqlite3.connect(db_path) as conn:
        yuan = dict(conn.execute("SELECT id, output FROM monthly_output").fetchall())
    assert yuan == {k: pytest.approx(float(v)) for k, v in before.items()}  # as 0001 kept them
    db.close()
    reopened = open_database(db_path, "测试员")
    try:
        with reopened.reader() as s:
            after = dict(s.execute(select(MonthlyOutput.id, MonthlyOutput.output)).all())
    finally:
        reopened.close()
    assert after == before
