"""The state table of a case (CASES.md), in one place: the states, their names and the moves.

Nothing here touches the database: :func:`check_move` says whether a move is in the table and,
when it is not, refuses it naming the case, its state and the moves it allows.
"""

from __future__ import annotations

from enum import StrEnum

from desktop.cases.errors import CaseError


class State(StrEnum):
    """A case's state, by its JSON name."""

    OPEN = "open"
    RECEIVED = "received"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLICITY = "publicity"
    OBJECTED = "objected"
    PUBLICIZED = "publicized"
    PAID = "paid"
    RECONCILED = "reconciled"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """How the officer reads it."""
        return LABELS[self]


LABELS: dict[State, str] = {
    State.OPEN: "待申报",
    State.RECEIVED: "已受理",
    State.RETURNED: "退回补正",
    State.APPROVED: "审核通过",
    State.REJECTED: "不予支持",
    State.PUBLICITY: "公示中",
    State.OBJECTED: "公示有异议",
    State.PUBLICIZED: "公示无异议",
    State.PAID: "已拨付",
    State.RECONCILED: "已核对",
    State.WITHDRAWN: "已撤回",
}

MOVES: dict[State, frozenset[State]] = {
    State.OPEN: frozenset({State.RECEIVED, State.WITHDRAWN}),
    State.RECEIVED: frozenset({State.APPROVED, State.RETURNED, State.REJECTED, State.WITHDRAWN}),
    State.RETURNED: frozenset({State.RECEIVED, State.WITHDRAWN}),
    State.APPROVED: frozenset({State.PUBLICITY, State.WITHDRAWN}),
    State.REJECTED: frozenset(),
    State.PUBLICITY: frozenset({State.PUBLICIZED, State.OBJECTED}),
    State.OBJECTED: frozenset({State.APPROVED, State.REJECTED}),
    State.PUBLICIZED: frozenset({State.PAID, State.WITHDRAWN}),
    State.PAID: frozenset({State.RECONCILED}),
    State.RECONCILED: frozenset(),
    State.WITHDRAWN: frozenset(),
}
"""Where each state may go (CASES.md's table); a state with none is final."""

BY_PAYMENT = frozenset({State.PAID})
"""Reached only by recording payments, never moved to by hand."""
REVERSALS: dict[State, State] = {State.PAID: State.PUBLICIZED}
"""A move by payments taken back when its payments are reversed (undoing their import): the
case returns to the state it was paid from. Never offered as a move by hand."""
NEEDS_REASON = frozenset({State.RETURNED, State.REJECTED, State.OBJECTED, State.WITHDRAWN})
ENDED = frozenset({State.REJECTED, State.WITHDRAWN})
"""A case in these no longer stands: another may be opened for the same enterprise and period."""
STANDING = frozenset(MOVES) - ENDED
"""A case in these stands: the one case of its enterprise, measure and period."""
HOLDS_APPROVAL = frozenset(
    {State.APPROVED, State.PUBLICITY, State.OBJECTED, State.PUBLICIZED, State.PAID,
     State.RECONCILED}
)  # fmt: skip
"""Its approved amount counts against the fund."""
TAKES_PAYMENT = frozenset({State.PUBLICIZED, State.PAID})
AWAITING_PAYMENT = frozenset(MOVES) - ENDED - {State.PAID, State.RECONCILED}
"""Still to be paid: watched against the payment deadline."""
REFRESHABLE = frozenset({State.OPEN, State.RECEIVED, State.RETURNED})
"""The snapshot may be replaced by a new result."""


def labels(states: frozenset[State] | set[State]) -> str:
    """``states`` in the table's order, by their Chinese names: 已受理、已撤回."""
    return "、".join(s.label for s in State if s in states)


def check_move(number: str, current: State, to: State, *, by_payment: bool = False) -> None:
    """Refuse ``current`` → ``to`` unless the table allows it; a move to a state reached by
    payments is allowed only ``by_payment``."""
    allowed = MOVES[current]
    if to in allowed and (to in BY_PAYMENT) == by_payment:
        return
    here = f"兑现事项 {number} 当前为「{current.label}」"
    if not allowed:
        raise CaseError(f"{here}，已办结，不能再改为「{to.label}」")
    if to in allowed:
        raise CaseError(f"{here}，「{to.label}」由登记拨付自动完成，请登记拨付记录")
    raise CaseError(f"{here}，不能改为「{to.label}」；可改为：{labels(allowed)}")


def check_reversal(number: str, current: State) -> State:
    """The state a case in ``current`` returns to when payments it was paid by are reversed;
    refused for a case the payments did not move (a reconciled case is settled)."""
    back = REVERSALS.get(current)
    if back is None:
        raise CaseError(f"兑现事项 {number} 当前为「{current.label}」，不能冲销其拨付记录")
    return back


def parse_state(text: str) -> State:
    """The state named ``text`` (JSON name or Chinese), or a message listing the states."""
    for state in State:
        if text.strip() in (state.value, state.label):
            return state
    known = "、".join(f"{s.value}（{s.label}）" for s in State)
    raise CaseError(f"没有办理状态「{text}」；可用：{known}")
