"""The payment deadline (第八条, 2023-12-31) and its red and yellow warnings."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from desktop.cases.deadlines import Alert, alert
from desktop.cases.states import State
from tests.cases.conftest import PARAMETERS


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2023, 12, 15), None),  # 16 days left
        (date(2023, 12, 16), Alert.YELLOW),  # 15 days left
        (date(2023, 12, 31), Alert.YELLOW),  # the deadline itself
        (date(2024, 1, 1), Alert.RED),
    ],
)
def test_an_unpaid_case_warns_before_and_after_the_deadline(
    today: date, expected: Alert | None
) -> None:
    case = SimpleNamespace(state=State.PUBLICIZED.value, measure="12")
    assert alert(case, PARAMETERS, today) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("state", [State.PAID, State.RECONCILED, State.REJECTED, State.WITHDRAWN])
def test_a_paid_or_ended_case_does_not_warn(state: State) -> None:
    case = SimpleNamespace(state=state.value, measure="12")
    assert alert(case, PARAMETERS, date(2024, 3, 1)) is None  # type: ignore[arg-type]


def test_every_measure_has_its_deadline_citing_article_eight() -> None:
    assert {m: PARAMETERS.deadline(m) for m in ("5", "11", "12", "13")} == dict.fromkeys(
        ("5", "11", "12", "13"), date(2023, 12, 31)
    )
    assert Alert.RED.label == "已超期" and Alert.YELLOW.label == "临近期限"
