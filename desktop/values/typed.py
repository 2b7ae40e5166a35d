"""Each kind of value by name (``ValueType``) and its one parser, for import and editor alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any

from desktop.values import cells, choices, codes, dates, numbers


class ValueType(StrEnum):
    """How a column's cells are normalised."""

    text = "text"
    long_digits = "long_digits"  # phone and account numbers: text Excel likes to turn into floats
    uscc = "uscc"
    county = "county"
    industry = "industry"
    flag = "flag"
    tristate = "tristate"
    money = "money"  # non-negative: output, assets, rent, an award
    signed_money = "signed_money"  # a taxable income may be a loss
    decimal = "decimal"
    integer = "integer"
    year = "year"
    month = "month"
    calendar_month = "calendar_month"  # 1 to 12 (the editor's month beside its year)
    date = "date"
    zone_level = "zone_level"
    zone_kind = "zone_kind"
    measure = "measure"  # 12 or 第十二条
    fund_level = "fund_level"
    # The task force's sheets (TASKFORCE.md)
    names = "names"  # people named in one cell, 、-joined
    period = "period"  # a month or an ISO week, by its code: 2023-03, 2023-W05
    energy = "energy"  # electricity in kWh, converted by the column's or the cell's unit
    enterprise_size = "enterprise_size"
    production_status = "production_status"
    problem_source = "problem_source"
    problem_category = "problem_category"
    problem_state = "problem_state"  # its Chinese name (待交办 …)

    @property
    def is_money(self) -> bool:
        """Yuan, converted by the column's or the cell's unit."""
        return self in (ValueType.money, ValueType.signed_money)


NUMERIC = frozenset({ValueType.money, ValueType.signed_money, ValueType.decimal, ValueType.integer,
                     ValueType.energy})  # fmt: skip
FLAGS = frozenset({ValueType.flag, ValueType.tristate})
_PARSERS: dict[ValueType, Callable[[Any], Any]] = {
    ValueType.text: cells.text,
    ValueType.long_digits: cells.long_digits,
    ValueType.uscc: codes.uscc,
    ValueType.county: codes.county,
    ValueType.industry: codes.industry,
    ValueType.flag: choices.flag,
    ValueType.tristate: choices.flag,
    ValueType.decimal: numbers.decimal,
    ValueType.integer: numbers.integer,
    ValueType.year: dates.year,
    ValueType.month: dates.month,
    ValueType.calendar_month: dates.month_number,
    ValueType.date: dates.day,
    ValueType.zone_level: choices.ZONE_LEVEL,
    ValueType.zone_kind: choices.ZONE_KIND,
    ValueType.measure: codes.measure,
    ValueType.fund_level: choices.FUND_LEVEL,
    ValueType.names: cells.names,
    ValueType.period: dates.period,
    ValueType.enterprise_size: choices.ENTERPRISE_SIZE,
    ValueType.production_status: choices.PRODUCTION_STATUS,
    ValueType.problem_source: choices.PROBLEM_SOURCE,
    ValueType.problem_category: choices.PROBLEM_CATEGORY,
    ValueType.problem_state: choices.PROBLEM_STATE,
}
_MONEY = {ValueType.money: numbers.amount, ValueType.signed_money: numbers.money}
_UNITS = {**_MONEY, ValueType.energy: numbers.energy}  # parsers taking the column's unit


def parser(kind: ValueType, unit: str = "元") -> Callable[[Any], Any]:
    """The function reading a value of ``kind`` (money in ``unit`` unless the cell says)."""
    with_unit = _UNITS.get(kind)
    return partial(with_unit, unit=unit) if with_unit else _PARSERS[kind]


def words(kind: ValueType) -> tuple[str, ...]:
    """The fixed words a value of ``kind`` is one of (none for a kind without fixed choices)."""
    found = _PARSERS.get(kind)
    return tuple(found.words) if isinstance(found, choices.Choice) else ()


def blank(kind: ValueType, value: Any) -> bool:
    """Whether ``value`` means "not given" for ``kind`` (无 is nothing in a number column)."""
    return cells.is_blank_number(value) if kind in NUMERIC else cells.is_blank(value)


def optional(kind: ValueType, unit: str = "元") -> Callable[[Any], Any]:
    """As :func:`parser`, with None for a blank value."""
    parse = parser(kind, unit)

    def read(value: Any) -> Any:
        return None if blank(kind, value) else parse(value)

    return read


def shown(kind: ValueType, value: Any, unit: str = "元") -> str:
    """A typed value of ``kind`` as the officer reads it: money to the cent with 元, flags
    是/否, dates as 2023-01-05, a measure with its unit (面积 in 平方米); blank when ``None``."""
    if value is None:
        return ""
    if kind in FLAGS or isinstance(value, bool):
        return choices.flag_word(bool(value))
    if kind.is_money:
        return f"{numbers.money_text(value)} 元"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and kind in NUMERIC:
        return f"{value:,} {unit}" if unit != "元" else f"{value:,}"
    return str(value)
