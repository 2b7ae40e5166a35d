"""Which tables travel in packages, each row's global key, and references as global keys.

A row's global key is held by a column (``uid``; an enterprise's is its credit code), except
in the tables of an enterprise's figures (``models.KEYED_BY_PERIOD``): there no column holds
it, the row is known everywhere by its enterprise and period, and its key is spelled as the
change log names the row, ``USCC 2022-03`` or ``USCC 2022``. Those tables are never referred to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, Table, select

from desktop.models import GLOBAL_KEY, KEYED_BY_PERIOD, OWNER, Base, Enterprise
from desktop.models.base import VERSION
from desktop.store.changelog import period_key

BOOKKEEPING = frozenset({"id", VERSION, GLOBAL_KEY})
"""Columns that are no fact of the row: never compared, merged or sent as a field."""
IN_CLAUSE = 900
ENTERPRISES = Enterprise.__table__


@cache
def synced_tables() -> tuple[Table, ...]:
    """Every table whose rows travel, parents before children."""
    return tuple(
        t
        for t in Base.metadata.sorted_tables
        if GLOBAL_KEY in t.c or t.name == Enterprise.__tablename__ or t.name in KEYED_BY_PERIOD
    )


def synced(name: str) -> Table | None:
    """The synced table called ``name``, if it is one."""
    return _by_name().get(name)


@cache
def _by_name() -> dict[str, Table]:
    return {t.name: t for t in synced_tables()}


def key_column(table: Table) -> Column[Any]:
    """The column holding the global key of ``table``'s rows (not for :func:`by_period`)."""
    assert not by_period(table), table.name
    return table.c.uscc if table.name == Enterprise.__tablename__ else table.c[GLOBAL_KEY]


def by_period(table: Table) -> tuple[str, ...]:
    """The period's columns where ``table``'s rows are known by enterprise and period, else ()."""
    return KEYED_BY_PERIOD.get(table.name, ())


def parse_period_key(table: Table, key: str) -> tuple[str, list[int]] | None:
    """The enterprise's key and the period (year[, month]) of a :func:`period_key` of a row of
    ``table``; ``None`` if ``key`` is not one."""
    owner, _, period = key.rpartition(" ")
    parts = period.split("-")
    if not owner or len(parts) != len(by_period(table)) or not all(p.isdigit() for p in parts):
        return None
    return owner, [int(p) for p in parts]


def key_of_texts(table: Table, key: str | None, texts: Mapping[str, str | None]) -> str | None:
    """The key of a row with field ``texts`` (references as keys): ``key`` but by period."""
    period = by_period(table)
    if not period:
        return key
    values = [texts.get(p) for p in (OWNER, *period)]
    if any(v is None for v in values):
        return None
    return period_key(str(values[0]), values[1:])


@cache
def fields(table: Table) -> tuple[str, ...]:
    """The columns of ``table`` compared and merged one by one (its key and bookkeeping aside;
    a table keyed by period has no key column: its enterprise and period are fields, equal on
    both sides of a row by definition)."""
    key = None if by_period(table) else key_column(table).name
    return tuple(c.name for c in table.columns if c.name not in BOOKKEEPING and c.name != key)


@cache
def references(table: Table) -> dict[str, Table]:
    """Each column of ``table`` referring to another row: the table it refers to."""
    return {fk.parent.name: fk.column.table for fk in table.foreign_keys}


def chunks(items: list[Any], size: int = IN_CLAUSE) -> Iterable[list[Any]]:
    """``items`` in slices short enough for an ``IN`` list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KeyMap:
    """Local ids and global keys of the rows of each table, read once per table when needed."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._keys: dict[str, dict[int, str]] = {}
        self._ids: dict[str, dict[str, int]] = {}
        self.gone: dict[tuple[str, int], str] = {}  # rows deleted meanwhile: (table, id) → key

    def _load(self, table: Table) -> None:
        if period := by_period(table):
            owners = ENTERPRISES.alias("owner")
            query = select(table.c.id, owners.c.uscc, *(table.c[p] for p in period))
            query = query.join(owners, owners.c.id == table.c[OWNER])
            pairs = [(r[0], period_key(r[1], r[2:])) for r in self.conn.execute(query)]
        else:
            pairs = [(i, k) for i, k in self.conn.execute(select(table.c.id, key_column(table)))]
        self._keys[table.name] = {i: k for i, k in pairs}
        self._ids[table.name] = {k: i for i, k in pairs}

    def key_of(self, table: Table, row_id: int) -> str | None:
        """The global key of row ``row_id`` of ``table`` (one deleted meanwhile included)."""
        if table.name not in self._keys:
            self._load(table)
        return self._keys[table.name].get(row_id) or self.gone.get((table.name, row_id))

    def id_of(self, table: Table, key: str) -> int | None:
        """The local id of the row of ``table`` whose global key is ``key``."""
        if table.name not in self._ids:
            self._load(table)
        return self._ids[table.name].get(key)

    def forget(self, table: Table) -> None:
        """Read ``table`` again when next asked (rows were added or removed)."""
        self._keys.pop(table.name, None)
        self._ids.pop(table.name, None)

    def to_keys(self, table: Table, values: dict[str, str | None]) -> dict[str, str | None]:
        """``values`` (logged texts) with every reference as the referred row's global key."""
        out = dict(values)
        for column, target in references(table).items():
            text = out.get(column)
            if text is not None:
                out[column] = self.key_of(target, int(text))
        return out

    def to_ids(self, table: Table, values: dict[str, str | None]) -> dict[str, str | None]:
        """``values`` with every global key of a reference as the local id (``None`` if absent)."""
        out = dict(values)
        for column, target in references(table).items():
            key = out.get(column)
            if key is not None:
                found = self.id_of(target, key)
                out[column] = None if found is None else str(found)
        return out
