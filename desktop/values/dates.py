"""Days, months, ISO weeks, monitoring periods (a month or a week) and years: date cells, Excel
serials and the ways people write them."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from desktop.values.cells import DAY_ZERO, OutOfRange, ValueProblem, half_width, unquoted

EXCEL_EPOCH = date(1899, 12, 30)
FIRST_YEAR, LAST_YEAR = 1990, 2100  # for text and date cells alike
YEAR_RANGE = f"年份应在{FIRST_YEAR}到{LAST_YEAR}之间"
_DAY = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MONTH = (
    re.compile(r"(\d{4})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月份?"),
    re.compile(r"(\d{4})(\d{2})"),
)
_WEEK = (re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE), re.compile(r"(\d{4})年第(\d{1,2})周"))
PeriodKind = Literal["month", "week"]
UNREADABLE_PERIOD = "无法识别的期间，请写成 2023-03、2023年3月、2023-W05 或 2023年第5周 的样子"
_YEAR = re.compile(r"(\d{4})(?:年度?)?")
_MONTH_NUMBER = re.compile(r"(\d{1,2})(?:月份?)?")


def _in_range(found_year: int) -> int:
    if not FIRST_YEAR <= found_year <= LAST_YEAR:
        raise OutOfRange(YEAR_RANGE)
    return found_year


def _checked_day(found_year: int, found_month: int, found_day: int) -> date:
    _in_range(found_year)
    try:
        return date(found_year, found_month, found_day)
    except ValueError as exc:
        raise ValueProblem("日期不存在") from exc


def _cell_day(value: date | time) -> date:
    """The day of a date cell, in range (a time of day is a cell of day 0)."""
    found = DAY_ZERO if isinstance(value, time) else value
    found = found.date() if isinstance(found, datetime) else found
    _in_range(found.year)
    return found


def _serial_day(serial: float) -> date:
    if not 1 <= serial < 2958466:  # 1900-01-01 … 9999-12-31, as Excel counts
        raise ValueProblem("无法识别的日期")
    return _cell_day(EXCEL_EPOCH + timedelta(days=int(serial)))


def day(value: Any) -> date:
    """A date: date cell, Excel serial, 2023-01-05, 2023/1/5, 2023年1月5日 or 20230105."""
    if isinstance(value, date | time):
        return _cell_day(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            value = str(int(value))
        else:
            return _serial_day(value)
    if not isinstance(value, str):
        raise ValueProblem("无法识别的日期")
    raw = half_width(unquoted(value))
    for pattern in _DAY:
        match = pattern.fullmatch(raw)
        if match:
            return _checked_day(*(int(g) for g in match.groups()))
    if raw.isdigit() and len(raw) == 5:
        return _serial_day(int(raw))
    raise ValueProblem("无法识别的日期，请写成 2023-01-05 的样子")


def month_number(value: Any) -> int:
    """A calendar month, 1 to 12 (``3``, ``3月``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    match = _MONTH_NUMBER.fullmatch(half_width(unquoted(str(value))))
    if not match or isinstance(value, bool):
        raise ValueProblem("应为月份数字，如 3")
    if not 1 <= int(match[1]) <= 12:
        raise ValueProblem("月份应在1到12之间")
    return int(match[1])


def _checked_month(found_year: int, found_month: int) -> tuple[int, int]:
    if not 1 <= found_month <= 12:
        raise ValueProblem("月份应在1到12之间")
    return _in_range(found_year), found_month


def month(value: Any) -> tuple[int, int]:
    """A (year, month): 2023-01, 2023/1, 2023年1月, 202301, or a date cell (its day ignored)."""
    if isinstance(value, date | time):
        found = _cell_day(value)
        return found.year, found.month
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueProblem("无法识别的年月")
        value = str(int(value))
    if not isinstance(value, str):
        raise ValueProblem("无法识别的年月")
    raw = half_width(unquoted(value))
    for pattern in _MONTH:
        match = pattern.fullmatch(raw)
        if match:
            return _checked_month(int(match[1]), int(match[2]))
    try:
        whole = day(raw)
    except OutOfRange:
        raise
    except ValueProblem:
        raise ValueProblem("无法识别的年月，请写成 2023-01 的样子") from None
    return whole.year, whole.month


def is_week(value: Any) -> bool:
    """Whether ``value`` is written as a week (``2023-W05``, ``2023年第5周``), good or not."""
    raw = half_width(unquoted(value)) if isinstance(value, str) else ""
    return "W" in raw.upper() or raw.endswith("周")


def week(value: Any) -> tuple[int, int]:
    """An ISO (year, week): ``2023-W05``, ``2023W5`` or ``2023年第5周``."""
    raw = half_width(unquoted(value)) if isinstance(value, str) else ""
    for pattern in _WEEK:
        match = pattern.fullmatch(raw)
        if match:
            found_year, found_week = _in_range(int(match[1])), int(match[2])
            last = date(found_year, 12, 28).isocalendar().week  # 28 December is in the last week
            if not 1 <= found_week <= last:
                raise ValueProblem(f"{found_year}年只有第1到第{last}周")
            return found_year, found_week
    raise ValueProblem("无法识别的周，请写成 2023-W05 或 2023年第5周 的样子")


def period_parts(value: Any) -> tuple[PeriodKind, int, int]:
    """A monitoring period as (kind, year, number): ``2023-03``, ``2023年3月`` (or a date cell: its
    month) → month 3; ``2023-W05``, ``2023年第5周`` → ISO week 5. The one parser of periods."""
    if is_week(value):
        return ("week", *week(value))
    try:
        return ("month", *month(value))
    except ValueProblem as exc:
        if not str(exc).startswith("无法识别"):  # a month, but not a real one: say why
            raise
        raise ValueProblem(UNREADABLE_PERIOD) from None


def period_code(kind: PeriodKind, found_year: int, number: int) -> str:
    """A period as stored and printed in JSON: ``2023-03`` or ``2023-W05``."""
    return f"{found_year}{'-W' if kind == 'week' else '-'}{number:02d}"


def period(value: Any) -> str:
    """A monitoring period as written (see :func:`period_parts`), by its code ``2023-W05``."""
    return period_code(*period_parts(value))


def year(value: Any) -> int:
    """A year: 2023, ``2023年``, ``2023年度`` or a date cell."""
    if isinstance(value, date | time):
        return _cell_day(value).year
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueProblem("无法识别的年度")
        value = str(int(value))
    match = _YEAR.fullmatch(half_width(unquoted(str(value))))
    if not match:
        raise ValueProblem("无法识别的年度")
    return _in_range(int(match[1]))
