"""The catalogue: every roster-wide measure, in the order the paperwork lists them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import County
from desktop.rules.measure import Measure
from desktop.rules.measures import chain_leader, small_profit_tax, white_list, zone_rent

CATALOGUE: dict[str, Measure] = {
    m.key: m
    for m in (small_profit_tax.MEASURE, zone_rent.MEASURE, white_list.MEASURE, chain_leader.MEASURE)
}


class ScopeError(ValueError):
    """What was asked to be decided does not exist (a measure, a county); ``str()`` says so."""


def measure(key: str) -> Measure:
    """The measure ``key`` ("5", "11", "12", "13"); ScopeError naming the others."""
    try:
        return CATALOGUE[key]
    except KeyError:
        known = "、".join(m.clause for m in CATALOGUE.values())
        raise ScopeError(f"措施编号「{key}」无效；可测算：{known}") from None


def measures(keys: Iterable[str] | None) -> list[Measure]:
    """The measures ``keys`` (None: all of them), in catalogue order when all."""
    return list(CATALOGUE.values()) if keys is None else [measure(k) for k in keys]


def check_county(session: Session, county: str | None) -> None:
    """ScopeError unless ``county`` is None or a county-level unit of the roster."""
    known = select(County.id).where(County.name == county)
    if county is not None and session.scalar(known) is None:
        raise ScopeError(f"没有名为「{county}」的县（市、区）")
