"""Input checks as the officer types."""

from __future__ import annotations

from desktop.qt.gui import QValidator
from desktop.roster.records import uscc_problem

USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


class UsccValidator(QValidator):
    """统一社会信用代码: only its 31 symbols (upper-cased as typed), 18 long, check character
    right; a code of 18 with a wrong check character stays Intermediate so it cannot be saved."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        upper = text.strip().upper()
        if not set(upper) <= USCC_ALPHABET or len(upper) > 18:
            return QValidator.State.Invalid, text, pos
        if len(upper) == 18 and uscc_problem(upper) is None:
            return QValidator.State.Acceptable, upper, pos
        return QValidator.State.Intermediate, upper, pos

    def fixup(self, text: str) -> str:
        return text.strip().upper()
