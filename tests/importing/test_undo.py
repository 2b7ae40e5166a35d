"""Undo takes a batch back whole, or refuses and changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.importing import list_batches, undo_batch
from desktop.importing.importer import Importer
from desktop.importing.undo import check_undo
from desktop.models import ChangeRecord, Enterprise, Lease, MonthlyOutput
from desktop.sheets.parsed import SheetKind
from desktop.store import Database, StoreError
from tests.importing.conftest import code, dump, parsed_file, roster_row, sheet

K = SheetKind


def _month(n: int, month: int, output: str) -> dict:
    return {"uscc": code(n), "year": 2023, "month": month, "output": Decimal(output)}


def _import(db: Database, *sheets) -> int:
    report = Importer(db).import_parsed(parsed_file(*sheets))
    assert report.committed
    return report.batch_id


def _batch_a(db: Database) -> int:
    roster = sheet(K.roster, [roster_row(1, phone="1"), roster_row(2), roster_row(3)])
    return _import(db, roster, sheet(K.monthly, [_month(1, 1, "100"), _month(2, 1, "200")]))


def test_undo_restores_the_exact_earlier_state(db: Database) -> None:
    _batch_a(db)
    before = dump(db, audit=False)
    roster = sheet(K.roster, [
        roster_row(1, phone=None, white_list=True, zone="新园区"),  # updated, zone added
        roster_row(4, chain="新链"),  # created
    ])  # fmt: skip
    lease = {"uscc": code(4), "zone": "新园区", "standard_factory": True,
             "monthly_rent": Decimal(9000), "start_date": date(2023, 1, 1),
             "end_date": date(2024, 12, 31)}  # fmt: skip
    b = _import(db, roster, sheet(K.monthly, [_month(1, 1, "150"), _month(4, 2, "10")]),
                sheet(K.leases, [lease]))  # fmt: skip
    assert dump(db, audit=False) != before
    result = undo_batch(db, b)
    assert dump(db, audit=False) == before
    assert (result.deleted, result.restored) == (5, 2)  # enterprise, month, lease, zone, chain
    info = next(i for i in list_batches(db) if i.id == b)
    assert info.undone_by == "测试员" and info.undone_at is not None
    with db.reader() as s:
        undo_log = s.scalars(select(ChangeRecord).where(ChangeRecord.source == "undo")).all()
    assert {r.batch_id for r in undo_log} == {b}
    assert {r.action for r in undo_log} == {"update", "delete"}
    restored = next(r for r in undo_log if r.field == "phone")
    assert (restored.old_value, restored.new_value) == (None, "1")


def test_second_undo_is_refused(db: Database) -> None:
    a = _batch_a(db)
    undo_batch(db, a)
    before = dump(db)
    with pytest.raises(StoreError, match=r"已于 .* 撤销，不能再次撤销"):
        undo_batch(db, a)
    assert dump(db) == before


def test_unknown_batch_is_refused(db: Database) -> None:
    with pytest.raises(StoreError, match="没有编号为 42 的导入批次"):
        undo_batch(db, 42)


def test_refused_after_a_window_edit_of_the_same_row(db: Database) -> None:
    a = _batch_a(db)
    with db.session() as s:
        s.scalars(select(Enterprise).where(Enterprise.uscc == code(2))).one().name = "窗口改名"
    before = dump(db)
    with pytest.raises(StoreError, match=f"企业名录 {code(2)} .*测试员在窗口中修改"):
        undo_batch(db, a)
    assert dump(db) == before


def test_later_batch_blocks_until_it_is_undone(db: Database) -> None:
    empty = dump(db, audit=False)
    a = _batch_a(db)
    b = _import(db, sheet(K.monthly, [_month(1, 1, "999")]))
    with pytest.raises(StoreError, match=f"在批次 {b} 导入时修改"):
        undo_batch(db, a)
    undo_batch(db, b)
    undo_batch(db, a)
    assert dump(db, audit=False) == empty


def test_the_refusal_names_the_later_batches_to_undo_first_newest_first(db: Database) -> None:
    a = _batch_a(db)
    b = _import(db, sheet(K.monthly, [_month(1, 1, "999")]))
    c = _import(db, sheet(K.roster, [roster_row(2, phone="2")]))
    before = dump(db)
    with pytest.raises(StoreError, match=f"请先依次撤销批次 {c}、{b}，再撤销批次 {a}$"):
        check_undo(db, a)
    assert dump(db) == before  # asking changes nothing
    undo_batch(db, c)
    with pytest.raises(StoreError, match=f"请先撤销批次 {b}，再撤销批次 {a}$"):
        undo_batch(db, a)


def test_refused_when_a_new_enterprise_has_figures_from_elsewhere(db: Database) -> None:
    a = _batch_a(db)
    with db.session() as s:
        ent = s.scalars(select(Enterprise).where(Enterprise.uscc == code(3))).one()
        s.add(MonthlyOutput(enterprise=ent, year=2023, month=5, output=Decimal(1)))
    before = dump(db)
    with pytest.raises(StoreError, match="已被其他数据使用（月度产值 1 行）"):
        undo_batch(db, a)
    assert dump(db) == before


def test_an_area_changed_by_an_import_is_logged_and_undone_as_square_metres(db: Database) -> None:
    zones = sheet(K.zones, [{"name": "甲园区", "level": "省级", "kind": "工业类"}])

    def lease(area: str) -> dict:
        return {"uscc": code(1), "zone": "甲园区", "standard_factory": True,
                "area": Decimal(area), "monthly_rent": Decimal(8000),
                "start_date": date(2023, 1, 1), "end_date": date(2023, 12, 31)}  # fmt: skip

    _import(db, zones, sheet(K.roster, [roster_row(1)]), sheet(K.leases, [lease("600")]))
    batch = _import(db, sheet(K.leases, [lease("650.5")]))
    with db.reader() as s:
        line = s.scalars(select(ChangeRecord).where(ChangeRecord.field == "area")).one()
        assert (line.old_value, line.new_value) == ("600.00", "650.50")
    undo_batch(db, batch)
    with db.reader() as s:
        assert s.scalar(select(Lease.area)) == Decimal("600.00")
