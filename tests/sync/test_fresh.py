"""The new rows' package lines made by SQL are those the general path writes of the same rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Table, func, select

from desktop.models import County, Enterprise, MonthlyOutput
from desktop.store import Database
from desktop.sync import fresh
from desktop.sync.export import LOG, cut


def _cut(db: Database) -> list[str]:
    with db.engine.begin() as conn:
        until = conn.execute(select(func.max(LOG.c.id))).scalar_one()
        return cut(conn, 0, until, "忻府区")


def test_the_fast_path_writes_the_lines_the_general_path_writes(
    sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sample_db.session() as s:  # texts JSON escapes, a value left empty, money, a month
        county = s.scalars(select(County)).first()
        odd = Enterprise(uscc="91140902MA0XY9999Q", name='引号"、反斜杠\\、换行\n、\t\x01😀',
                         county=county, contact=None, above_scale=True)  # fmt: skip
        s.add_all([odd, MonthlyOutput(enterprise=odd, year=2023, month=7, output=Decimal("0.5"))])
    by_sql: list[str] = []
    lines = fresh.FreshRows.lines

    def spied(self: fresh.FreshRows, table: Table) -> list[tuple[int, str]]:
        found = lines(self, table)
        by_sql.extend(text for _, text in found)
        return found

    monkeypatch.setattr(fresh.FreshRows, "lines", spied)
    fast = _cut(sample_db)
    monkeypatch.setattr(fresh.FreshRows, "_write", lambda self, table: None)  # no line by SQL
    general = _cut(sample_db)
    assert fast == general
    assert sorted(by_sql) == sorted(line for line in fast if '"changed":null' in line)
    assert len(by_sql) > 50 and any("😀" in line for line in by_sql)
