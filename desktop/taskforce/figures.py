"""How the task force's figures are computed and written: shares, growth and their JSON text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desktop.models import CENT, County, Enterprise
from desktop.rules.measures.text import growth

RATE = Decimal("0.0001")
PERCENT = Decimal("0.1")
COUNTY_ORDER = (
    County.code.is_(None), County.code, County.name
)  # fmt: skip
"""Counties as the city lists them: by division code, the units without one last."""


def roster_units(session: Session) -> list[str]:
    """The county-level units the roster has enterprises in, in the city's order."""
    present = exists().where(Enterprise.county_id == County.id)
    return list(session.scalars(select(County.name).where(present).order_by(*COUNTY_ORDER)))


def unit_key(units: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key putting unit names in the order of ``units`` (the city's, as
    :func:`roster_units` gives it), any other after them by name."""
    place = {name: i for i, name in enumerate(units)}
    return lambda name: (place.get(name, len(place)), name)


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` exactly; None where the base is 0."""
    return Decimal(part) / Decimal(whole) if whole else None


def change(this: Decimal, base: Decimal) -> Decimal | None:
    """Growth from ``base`` to ``this`` as the rules compute it; None where the base is 0."""
    return growth(this, base) if base else None


def rate_text(rate: Decimal | None) -> str | None:
    """A rate as CLI.md writes it: four decimals (``"0.5000"``), or null."""
    return None if rate is None else str(rate.quantize(RATE, ROUND_HALF_UP))


def percent_text(rate: Decimal | None) -> str:
    """A rate as the window and the bulletin show it: ``85.7%`` (— where the base is 0)."""
    return "—" if rate is None else f"{(rate * 100).quantize(PERCENT, ROUND_HALF_UP)}%"


def yuan_text(amount: Decimal) -> str:
    """Yuan with two decimals: ``"2000000.00"``."""
    return str(amount.quantize(CENT, ROUND_HALF_UP))
