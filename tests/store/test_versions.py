"""Versions on business rows: a save over a row saved meanwhile is refused and explained, the
bulk writers count versions up, and the change log never speaks of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from importlib import import_module

import pytest
from sqlalchemy import select

from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.states import State
from desktop.cases.writes import update_objects
from desktop.importing.importer import Importer
from desktop.importing.undo import undo_batch
from desktop.models import Base, Case, ChangeRecord, County, Enterprise
from desktop.roster.records import load_record, save_record
from desktop.sheets.parsed import SheetKind as K
from desktop.store import Database
from desktop.store.errors import RowChanged
from desktop.store.migrate import SCRIPT_LOCATION
from desktop.taskforce.teams import PersonEntry, save_person
from tests.cases.conftest import BASIS, PARAMETERS, add_enterprises, code, result
from tests.importing.conftest import parsed_file, roster_row, sheet

UNVERSIONED = {"change_log", "import_line", "import_batch", "setting", "case_move",
               "presence", "package_sent", "package_received", "sync_conflict"}  # fmt: skip


def _as(db: Database, operator: str) -> Database:
    """The same database, worked on by another officer."""
    return replace(db, operator=operator)


def _enterprise(db: Database) -> Enterprise:
    """Enterprise 1, read (and left detached, as a window holds it)."""
    with db.reader() as s:
        found = s.scalar(select(Enterprise).where(Enterprise.uscc == code(1)))
        assert found is not None
        return found


def _updates(db: Database, field: str) -> list[tuple[str, str | None, str | None]]:
    with db.reader() as s:
        lines = s.scalars(
            select(ChangeRecord).where(
                ChangeRecord.table_name == "enterprise", ChangeRecord.field == field
            )
        )
        return [(r.operator, r.old_value, r.new_value) for r in lines]


@pytest.fixture
def one(db: Database) -> Database:
    """The test database holding enterprise 1."""
    with db.session(source="command") as s:
        add_enterprises(s, 1)
    return db


def test_every_business_table_and_only_those_keep_a_version() -> None:
    versioned = {t.name for t in Base.metadata.sorted_tables if "version" in t.c}
    assert versioned == set(Base.metadata.tables) - UNVERSIONED
    for table in Base.metadata.tables.values():
        if table.name in versioned:
            assert table.c.version.info["label"] == "版本"
            assert not table.c.version.nullable


def test_the_migration_lists_the_same_tables() -> None:
    (path,) = (SCRIPT_LOCATION / "versions").glob("*_row_versions.py")  # whatever its number
    migration = import_module(f"desktop.store.migrations.versions.{path.stem}")
    versioned = {t.name for t in Base.metadata.sorted_tables if "version" in t.c}
    assert set(migration.VERSIONED) == versioned


def test_a_save_counts_the_version_up_and_is_not_logged_as_a_change(one: Database) -> None:
    ent = _enterprise(one)
    assert ent.version == 1
    ent.name = "新名称"
    with one.session() as s:
        s.add(ent)
    assert ent.version == 2 and _enterprise(one).version == 2
    assert _updates(one, "version") == []
    assert _updates(one, "name") == [("测试员", "测试企业1", "新名称")]


def test_a_stale_orm_save_is_refused_naming_field_values_and_who(one: Database) -> None:
    earlier = _enterprise(one)
    earlier.contact = "赵六"  # saved before both officers read the row: not meanwhile
    with _as(one, "赵六").session() as s:
        s.add(earlier)
    mine, theirs = _enterprise(one), _enterprise(_as(one, "李四"))
    theirs.name, theirs.phone = "李四改的名称", "0350-1234567"
    with _as(one, "李四").session() as s:
        s.add(theirs)
    mine.name, mine.contact = "我改的名称", "王五"
    with pytest.raises(RowChanged) as refused, one.session() as s:
        s.add(mine)
    error = refused.value
    assert (error.table, error.row_key, error.version, error.operator) == (
        "enterprise", code(1), 3, "李四",
    )  # fmt: skip
    name, contact = error.fields
    assert (name.field, name.label, name.mine, name.theirs, name.operator) == (
        "name", "企业名称", "我改的名称", "李四改的名称", "李四",
    )  # fmt: skip
    assert (contact.field, contact.mine, contact.theirs, contact.operator) == (
        "contact", "王五", "赵六", None,
    )  # fmt: skip
    assert "企业名称：您的「我改的名称」，已保存的「李四改的名称」" in str(error)
    assert "李四" in str(error)
    stored = _enterprise(one)  # theirs kept whole; mine refused whole, and still in the error
    assert (stored.name, stored.phone, stored.contact, stored.version) == (
        "李四改的名称", "0350-1234567", "赵六", 3,
    )  # fmt: skip
    assert _updates(one, "name") == [("李四", "测试企业1", "李四改的名称")]
    assert _updates(one, "contact") == [("赵六", None, "赵六")]


def test_a_reference_changed_through_its_relationship_reads_as_its_name(one: Database) -> None:
    mine, theirs = _enterprise(one), _enterprise(one)
    with one.reader() as s:
        counties = {c.name: c for c in s.scalars(select(County))}
    ids = {name: county.id for name, county in counties.items()}
    theirs.county = counties["原平市"]
    with _as(one, "李四").session() as s:
        s.add(theirs)
    mine.county = counties["定襄县"]
    with pytest.raises(RowChanged) as refused, one.session() as s:
        s.add(mine)
    (county,) = refused.value.fields
    assert (county.field, county.label, county.mine_text, county.theirs_text) == (
        "county_id", "所属县（市、区）", "定襄县", "原平市",
    )  # fmt: skip
    assert (county.mine, county.theirs) == (ids["定襄县"], ids["原平市"])


def test_a_stale_record_save_is_refused_and_a_save_over_the_new_version_goes_through(
    one: Database,
) -> None:
    with one.reader() as s:
        base = load_record(s, code(1))
    assert base.version == 1
    save_record(_as(one, "李四"), replace(base, name="李四改的名称"), code(1))
    with pytest.raises(RowChanged) as refused:
        save_record(one, replace(base, phone="13800000000"), code(1))
    fields = {f.field: (f.mine, f.theirs, f.operator) for f in refused.value.fields}
    # the record writes every field: the name it still has is the old one, against theirs
    assert fields == {
        "name": ("测试企业1", "李四改的名称", "李四"),
        "phone": ("13800000000", None, None),
    }
    merged = replace(base, name="李四改的名称", phone="13800000000", version=refused.value.version)
    save_record(one, merged, code(1))
    assert merged.version == 3  # the record now rests on the version it saved
    with one.reader() as s:
        stored = load_record(s, code(1))
    assert (stored.name, stored.phone, stored.version) == ("李四改的名称", "13800000000", 3)


def test_a_stale_delete_is_refused(one: Database) -> None:
    ent = _enterprise(one)
    fresh = _enterprise(one)
    fresh.name = "改过"
    with one.session() as s:
        s.add(fresh)
    with pytest.raises(RowChanged), one.session() as s:
        s.delete(s.merge(ent, load=False))
    assert _enterprise(one).name == "改过"


def _import_roster(db: Database, **extra: object) -> int:
    report = Importer(db).import_parsed(parsed_file(sheet(K.roster, [roster_row(1, **extra)])))
    assert report.batch_id is not None
    return report.batch_id


def test_an_import_counts_up_the_rows_it_updates_and_an_undo_again(db: Database) -> None:
    _import_roster(db)
    before = _enterprise(db)
    assert before.version == 1
    batch = _import_roster(db, phone="0350-7654321")
    assert _enterprise(db).version == 2
    before.phone = "窗口里改的"
    with pytest.raises(RowChanged) as refused, db.session() as s:
        s.add(before)
    (phone,) = refused.value.fields
    assert (phone.mine, phone.theirs, phone.operator) == ("窗口里改的", "0350-7654321", "测试员")
    assert _enterprise(db).phone == "0350-7654321"
    undo_batch(db, batch)
    after = _enterprise(db)
    assert (after.phone, after.version) == (None, 3)
    assert _updates(db, "version") == []


def test_an_import_leaving_a_row_as_it_is_keeps_its_version(db: Database) -> None:
    _import_roster(db)
    _import_roster(db)
    assert _enterprise(db).version == 1


def test_bulk_case_moves_count_versions_up_and_keep_held_objects_current(db: Database) -> None:
    with db.session(source="command") as s:
        add_enterprises(s, 2)
        cases = open_cases(s, [result(1), result(2)], BASIS, PARAMETERS)
        assert [c.version for c in cases] == [1, 1]
        move_cases(s, cases, Move(State.RECEIVED, on=date(2023, 6, 5)), PARAMETERS)
        assert [c.version for c in cases] == [2, 2]
    with db.reader() as s:
        assert list(s.scalars(select(Case.version).order_by(Case.id))) == [2, 2]


def test_a_bulk_update_of_objects_read_before_a_save_is_refused(db: Database) -> None:
    with db.session(source="command") as s:
        add_enterprises(s, 1)
        (opened,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
    with _as(db, "李四").session() as s:
        (fresh,) = s.scalars(select(Case))
        move_cases(s, [fresh], Move(State.RECEIVED, on=date(2023, 6, 5)), PARAMETERS)
    with pytest.raises(RowChanged) as refused, db.session() as s:
        stale = s.merge(opened, load=False)
        update_objects(s, [(stale, {"approval_reason": "核减"})])
    assert refused.value.operator == "李四"
    assert refused.value.fields[0].mine == "核减"
    with db.reader() as s:
        case = s.scalars(select(Case)).one()
        assert (case.state, case.approval_reason, case.version) == ("received", None, 2)


def test_a_person_changed_over_a_stale_version_is_refused(db: Database) -> None:
    with db.session() as s:
        person = save_person(s, PersonEntry("张伟", "服务专员", phone="111"))
    read_at = person.version
    with _as(db, "李四").session() as s:
        save_person(s, PersonEntry("张伟", "服务专员", phone="222"), person.id, read_at)
    with pytest.raises(RowChanged) as refused, db.session() as s:
        save_person(s, PersonEntry("张伟", "服务专员", phone="333"), person.id, read_at)
    (phone,) = refused.value.fields
    assert (phone.mine, phone.theirs, phone.operator) == ("333", "222", "李四")
