"""Working days skip Saturdays, Sundays and the officer's holiday list (seeded empty)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.cases.errors import CaseError
from desktop.cases.workdays import add_holiday, add_working_days, holidays, remove_holiday
from desktop.store import Database


def test_the_holiday_list_starts_empty_and_keeps_what_the_officer_enters(db: Database) -> None:
    with db.session() as s:
        assert holidays(s) == frozenset()
        add_holiday(s, date(2023, 6, 22), "端午节")
        with pytest.raises(CaseError, match="2023-06-22 已在节假日清单中"):
            add_holiday(s, date(2023, 6, 22))
        assert holidays(s) == {date(2023, 6, 22)}
        remove_holiday(s, date(2023, 6, 22))
        assert holidays(s) == frozenset()
        with pytest.raises(CaseError, match="2023-06-22 不在节假日清单中"):
            remove_holiday(s, date(2023, 6, 22))


def test_zero_working_days_is_the_start_itself() -> None:
    assert add_working_days(date(2023, 6, 10), 0, ()) == date(2023, 6, 10)


def test_a_start_on_a_saturday_counts_from_monday() -> None:
    # Saturday 10 June: Monday 12 is the first working day after it, Friday 16 the fifth.
    assert add_working_days(date(2023, 6, 10), 5, ()) == date(2023, 6, 16)
