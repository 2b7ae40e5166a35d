"""How the task force's figures are computed and written: shares, growth and their JSON text."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from desktop.models import CENT, County
from desktop.rules.measures.text import growth

RATE = Decimal("0.0001")
PERCENT = Decimal("0.1")
COUNTY_ORDER = (
    County.code.is_(None), County.code, County.name
)  # fmt: skip
"""Counties as the city lists them: by division code, the units without one last."""


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
