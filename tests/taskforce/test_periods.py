"""Monitoring periods: the ways they are written, refused values, dates, 同比 and 环比."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.taskforce.periods import Period, month_of, period, week_of
from desktop.values import ValueProblem

MARCH = Period("month", 2023, 3)
WEEK_5 = Period("week", 2023, 5)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2023-03", MARCH),
        ("2023年3月", MARCH),
        ("2023/3", MARCH),
        ("２０２３－０３", MARCH),  # full-width, as WPS users type it
        ("'2023-03", MARCH),  # Excel's literal apostrophe
        (datetime(2023, 3, 1), MARCH),  # Excel turns a typed 2023-03 into a date cell
        (202303, MARCH),
        ("2023-W05", WEEK_5),
        ("2023-w5", WEEK_5),
        ("2023W05", WEEK_5),
        ("2023年第5周", WEEK_5),
        (" 2023年第05周 ", WEEK_5),
        ("2020-W53", Period("week", 2020, 53)),  # 2020 has 53 ISO weeks
    ],
)
def test_good_periods(written: object, expected: Period) -> None:
    assert period(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2023-13", "月份应在1到12之间"),
        ("2023年0月", "月份应在1到12之间"),
        ("2023-W00", "2023年只有第1到第52周"),
        ("2023-W53", "2023年只有第1到第52周"),  # 2023 has 52
        ("2023年第54周", "只有第1到第52周"),
        ("1890-W01", "年份应在1990到2100之间"),
        ("2023-W", "无法识别的周"),
        ("2023年第五周", "无法识别的周"),
        ("三月", "无法识别的期间"),
        ("2023-Q1", "无法识别的期间"),
        ("", "无法识别的期间"),
        (True, "无法识别的期间"),
    ],
)
def test_bad_periods_are_refused_with_the_reason(written: object, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        period(written)


def test_codes_labels_and_dates() -> None:
    assert (MARCH.code, MARCH.label, MARCH.start, MARCH.end) == (
        "2023-03", "2023年3月", date(2023, 3, 1), date(2023, 3, 31)
    )  # fmt: skip
    assert (WEEK_5.code, WEEK_5.label, WEEK_5.start, WEEK_5.end) == (
        "2023-W05", "2023年第5周", date(2023, 1, 30), date(2023, 2, 5)
    )  # fmt: skip
    assert Period("month", 2024, 2).end == date(2024, 2, 29)
    assert period(WEEK_5.code) == WEEK_5 and period(MARCH.label) == MARCH
    assert MARCH.contains(date(2023, 3, 31)) and not MARCH.contains(date(2023, 4, 1))


def test_year_before_and_previous() -> None:
    assert MARCH.year_before() == Period("month", 2022, 3)
    assert MARCH.previous() == Period("month", 2023, 2)
    assert Period("month", 2023, 1).previous() == Period("month", 2022, 12)
    assert WEEK_5.year_before() == Period("week", 2022, 5)
    assert WEEK_5.previous() == Period("week", 2023, 4)
    assert Period("week", 2023, 1).previous() == Period("week", 2022, 52)
    assert Period("week", 2021, 1).previous() == Period("week", 2020, 53)
    assert Period("week", 2020, 53).year_before() is None  # 2019 had 52 weeks


def test_the_period_a_day_falls_in() -> None:
    assert month_of(date(2023, 3, 15)) == MARCH
    assert week_of(date(2023, 1, 1)) == Period("week", 2022, 52)  # a Sunday: last year's week
    assert week_of(date(2023, 2, 5)) == WEEK_5
