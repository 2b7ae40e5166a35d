"""Declarative base, naming convention and the column types shared by every table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Integer,
    MetaData,
    Table,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENT = Decimal("0.01")


def labelled(label: str, unit: str | None = None) -> dict[str, Any]:
    """A table's or column's ``info``: its Chinese name as the officer says it (and the unit
    of a measure that is not money)."""
    return {"label": label} if unit is None else {"label": label, "unit": unit}


def non_negative(column: str) -> CheckConstraint:
    """The database's backstop for an amount or count the rules say cannot be negative."""
    return CheckConstraint(f"{column} >= 0", name=f"{column}_non_negative")


def one_of(column: str, words: Sequence[str], name: str | None = None) -> CheckConstraint:
    """The database's backstop for a column holding one of a fixed choice's ``words`` (or NULL);
    named ``{column}_choice`` unless a migration already named it otherwise."""
    allowed = ", ".join(f"'{w}'" for w in words)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_choice")


class Money(TypeDecorator[Decimal]):
    """Yuan with two places, stored exactly as a whole number of fen (分), read back as ``Decimal``.

    An integer keeps all 18 digits (a REAL would round beyond about 10^13 yuan) and still
    sorts and compares as a number in SQL.
    """

    impl = BigInteger
    cache_ok = True

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal

    def process_bind_param(self, value: Decimal | None, dialect: object) -> int | None:
        return None if value is None else int(Decimal(value).quantize(CENT).scaleb(2))

    def process_result_value(self, value: int | None, dialect: object) -> Decimal | None:
        return None if value is None else Decimal(int(value)).scaleb(-2)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp (SQLite stores naive text; this restores the zone)."""

    impl = DateTime()
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Every table of Relief Desk."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    __table__: ClassVar[Table]  # every class here maps one table (SQLAlchemy says FromClause)


VERSION = "version"
"""The column every business row counts its saves in (see :class:`Versioned`)."""


class Versioned:
    """A business row's version: 1 when inserted, one more at every save (bulk writes too).

    The ORM checks it on every UPDATE and DELETE (``version_id_col``): a save over a row saved
    meanwhile by someone else matches no row and raises ``StaleDataError``. The version is
    bookkeeping, not a fact of the row: the change log does not record it.
    """

    version: Mapped[int] = mapped_column(
        Integer, default=1, server_default=text("1"), sort_order=1000, info=labelled("版本")
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


def is_versioned(table: Table) -> bool:
    """Whether ``table`` keeps a version (every business table does)."""
    return VERSION in table.c


def table_label(table: str) -> str:
    """The Chinese name of ``table`` (the name itself when it has none)."""
    found = Base.metadata.tables.get(table)
    return found.info.get("label", table) if found is not None else table


def column_label(table: str, column: str) -> str:
    """The Chinese name of ``column`` of ``table`` (the name itself when it has none)."""
    found = Base.metadata.tables.get(table)
    if found is None or column not in found.columns:
        return column
    return found.columns[column].info.get("label", column)
