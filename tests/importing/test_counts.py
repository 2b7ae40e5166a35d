"""What an import counts, sheet by sheet, and what it leaves in the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from desktop.importing.importer import Importer
from desktop.models import AnnualFigures, Enterprise, KeyChain, Lease, MonthlyOutput, Zone
from desktop.sheets.parsed import ParsedRow, SheetKind
from desktop.store import Database
from tests.importing.conftest import code, parsed_file, roster_row, sheet

K = SheetKind


def _counts(report, kind: SheetKind) -> tuple[int, int, int, int, int]:
    found = next(s for s in report.sheets if s.kind is kind)
    return (found.created, found.updated, found.unchanged, found.skipped,
            len(found.rejected_rows))  # fmt: skip


def test_every_count_kind(db: Database) -> None:
    first = sheet(K.roster, [roster_row(1), roster_row(2), roster_row(3)])
    Importer(db).import_parsed(parsed_file(first))
    again = sheet(
        K.roster,
        [
            roster_row(1),  # unchanged
            roster_row(2, name="企业2（更名）"),  # updated
            roster_row(4),  # created
            {**roster_row(5), "county": "不存在县"},  # rejected
        ],
    )
    again.skipped = 3  # blank, total and note rows the reader skipped
    report = Importer(db).import_parsed(parsed_file(again))
    assert report.committed and report.error is None
    assert _counts(report, K.roster) == (1, 1, 1, 3, 1)
    with db.reader() as s:
        names = dict(s.execute(select(Enterprise.uscc, Enterprise.name)).all())
    assert names == {code(1): "企业1", code(2): "企业2（更名）", code(3): "企业3", code(4): "企业4"}


def test_keys_of_each_figure_kind(db: Database) -> None:
    roster = sheet(K.roster, [roster_row(1)])
    monthly = sheet(K.monthly, [
        {"uscc": code(1), "year": 2023, "month": 1, "output": Decimal("1000000")},
        {"uscc": code(1), "year": 2023, "month": 2, "output": Decimal("1200000")},
    ])  # fmt: skip
    annual = sheet(K.annual, [
        {"uscc": code(1), "year": 2022, "employees": 40, "taxable_income": Decimal("250000")},
    ])  # fmt: skip
    lease = {"uscc": code(1), "zone": "甲园区", "standard_factory": True,
             "monthly_rent": Decimal("12000"), "start_date": date(2022, 3, 1),
             "end_date": date(2024, 2, 29)}  # fmt: skip
    leases = sheet(K.leases, [lease, {**lease, "start_date": date(2024, 3, 1),
                                      "end_date": date(2026, 2, 28)}])  # fmt: skip
    zones = sheet(K.zones, [{"name": "甲园区", "level": "省级", "kind": "工业类"}])
    report = Importer(db).import_parsed(parsed_file(leases, annual, monthly, roster, zones))
    assert [(s.kind, s.created) for s in report.sheets] == [
        (K.leases, 2), (K.annual, 1), (K.monthly, 2), (K.roster, 1), (K.zones, 1),
    ]  # fmt: skip
    # The same key again updates in place: a new month's figure, not a second row.
    monthly_again = sheet(K.monthly, [
        {"uscc": code(1), "year": 2023, "month": 2, "output": Decimal("1300000")},
    ])  # fmt: skip
    again = Importer(db).import_parsed(parsed_file(monthly_again))
    assert _counts(again, K.monthly) == (0, 1, 0, 0, 0)
    with db.reader() as s:
        outputs = s.execute(select(MonthlyOutput.month, MonthlyOutput.output)).all()
        zone = s.scalars(select(Zone)).one()
        assert s.scalars(select(Lease.zone_id)).all() == [zone.id, zone.id]
        figures = s.scalars(select(AnnualFigures)).one()
    assert sorted(outputs) == [(1, Decimal("1000000.00")), (2, Decimal("1300000.00"))]
    assert zone.industrial_provincial
    assert (figures.employees, figures.taxable_income, figures.output) == (
        40, Decimal("250000.00"), None,
    )  # fmt: skip


def test_absent_column_leaves_field_alone(db: Database) -> None:
    Importer(db).import_parsed(parsed_file(sheet(K.roster, [roster_row(1, phone="0350-1")])))
    update = sheet(K.roster, [{"uscc": code(1), "name": "企业1", "county": "忻府区",
                               "contact": "张三"}])  # fmt: skip
    report = Importer(db).import_parsed(parsed_file(update))
    assert _counts(report, K.roster) == (0, 1, 0, 0, 0)
    with db.reader() as s:
        ent = s.scalars(select(Enterprise)).one()
    assert (ent.phone, ent.contact) == ("0350-1", "张三")


def test_unknown_zone_and_chain_are_created_and_said(db: Database) -> None:
    rows = [roster_row(1, zone="新园区", chain="新材料产业链"), roster_row(2, zone="新园区")]
    report = Importer(db).import_parsed(parsed_file(sheet(K.roster, rows)))
    assert _counts(report, K.roster) == (2, 0, 0, 0, 0)
    assert len(report.notes) == 2
    assert "新建开发区「新园区」" in report.notes[0] and "第2行" in report.notes[0]
    assert "新建产业链「新材料产业链」" in report.notes[1]
    with db.reader() as s:
        zone = s.scalars(select(Zone)).one()
        assert (zone.name, zone.level, zone.kind) == ("新园区", None, None)
        assert s.scalars(select(KeyChain.name)).all() == ["新材料产业链"]
        assert set(s.scalars(select(Enterprise.zone_id))) == {zone.id}


def test_money_is_kept_to_the_cent(db: Database) -> None:
    rows = [{"uscc": code(1), "year": 2023, "month": 1, "output": Decimal("12345.678")}]
    roster = sheet(K.roster, [roster_row(1)])
    Importer(db).import_parsed(parsed_file(roster, sheet(K.monthly, rows)))
    again = Importer(db).import_parsed(parsed_file(sheet(K.monthly, rows)))
    assert _counts(again, K.monthly) == (0, 0, 1, 0, 0)  # 12345.678 is stored as 12345.68
    with db.reader() as s:
        assert s.scalar(select(MonthlyOutput.output)) == Decimal("12345.68")


def test_parsed_row_numbers_are_the_sheets_own(db: Database) -> None:
    roster = sheet(K.roster, [])
    roster.rows = [ParsedRow(17, {**roster_row(1), "county": "外省县"})]
    report = Importer(db).import_parsed(parsed_file(roster))
    assert [r.row for r in report.sheets[0].rejected] == [17]


def _lease(zone: str) -> dict[str, object]:
    return {"uscc": code(1), "zone": zone, "standard_factory": True,
            "monthly_rent": Decimal(500), "start_date": date(2023, 1, 1),
            "end_date": date(2023, 12, 31)}  # fmt: skip


def test_a_lease_naming_an_unknown_zone_is_refused_with_the_zones_it_may_name(
    db: Database,
) -> None:
    zones = sheet(K.zones, [{"name": "甲园区", "level": "省级", "kind": "工业类"}])
    Importer(db).import_parsed(parsed_file(zones, sheet(K.roster, [roster_row(1)])))
    report = Importer(db).import_parsed(parsed_file(sheet(K.leases, [_lease("甲工业园区")])))
    (rejected,) = report.sheets[0].rejected
    assert (rejected.column, rejected.value) == ("开发区", "甲工业园区")
    assert "不在开发区名单中" in rejected.message and "可选：甲园区" in rejected.message
    with db.reader() as s:
        assert s.scalars(select(Zone.name)).all() == ["甲园区"]  # no zone made up
        assert s.scalars(select(Lease)).all() == []


def test_a_lease_may_name_a_zone_its_own_file_describes(db: Database) -> None:
    zones = sheet(K.zones, [{"name": "丙园区", "level": "省级", "kind": "工业类"}])
    report = Importer(db).import_parsed(
        parsed_file(sheet(K.leases, [_lease("丙园区")]), sheet(K.roster, [roster_row(1)]), zones)
    )
    assert _counts(report, K.leases) == (1, 0, 0, 0, 0)
    with db.reader() as s:
        assert s.scalars(select(Lease)).one().zone.industrial_provincial


def test_rows_are_left_to_the_caller(db: Database) -> None:
    kept = sheet(K.roster, [roster_row(1), roster_row(2)])
    report = Importer(db).import_parsed(parsed_file(kept))
    assert report.committed and _counts(report, K.roster) == (2, 0, 0, 0, 0)
    assert [r.row for r in kept.rows] == [2, 3]
