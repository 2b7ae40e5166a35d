"""How a fact of a Result reads on paper and sits in a cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop.rules.result import FactValue

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
COUNT_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
RATE_WORDS = ("率", "增速", "比例")


def is_rate(label: str) -> bool:
    """True for a fact that is a ratio (growth, share), held as a fraction."""
    return any(word in label for word in RATE_WORDS)


def fact_text(label: str, value: FactValue) -> str:
    """The fact as printed: 是/否, ISO dates, rates in per cent, money with two places."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value * 100:,.2f}%" if is_rate(label) else f"{value:,.2f}"
    return str(value)


def fact_cell(label: str, value: FactValue) -> tuple[Decimal | int | date | str | None, str | None]:
    """The fact as a cell value and its number format (None: text or blank, no format)."""
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return fact_text(label, value), None
    if isinstance(value, date):
        return value, DATE_FORMAT
    if isinstance(value, Decimal):
        return value, RATE_FORMAT if is_rate(label) else MONEY_FORMAT
    return value, COUNT_FORMAT
