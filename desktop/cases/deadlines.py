"""Payment deadlines (第八条) and the red and yellow warnings of cases not yet paid."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from desktop.cases.parameters import CaseParameters
from desktop.cases.states import AWAITING_PAYMENT, State
from desktop.models import Case


class Alert(StrEnum):
    """A case's warning, by its JSON name (CLI.md's ``"warning"``)."""

    RED = "red"
    YELLOW = "yellow"

    @property
    def label(self) -> str:
        """How the officer reads it."""
        return {"red": "已超期", "yellow": "临近期限"}[self.value]


def alert(case: Case, parameters: CaseParameters, today: date) -> Alert | None:
    """The warning of ``case`` (see :func:`state_alert`)."""
    return state_alert(case.measure, State(case.state), parameters, today)


def state_alert(
    measure: str, state: State, parameters: CaseParameters, today: date
) -> Alert | None:
    """Red past ``measure``'s deadline, yellow within ``cases.warn_days`` of it, for a case in
    ``state`` still awaiting payment (not paid, reconciled, rejected or withdrawn); else
    ``None``. Every awaiting case of a measure shares its warning, so a count of them by state
    is warned as a whole."""
    if state not in AWAITING_PAYMENT:
        return None
    deadline = parameters.deadline(measure)
    if today > deadline:
        return Alert.RED
    if (deadline - today).days <= parameters.warn_days:
        return Alert.YELLOW
    return None
