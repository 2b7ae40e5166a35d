"""Wording and arithmetic the measures share: 万元, percentages, two-place yuan, result building."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from desktop.rules.enterprise_facts import EnterpriseFacts
from desktop.rules.result import FactValue, Result, Verdict
from desktop.values import money_text

CENT = Decimal("0.01")
WAN = Decimal(10000)


def yuan(amount: Decimal) -> Decimal:
    """``amount`` rounded to the fen."""
    return amount.quantize(CENT, ROUND_HALF_UP)  # positional: the keyword costs twice as much


def wan(amount: Decimal) -> str:
    """``16000000`` → ``1,600.00万元``."""
    return f"{money_text(amount / WAN)}万元"


def wan_plain(amount: Decimal) -> str:
    """``1000000`` → ``100万元`` (a parameter, shown without trailing zeros)."""
    return f"{(amount / WAN).normalize():f}万元"


def percent(ratio: Decimal) -> str:
    """``Decimal("0.5")`` → ``50.00%``."""
    return f"{yuan(ratio * 100)!s}%"


def percent_plain(ratio: Decimal) -> str:
    """``Decimal("0.50")`` → ``50%`` (a parameter)."""
    return f"{(ratio * 100).normalize():f}%"


def growth(this: Decimal, base: Decimal) -> Decimal:
    """``(this − base) / base``, for display; decisions compare exactly with :func:`reaches`."""
    return (this - base) / base


def reaches(this: Decimal, base: Decimal, ratio: Decimal) -> bool:
    """Whether growth from a positive ``base`` to ``this`` is at least ``ratio``, exactly."""
    return this - base >= ratio * base


def build(
    f: EnterpriseFacts,
    *,
    measure: str,
    clause: str,
    period: str,
    verdict: Verdict,
    amount: Decimal | None,
    lines: list[str],
    facts: list[tuple[str, FactValue]],
    expected: bool = False,
) -> Result:
    """A result whose last explanation line cites ``clause``; the amount only when eligible."""
    eligible = verdict is Verdict.ELIGIBLE
    return Result(  # positional, in field order: made once per enterprise and measure
        measure, f.uscc, f.name, f.county, period, verdict,
        yuan(amount) if eligible and amount is not None else None,
        expected and eligible, clause, tuple(lines), tuple(facts),
    )  # fmt: skip
