"""Input checks as the officer types."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from desktop.qt.gui import QValidator
from desktop.values import USCC_ALPHABET, USCC_LENGTH, ValueProblem, unquoted, uscc_problem

T = TypeVar("T")

_SYMBOLS = frozenset(USCC_ALPHABET)


class UsccValidator(QValidator):
    """统一社会信用代码: only its 31 symbols (upper-cased as typed; a pasted ``'…`` or ``="…"``
    read as the code), 18 long, check character right; a code of 18 with a wrong check
    character stays Intermediate so it cannot be saved."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        upper = self.fixup(text)
        if not set(upper) <= _SYMBOLS or len(upper) > USCC_LENGTH:
            return QValidator.State.Invalid, text, pos
        pos = min(pos, len(upper))
        if len(upper) == USCC_LENGTH and uscc_problem(upper) is None:
            return QValidator.State.Acceptable, upper, pos
        return QValidator.State.Intermediate, upper, pos

    def fixup(self, text: str) -> str:
        return unquoted(text).upper()


def read_value(label: str, text: str, parse: Callable[[str], T]) -> T:
    """``text`` typed in the field ``label``, read by ``parse``; a problem is re-raised naming
    the field and what was typed: 受理日期「2023-02-30」：日期不存在."""
    try:
        return parse(text)
    except ValueProblem as exc:
        raise ValueProblem(f"{label}「{text.strip()}」：{exc}") from None
