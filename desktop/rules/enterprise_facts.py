"""The facts the rules read: immutable named tuples, loaded with one Core select per table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from desktop.models import (
    INDUSTRIAL_KIND,
    PROVINCIAL_LEVEL,
    AnnualFigures,
    County,
    Enterprise,
    Lease,
    MonthlyOutput,
    ProvincialAward,
    Zone,
)
from desktop.models.base import Money
from desktop.store.dialects import driver_rows


class YearFigures(NamedTuple):
    """One year's annual record (年度数据)."""

    output: Decimal | None = None
    taxable_income: Decimal | None = None
    employees: int | None = None
    total_assets: Decimal | None = None
    restricted_industry: bool | None = False  # None: not given, taken as 否


class LeaseFacts(NamedTuple):
    """One lease (厂房租赁) with its zone's marks."""

    zone: str
    industrial_provincial: bool | None  # None: the zone's level or kind is not recorded
    standard_factory: bool
    monthly_rent: Decimal | None
    start: date | None
    end: date | None


class EnterpriseFacts(NamedTuple):
    """Everything the measures read about one enterprise."""

    uscc: str
    name: str
    county: str
    industry_code: str | None = None
    white_list: bool = False
    chain_leader: bool = False
    chain_role_confirmed: bool | None = None
    monthly: Mapping[tuple[int, int], Decimal] = MappingProxyType({})
    annual: Mapping[int, YearFigures] = MappingProxyType({})
    leases: tuple[LeaseFacts, ...] = ()
    provincial_award: Decimal | None = None


class _MoneyReader(dict[object, Decimal | None]):
    """Driver money → ``Decimal`` exactly as :class:`Money` reads it, each distinct value once."""

    def __init__(self) -> None:
        super().__init__({None: None})
        self._read = Money().process_result_value

    def __missing__(self, raw: object) -> Decimal | None:
        value = self[raw] = self._read(raw, None)
        return value


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _day(value: date | str | None) -> date | None:
    """A stored date as the driver returns it: a date, or SQLite's ISO text."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def load_facts(session: Session, county: str | None = None) -> list[EnterpriseFacts]:
    """The facts of every enterprise (of ``county`` when given), in credit-code order.

    Core selects run on the session's DBAPI connection, one per table (no ORM loading, no
    result processing); money is read by :class:`_MoneyReader`, flags and dates here.
    """
    conn = session.connection()
    money = _MoneyReader()
    people = (
        select(
            Enterprise.id, Enterprise.uscc, Enterprise.name, County.name,
            Enterprise.industry_code, Enterprise.white_list, Enterprise.chain_leader,
            Enterprise.chain_role_confirmed,
        )
        .join(County, Enterprise.county_id == County.id)
        .order_by(Enterprise.uscc)
    )  # fmt: skip
    if county is not None:
        people = people.where(County.name == county)
    rows = driver_rows(conn, people)
    if not rows:
        return []
    wanted = select(Enterprise.id).join(County).where(County.name == county) if county else None

    def scoped(statement, column):  # type: ignore[no-untyped-def]
        return statement if wanted is None else statement.where(column.in_(wanted))

    monthly: dict[int, dict[tuple[int, int], Decimal | None]] = defaultdict(dict)
    for eid, year, month, output in driver_rows(conn, scoped(select(
        MonthlyOutput.enterprise_id, MonthlyOutput.year, MonthlyOutput.month, MonthlyOutput.output
    ), MonthlyOutput.enterprise_id)):  # fmt: skip
        monthly[eid][(year, month)] = money[output]
    annual: dict[int, dict[int, YearFigures]] = defaultdict(dict)
    for eid, year, output, income, employees, assets, restricted in driver_rows(conn, scoped(select(
        AnnualFigures.enterprise_id, AnnualFigures.year, AnnualFigures.output,
        AnnualFigures.taxable_income, AnnualFigures.employees, AnnualFigures.total_assets,
        AnnualFigures.restricted_industry,
    ), AnnualFigures.enterprise_id)):  # fmt: skip
        annual[eid][year] = YearFigures(
            money[output], money[income], employees, money[assets], _flag(restricted)
        )
    industrial = and_(Zone.level == PROVINCIAL_LEVEL, Zone.kind == INDUSTRIAL_KIND)
    leases: dict[int, list[LeaseFacts]] = defaultdict(list)
    for eid, zone, provincial, standard, rent, start, end in driver_rows(conn, scoped(select(
        Lease.enterprise_id, Zone.name, industrial, Lease.standard_factory, Lease.monthly_rent,
        Lease.start_date, Lease.end_date,
    ).join(Zone, Lease.zone_id == Zone.id).order_by(Lease.start_date),
        Lease.enterprise_id)):  # fmt: skip
        leases[eid].append(LeaseFacts(
            zone, _flag(provincial), bool(standard), money[rent], _day(start), _day(end)
        ))  # fmt: skip
    awards = {
        eid: money[amount]
        for eid, amount in driver_rows(conn, scoped(select(
            ProvincialAward.enterprise_id, ProvincialAward.amount
        ), ProvincialAward.enterprise_id))
    }  # fmt: skip
    none: MappingProxyType = MappingProxyType({})
    return [
        EnterpriseFacts(
            uscc, name, county_name, code, bool(white), bool(leader), _flag(confirmed),
            monthly.get(eid, none), annual.get(eid, none), tuple(leases.get(eid, ())),
            awards.get(eid),
        )
        for eid, uscc, name, county_name, code, white, leader, confirmed in rows
    ]  # fmt: skip
