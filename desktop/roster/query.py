"""The roster as ordered id lists (filtered and sorted in SQL) and rows fetched by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from desktop.models import County, Enterprise, KeyChain, Zone
from desktop.roster.search import SearchIndex

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


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("name", "企业名称", Enterprise.name),
    RosterColumn("uscc", "统一社会信用代码", Enterprise.uscc),
    RosterColumn("county", "所属县（市、区）", _county.name),
    RosterColumn("zone", "所在开发区", _zone.name),
    RosterColumn("industry_code", "行业代码", Enterprise.industry_code),
    RosterColumn("above_scale", "规上", Enterprise.above_scale, is_flag=True),
    RosterColumn("white_list", "白名单", Enterprise.white_list, is_flag=True),
    RosterColumn("chain", "所属产业链", _chain.name),
    RosterColumn("chain_leader", "链主", Enterprise.chain_leader, is_flag=True),
    RosterColumn("chain_role_confirmed", "链主作用认定", Enterprise.chain_role_confirmed, True),
    RosterColumn("contact", "联系人", Enterprise.contact),
    RosterColumn("phone", "联系电话", Enterprise.phone),
    RosterColumn("is_sample", "示例", Enterprise.is_sample, is_flag=True),
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


def sorted_ids(
    session: Session, flt: RosterFilter, sort_key: str = "name", descending: bool = False
) -> list[int]:
    """Ids of the enterprises matching the structured filters, in the requested order."""
    expr = COLUMNS[COLUMN_KEYS.index(sort_key)].expr
    order = expr.desc() if descending else expr.asc()
    query = _where(_joined(Enterprise.id), flt).order_by(order, Enterprise.id)
    return list(session.scalars(query))


def fetch_rows(session: Session, ids: Sequence[int]) -> dict[int, tuple]:
    """The table values (in ``COLUMNS`` order) of the enterprises ``ids``, keyed by id."""
    query = _joined(Enterprise.id, *(c.expr for c in COLUMNS)).where(Enterprise.id.in_(ids))
    return {row[0]: tuple(row[1:]) for row in session.execute(query)}


class RosterQuery:
    """Filtered, sorted id lists; the text search index is built on first use and kept."""

    def __init__(self) -> None:
        self._index: SearchIndex | None = None

    def invalidate(self) -> None:
        """Forget the search index (the roster changed)."""
        self._index = None

    def ids(
        self, session: Session, flt: RosterFilter, sort_key: str = "name", descending: bool = False
    ) -> list[int]:
        """The ids to show: structured filters and order in SQL, text through the index."""
        ids = sorted_ids(session, flt, sort_key, descending)
        if not flt.text.strip():
            return ids
        if self._index is None:
            self._index = SearchIndex.build(session)
        found = self._index.matching(flt.text)
        return [i for i in ids if i in found]


def choices(session: Session, model: type[County] | type[Zone] | type[KeyChain]) -> list[tuple]:
    """(id, name) of every county, zone or chain, for the filter and editor lists."""
    return [tuple(r) for r in session.execute(select(model.id, model.name).order_by(model.id))]
