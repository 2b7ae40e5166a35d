"""How a fact of a Result reads in Chinese: 是/否, ISO dates, per cent, money with two places."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop.rules.result import FactValue
from desktop.values import money_text

RATE_WORDS = ("率", "增速", "比例")


def is_rate(label: str) -> bool:
    """True for a fact that is a ratio (growth, share), held as a fraction."""
    return any(word in label for word in RATE_WORDS)


def fact_text(label: str, value: FactValue) -> str:
    """The fact as the forms print it and the window shows it (empty when unknown)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value * 100:,.2f}%" if is_rate(label) else money_text(value)
    return str(value)
