"""Money is stored as whole fen: every digit kept, and older files converted on opening."""

from __future__ import annotations

import sqlite3
from contextlib import closing
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
        s.scalars(
            select(AnnualFigures).order_by(AnnualFigures.id)
        ).first().taxable_income = Decimal(amount)
    with db.reader() as s:
        assert s.scalars(
            select(AnnualFigures).order_by(AnnualFigures.id)
        ).first().taxable_income == Decimal(amount)
    with db.engine.connect() as conn:  # as the driver hands them over: whole numbers of fen
        stored = (
            conn.exec_driver_sql(
                "SELECT taxable_income FROM annual_figures WHERE taxable_income IS NOT NULL"
            )
            .scalars()
            .all()
        )
    assert all(type(fen) is int for fen in stored)
    assert int(Decimal(amount).scaleb(2)) in stored


@pytest.mark.sqlite_only  # 0001's files held yuan; a server database starts at head
def test_a_file_with_yuan_is_converted_to_fen(db: Database, db_path: Path) -> None:
    load_sample(db)
    with db.reader() as s:
        before = dict(s.execute(select(MonthlyOutput.id, MonthlyOutput.output)).all())
    run_migration(db.engine, alembic_config(), "0001", downgrade=True)
    with closing(sqlite3.connect(db_path)) as conn:  # closed: the migration waits for others
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
