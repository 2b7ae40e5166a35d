"""The roster as ordered id lists (filtered in SQL, sorted on kept keys) and rows by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from desktop.models import County, Enterprise, KeyChain, Zone, column_label
from desktop.roster.raw import raw_rows
from desktop.roster.search import SearchIndex, name_key

_county = aliased(County)
_zone = aliased(Zone)
_chain = aliased(KeyChain)


@dataclass(frozen=True)
class RosterColumn:
    """One column of the roster table: its key, heading, and the SQL that yields it."""

    key: str
    label: str
    expr: ColumnElement
    is_flag: bool = False


def _column(key: str, expr: ColumnElement, is_flag: bool = False) -> RosterColumn:
    """A roster column headed by the schema's label of the enterprise's field ``key``."""
    name = key if key in Enterprise.__table__.columns else f"{key}_id"
    return RosterColumn(key, column_label("enterprise", name), expr, is_flag)


COLUMNS: tuple[RosterColumn, ...] = (
    _column("name", Enterprise.name),
    _column("uscc", Enterprise.uscc),
    _column("county", _county.name),
    _column("zone", _zone.name),
    _column("industry_code", Enterprise.industry_code),
    _column("above_scale", Enterprise.above_scale, is_flag=True),
    _column("white_list", Enterprise.white_list, is_flag=True),
    _column("chain", _chain.name),
    _column("chain_leader", Enterprise.chain_leader, is_flag=True),
    _column("chain_role_confirmed", Enterprise.chain_role_confirmed, is_flag=True),
    _column("contact", Enterprise.contact),
    _column("phone", Enterprise.phone),
    _column("is_sample", Enterprise.is_sample, is_flag=True),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


@dataclass(frozen=True)
class RosterFilter:
    """What the officer narrowed the roster to; ``None`` means any."""

    text: str = ""
    county_id: int | None = None
    zone_id: int | None = None
    chain_id: int | None = None
    white_list: bool | None = None
    chain_leader: bool | None = None


def _joined(*columns: ColumnElement) -> Select:
    return (
        select(*columns)
        .select_from(Enterprise)
        .join(_county, Enterprise.county_id == _county.id)
        .outerjoin(_zone, Enterprise.zone_id == _zone.id)
        .outerjoin(_chain, Enterprise.chain_id == _chain.id)
    )


def _where(query: Select, flt: RosterFilter) -> Select:
    equal = (
        (Enterprise.county_id, flt.county_id),
        (Enterprise.zone_id, flt.zone_id),
        (Enterprise.chain_id, flt.chain_id),
        (Enterprise.white_list, flt.white_list),
        (Enterprise.chain_leader, flt.chain_leader),
    )
    for column, wanted in equal:
        if wanted is not None:
            query = query.where(column == wanted)
    return query


def filtered_ids(session: Session, flt: RosterFilter) -> list[int]:
    """Ids of the enterprises matching the structured filters, in id order."""
    query = _where(select(Enterprise.id), flt).order_by(Enterprise.id)
    return [i for (i,) in raw_rows(session, query)]


def column_values(session: Session, key: str) -> dict[int, Any]:
    """Per enterprise id, its value of one column (unknown: "" or, for a flag, -1)."""
    column = COLUMNS[COLUMN_KEYS.index(key)]
    blank: Any = -1 if column.is_flag else ""
    rows = raw_rows(session, _joined(Enterprise.id, column.expr))
    return {i: blank if value is None else value for i, value in rows}


def sort_keys(session: Session, sort_key: str) -> dict[int, Any]:
    """Per enterprise id, its sort key of one column: text by pinyin (``name_key``), unknown
    first."""
    found = column_values(session, sort_key)
    if any(isinstance(v, str) for v in found.values()):
        return {i: name_key(v) for i, v in found.items()}
    return found


def fetch_rows(session: Session, ids: Sequence[int]) -> dict[int, tuple]:
    """The table values (in ``COLUMNS`` order) of the enterprises ``ids``, keyed by id."""
    query = _joined(Enterprise.id, *(c.expr for c in COLUMNS)).where(Enterprise.id.in_(ids))
    return {row[0]: tuple(row[1:]) for row in session.execute(query)}


def build_search_index(session: Session) -> SearchIndex:
    """The text index of the whole roster (safe to run on a worker thread with its own session)."""
    return SearchIndex.build(column_values(session, "name"), column_values(session, "uscc"))


class RosterQuery:
    """Filtered, sorted id lists: filters in SQL, order in Python over kept sort keys.

    The sort keys of a column are read once (50,000 rows sort in milliseconds from them), the
    last filtered list is kept so typing a search only narrows it, and the text index is built
    once — ahead of time through :meth:`adopt_index`, else on the first search.
    :meth:`invalidate` forgets all of it when the roster changes, and starts a new generation.
    """

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._keys: dict[str, dict[int, Any]] = {}
        self._last: tuple[RosterFilter, list[int]] | None = None
        self.generation = 0

    def invalidate(self) -> None:
        """Forget the index, the sort keys and the kept list (the roster changed)."""
        self._index = None
        self._keys.clear()
        self._last = None
        self.generation += 1

    @property
    def search_ready(self) -> bool:
        return self._index is not None

    def adopt_index(self, generation: int, index: SearchIndex) -> None:
        """Use an index built elsewhere, unless the roster changed since it was started."""
        if generation == self.generation:
            self._index = index

    def size(self, session: Session) -> int:
        """How many enterprises the roster holds."""
        return len(self._sort_keys(session, "name"))

    def _sort_keys(self, session: Session, sort_key: str) -> dict[int, Any]:
        if sort_key not in self._keys:
            self._keys[sort_key] = sort_keys(session, sort_key)
        return self._keys[sort_key]

    def ids(
        self, session: Session, flt: RosterFilter, sort_key: str = "name", descending: bool = False
    ) -> list[int]:
        """The ids to show, ordered by ``sort_key`` (ties by id)."""
        structured = replace(flt, text="")
        if self._last is None or self._last[0] != structured:
            self._last = (structured, filtered_ids(session, structured))
        ids = self._last[1]
        if flt.text.strip():
            if self._index is None:
                self._index = build_search_index(session)
            found = self._index.matching(flt.text)
            ids = [i for i in ids if i in found]
        # stable, also in reverse: equal keys stay in id order
        return sorted(ids, key=self._sort_keys(session, sort_key).__getitem__, reverse=descending)


def choices(session: Session, model: type[County] | type[Zone] | type[KeyChain]) -> list[tuple]:
    """(id, name) of every county, zone or chain, for the filter and editor lists."""
    return [tuple(r) for r in session.execute(select(model.id, model.name).order_by(model.id))]
