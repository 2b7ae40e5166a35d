"""Where each sheet kind goes: its table, its key, and the references its cells name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from desktop.models import (
    AnnualFigures,
    Assignment,
    County,
    Enterprise,
    KeyChain,
    Lease,
    Monitoring,
    MonthlyOutput,
    Payment,
    Person,
    Problem,
    ServiceTeam,
    TeamMember,
    Visit,
    Zone,
)
from desktop.sheets.fields import SPECS as FIELD_SPECS
from desktop.sheets.parsed import ParsedSheet, SheetKind
from desktop.store.changelog import period_key_sql


@dataclass(frozen=True, slots=True, eq=False)  # eq=False: hashed by identity, for caches
class Target:
    """How one sheet kind (or, with no kind, the names a sheet adds) is written.

    ``key`` is the natural key in parsed field names (a duplicate in one file is reported);
    ``db_key`` the same key in table columns (to find the existing row); ``references`` maps a
    parsed field naming another row to the column that holds that row's id; ``key_words``
    names the key for the officer, ``key_sql`` spells it for the change log (an SQL expression
    over the staged fields); with ``keep_existing`` a row already stored is left as it is (only
    new rows are written). Derived: ``required`` (the template's ``*`` fields), the table's
    ``columns`` and the ``defaults`` of a new row.
    """

    kind: SheetKind | None
    table: Table
    key: tuple[str, ...]
    db_key: tuple[str, ...]
    references: dict[str, str]
    key_words: str
    key_sql: str
    keep_existing: bool = False
    required: tuple[str, ...] = field(init=False)
    columns: frozenset[str] = field(init=False)
    defaults: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        # Derived once: the planner consults these for every row.
        spec = FIELD_SPECS.get(self.kind) if self.kind else None
        required = tuple(n for f in spec.required for n in _split_month(f)) if spec else self.key
        columns = self.table.columns
        defaults = {
            c.name: c.default.arg if c.default is not None and c.default.is_scalar else None
            for c in columns
        }
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "columns", frozenset(c.name for c in columns))
        object.__setattr__(self, "defaults", defaults)

    def header(self, sheet: ParsedSheet, field: str) -> str:
        """The header the sheet itself has for ``field``, else the template's.

        A monthly sheet's year and month are both read from its 年月 column.
        """
        name = "month" if self.kind is SheetKind.monthly and field == "year" else field
        found = sheet.columns.get(name)
        if found or self.kind is None:
            return found or field
        return next((f.header for f in FIELD_SPECS[self.kind].fields if f.name == name), field)


def _split_month(field: str) -> tuple[str, ...]:
    """A 年月 column gives two fields, year and month."""
    return ("year", "month") if field == "month" else (field,)


ENTERPRISE_REF = {"uscc": "enterprise_id"}
# A referenced row is found by name: field → (its table, the column that names it).
NAMED_BY: dict[str, tuple[Table, str]] = {
    "uscc": (Enterprise.__table__, "uscc"),
    "county": (County.__table__, "name"),
    "zone": (Zone.__table__, "name"),
    "chain": (KeyChain.__table__, "name"),
    "leader": (Person.__table__, "name"),
    "commissioner": (Person.__table__, "name"),
    "team": (ServiceTeam.__table__, "name"),
}
ENTERPRISE_DAY = "s.uscc || ' ' || s.{}"

TARGETS: dict[SheetKind, Target] = {
    t.kind: t
    for t in (
        Target(SheetKind.zones, Zone.__table__, ("name",), ("name",), {}, "开发区名称", "s.name"),
        Target(
            SheetKind.roster,
            Enterprise.__table__,
            ("uscc",),
            ("uscc",),
            {"county": "county_id", "zone": "zone_id", "chain": "chain_id"},
            "统一社会信用代码",
            "s.uscc",
        ),
        Target(
            SheetKind.monthly,
            MonthlyOutput.__table__,
            ("uscc", "year", "month"),
            ("enterprise_id", "year", "month"),
            ENTERPRISE_REF,
            "统一社会信用代码和年月",
            period_key_sql("s.uscc", ["s.year", "s.month"]),
        ),
        Target(
            SheetKind.annual,
            AnnualFigures.__table__,
            ("uscc", "year"),
            ("enterprise_id", "year"),
            ENTERPRISE_REF,
            "统一社会信用代码和年度",
            period_key_sql("s.uscc", ["s.year"]),
        ),
        Target(
            SheetKind.leases,
            Lease.__table__,
            ("uscc", "zone", "start_date"),
            ("enterprise_id", "zone_id", "start_date"),
            {**ENTERPRISE_REF, "zone": "zone_id"},
            "统一社会信用代码、开发区和起租日期",
            "s.uscc || ' ' || s.start_date",
        ),
        Target(
            SheetKind.assignments,
            Assignment.__table__,
            ("uscc",),
            ("enterprise_id",),
            {
                **ENTERPRISE_REF,
                "leader": "leader_id",
                "team": "team_id",
                "commissioner": "commissioner_id",
            },
            "统一社会信用代码",
            "s.uscc",
        ),
        Target(
            SheetKind.visits,
            Visit.__table__,
            ("uscc", "visited_on", "people"),
            ("enterprise_id", "visited_on", "people"),
            ENTERPRISE_REF,
            "统一社会信用代码、走访日期和走访人员",
            ENTERPRISE_DAY.format("visited_on") + " || ' ' || s.people",
        ),
        Target(
            SheetKind.problems,
            Problem.__table__,
            ("uscc", "raised_on", "description"),
            ("enterprise_id", "raised_on", "description"),
            ENTERPRISE_REF,
            "统一社会信用代码、反映日期和问题描述",
            ENTERPRISE_DAY.format("raised_on") + " || ' ' || s.description",
        ),
        Target(
            SheetKind.monitoring,
            Monitoring.__table__,
            ("uscc", "period"),
            ("enterprise_id", "period"),
            ENTERPRISE_REF,
            "统一社会信用代码和期间",
            "s.uscc || ' ' || s.period",
        ),
        # Recorded by the cases domain (desktop.importing.payments), not merged: a payment is
        # identified by its voucher and code, and a voucher given twice is said at its column.
        Target(
            SheetKind.payments,
            Payment.__table__,
            ("voucher", "uscc"),
            ("case_id", "voucher"),
            ENTERPRISE_REF,
            "统一社会信用代码和凭证号",
            "s.uscc || ' ' || s.voucher",
        ),
    )
}
# Reference data first, then the roster, then what hangs on enterprises (visits before problems:
# a problems sheet completes what a visit of the same file opened).
WRITE_ORDER: tuple[SheetKind, ...] = tuple(TARGETS)
# The zones and chains a sheet names but the database lacks are added by name alone; so are the
# people and service teams of a 包联 sheet, a person with the kind of the column naming them.
_PERSONS = Target(None, Person.__table__, ("name",), ("name",), {}, "姓名", "s.name")
NAME_TARGETS: dict[str, Target] = {
    "zone": TARGETS[SheetKind.zones],
    "chain": Target(None, KeyChain.__table__, ("name",), ("name",), {}, "产业链名称", "s.name"),
    "leader": _PERSONS,
    "commissioner": _PERSONS,
    "team": Target(None, ServiceTeam.__table__, ("name",), ("name",), {}, "小组名称", "s.name"),
}
NAME_VALUES: dict[str, dict[str, str]] = {
    "leader": {"kind": "县领导"},
    "commissioner": {"kind": "服务专员"},
}
# What the task force's sheets write beside their own table (desktop.importing.ledgers).
TEAM_MEMBERS = Target(
    None, TeamMember.__table__, ("team", "commissioner"), ("team_id", "person_id"),
    {"team": "team_id", "commissioner": "person_id"}, "服务小组和服务专员",
    "s.team || ' ' || s.commissioner",
)  # fmt: skip
VISIT_PROBLEMS = Target(
    None, Problem.__table__, TARGETS[SheetKind.problems].key,
    TARGETS[SheetKind.problems].db_key, ENTERPRISE_REF, TARGETS[SheetKind.problems].key_words,
    TARGETS[SheetKind.problems].key_sql, keep_existing=True,
)  # fmt: skip
