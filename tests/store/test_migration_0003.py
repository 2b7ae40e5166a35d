"""Migration 0003 from a 0002 file: areas become square metres, restricted_industry may be
unknown, and the CHECK constraints refuse what the rules refuse."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.models import AnnualFigures, Lease, MonthlyOutput
from desktop.roster.history import LogFilter, fetch_log_rows, log_ids
from desktop.store import open_database
from desktop.store.migrate import alembic_config, run_migration

CODE = "91140902MA0EXAMPL3"


def _at_0002_with_rows(db_path: Path) -> None:
    db = open_database(db_path, "测试员")
    run_migration(db.engine, alembic_config(), "0002", downgrade=True)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO enterprise (id, uscc, name, county_id, above_scale, white_list, "
            "chain_leader, is_sample) VALUES (1, ?, '甲', 1, 0, 0, 0, 0)",
            (CODE,),
        )
        conn.execute("INSERT INTO zone (id, name) VALUES (1, '园区')")
        # 0002 kept the area as money: 1234.56 square metres as 123456 "fen".
        conn.execute(
            "INSERT INTO lease (enterprise_id, zone_id, standard_factory, area, monthly_rent) "
            "VALUES (1, 1, 1, 123456, 500000)"
        )
        conn.execute(
            "INSERT INTO annual_figures (enterprise_id, year, restricted_industry) "
            "VALUES (1, 2022, 1)"
        )


def _with_negatives(db_path: Path) -> None:
    """Negative amounts as 0002 let the import store them (in fen)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO monthly_output (enterprise_id, year, month, output) "
                     "VALUES (1, 2023, 1, -500000), (1, 2023, 2, 700000)")  # fmt: skip
        conn.execute("INSERT INTO annual_figures (enterprise_id, year, output, taxable_income, "
                     "restricted_industry) VALUES (1, 2023, -100, -2500, 0)")  # fmt: skip


def test_upgrade_from_0002_converts_areas_and_frees_restricted(db_path: Path) -> None:
    _at_0002_with_rows(db_path)
    db = open_database(db_path, "测试员")  # migrates to head on open
    try:
        with db.session(source="command") as s:
            lease = s.query(Lease).one()
            assert lease.area == Decimal("1234.56")
            assert lease.monthly_rent == Decimal("5000.00")
            annual = s.query(AnnualFigures).one()
            assert annual.restricted_industry is True
            annual.restricted_industry = None  # not given is now a value of its own
        with db.reader() as s:
            assert s.query(AnnualFigures).one().restricted_industry is None
    finally:
        db.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE monthly_output SET month = 13",
        "UPDATE monthly_output SET output = -1",
        "UPDATE enterprise SET uscc = '9114'",
        "UPDATE lease SET area = -1",
        "UPDATE lease SET monthly_rent = -100",
        "UPDATE annual_figures SET employees = -3",
        "UPDATE annual_figures SET total_assets = -1",
    ],
)
def test_checks_refuse_what_the_rules_refuse(db_path: Path, statement: str) -> None:
    _at_0002_with_rows(db_path)
    open_database(db_path, "测试员").close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO monthly_output (enterprise_id, year, month, output) "
                     "VALUES (1, 2023, 1, 100)")  # fmt: skip
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(statement)
        conn.execute("UPDATE annual_figures SET taxable_income = -500")  # a loss is allowed


def test_downgrade_to_0002_brings_areas_back(db_path: Path) -> None:
    _at_0002_with_rows(db_path)
    db = open_database(db_path, "测试员")
    run_migration(db.engine, alembic_config(), "0002", downgrade=True)
    db.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT area FROM lease").fetchone() == (123456,)


def test_negative_amounts_from_0002_are_taken_out_and_logged(db_path: Path) -> None:
    _at_0002_with_rows(db_path)
    _with_negatives(db_path)
    db = open_database(db_path, "测试员")
    try:
        with db.reader() as s:
            months = s.execute(select(MonthlyOutput.month, MonthlyOutput.output)).all()
            annual = s.scalars(select(AnnualFigures).where(AnnualFigures.year == 2023)).one()
            assert (annual.output, annual.taxable_income) == (None, Decimal("-25.00"))
            ids = log_ids(s, LogFilter())
            shown = [row[2:] for row in fetch_log_rows(s, ids).values()]
    finally:
        db.close()
    assert months == [(2, Decimal("7000.00"))]
    assert sorted(shown) == [
        ("数据库升级", "年度数据", f"{CODE} 2023", "修改", "工业总产值", "-1.00 元", None),
        ("数据库升级", "月度产值", f"{CODE} 2023-01", "删除", None,
         "年份：2023；月份：1；工业总产值：-5000.00 元", None),
    ]  # fmt: skip
