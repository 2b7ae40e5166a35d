"""The change log records every insert, update and delete, attributed, and is append-only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from desktop.models import (
    AnnualFigures,
    ChangeRecord,
    County,
    Enterprise,
    ImportLine,
    Lease,
    Zone,
    utcnow,
)
from desktop.roster.history import walked_back
from desktop.store import Database
from desktop.store.changelog import (
    LINES,
    Entry,
    decode_value,
    encode_value,
    newest,
    write_entries,
)
from desktop.store.database import AuditedSession

CODE = "91140902MA0XY00010"


def _log(db: Database) -> list[ChangeRecord]:
    with db.reader() as s:
        return list(s.scalars(select(ChangeRecord).order_by(ChangeRecord.id)))


def _add_enterprise(db: Database) -> int:
    with db.session(source="window") as s:
        county = s.scalar(select(County).where(County.name == "忻府区"))
        ent = Enterprise(uscc=CODE, name="测试企业", county=county, industry_code="C3311")
        ent.annual_figures.append(AnnualFigures(year=2022, taxable_income=Decimal("1000000")))
        s.add(ent)
        s.flush()
        return ent.id


def test_insert_is_logged_with_operator_source_and_values(db: Database) -> None:
    _add_enterprise(db)
    records = _log(db)
    assert [(r.table_name, r.action) for r in records] == [
        ("enterprise", "insert"),
        ("annual_figures", "insert"),
    ]
    first = records[0]
    assert (first.operator, first.source, first.row_key) == ("测试员", "window", CODE)
    assert records[1].row_key == f"{CODE} 2022"
    assert [r.new_value for r in records] == [None, None]  # the values are the rows' own
    with db.reader() as s:
        rows = walked_back(s, records)
    assert json.loads(rows[first.id])["name"] == "测试企业"
    assert json.loads(rows[records[1].id])["taxable_income"] == "1000000.00"


def test_update_logs_each_changed_field_old_and_new(db: Database) -> None:
    ent_id = _add_enterprise(db)
    with db.session(source="window") as s:
        ent = s.get(Enterprise, ent_id)
        ent.name = "改名企业"
        ent.white_list = True
        ent.industry_code = "C3311"  # unchanged value: not logged
    updates = [r for r in _log(db) if r.action == "update"]
    assert {(r.field, r.old_value, r.new_value) for r in updates} == {
        ("name", "测试企业", "改名企业"),
        ("white_list", "0", "1"),
    }


def test_delete_is_logged_with_the_old_values(db: Database) -> None:
    ent_id = _add_enterprise(db)
    with db.session(source="window") as s:
        s.delete(s.get(Enterprise, ent_id))
    deletes = [r for r in _log(db) if r.action == "delete"]
    assert {r.table_name for r in deletes} == {"enterprise", "annual_figures"}
    ent_delete = next(r for r in deletes if r.table_name == "enterprise")
    assert json.loads(ent_delete.old_value)["uscc"] == CODE
    with db.reader() as s:
        assert s.scalar(select(AnnualFigures)) is None


def test_a_failed_transaction_logs_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        s.add(Zone(name="某园区", level="省级", kind="工业类"))
        s.flush()
        raise RuntimeError("boom")
    assert _log(db) == []


def test_writing_without_attribution_is_refused(db: Database) -> None:
    # A session on the write engine without attribution (the reader may not write at all).
    with AuditedSession(db.engine) as s, pytest.raises(RuntimeError, match="AuditContext"):
        s.add(Zone(name="无名园区"))
        s.flush()


def test_bulk_entries_are_attributed_to_the_batch_context(db: Database) -> None:
    with db.engine.begin() as conn:
        entry = Entry("zone", 7, "某园区", "update", "level", "市级", "省级", source_row=12)
        write_entries(conn, db.audit("import"), [entry])
    (record,) = _log(db)
    assert (record.source, record.source_row, record.operator) == ("import", 12, "测试员")


def test_bulk_entries_store_the_time_as_the_orm_does(db: Database) -> None:
    before = utcnow()
    with db.engine.begin() as conn:
        write_entries(conn, db.audit("import"), [Entry("zone", 7, "某园区", "insert")])
    _add_enterprise(db)  # an ORM write, for the stored form to compare with
    bulk, orm = _log(db)[:2]
    assert bulk.at.tzinfo is UTC and before <= bulk.at <= orm.at <= utcnow()
    with db.engine.connect() as conn:
        stored = [r[0] for r in conn.execute(text("SELECT at FROM change_log ORDER BY id"))]
    if db.on_server:  # a timestamp column: the same type either way
        assert type(stored[0]) is type(stored[1]) is datetime
    else:  # SQLite keeps text: the same form either way
        assert len(stored[0]) == len(stored[1]) == len("2026-01-02 03:04:05.123456")


@pytest.mark.parametrize(
    "statement", ["UPDATE change_log SET operator='x'", "DELETE FROM change_log"]
)
def test_the_log_cannot_be_edited_or_deleted(db: Database, statement: str) -> None:
    _add_enterprise(db)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    assert len(_log(db)) == 2


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("monthly_rent", Decimal("12345.60")),
        ("start_date", date(2023, 2, 28)),
        ("standard_factory", True),
        ("standard_factory", False),
        ("zone_id", 3),
        ("monthly_rent", None),
    ],
)
def test_logged_values_decode_to_the_column_type(column: str, value: object) -> None:
    assert decode_value(Lease.__table__, column, encode_value(value)) == value


def test_an_orphan_removed_from_its_enterprise_is_logged(db: Database) -> None:
    ent_id = _add_enterprise(db)
    with db.session(source="window") as s:
        ent = s.get(Enterprise, ent_id)
        ent.annual_figures.clear()  # delete-orphan: never passes through session.delete
    (deleted,) = [r for r in _log(db) if r.action == "delete"]
    assert deleted.table_name == "annual_figures" and deleted.row_key == f"{CODE} 2022"
    assert json.loads(deleted.old_value)["taxable_income"] == "1000000.00"


def test_the_newest_lines_are_the_first_of_all_lines_newest_first(sample_db: Database) -> None:
    with sample_db.session(source="window") as s:  # a change-log line after the import lines
        s.scalars(select(Enterprise).limit(1)).one().name = "改名企业"
    with sample_db.reader() as s:
        every = s.execute(select(LINES).order_by(LINES.c.id.desc())).all()
        assert every[0].action == "update" and len(every) > 20
        assert s.scalar(select(func.count()).select_from(ImportLine)) > 0  # both tables
        for limit in (1, 3, 20, len(every) + 5):
            assert s.execute(newest(limit)).all() == every[:limit]
