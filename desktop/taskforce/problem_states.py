"""The state table of a problem (TASKFORCE.md), in one place: the states, the moves, what each
move needs and records, and the deadline warnings.

Nothing here touches the database: :func:`check_move` gives the columns a move writes or
refuses it, naming the problem, its state and the moves allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from desktop.taskforce.errors import TaskforceError
from desktop.values import ValueProblem
from desktop.values.choices import CLOSE_REASON, PROBLEM_STATE, SATISFACTION

Colour = Literal["red", "yellow"]
UNSATISFIED = "不满意"


class State(StrEnum):
    """A problem's state, by its JSON name."""

    NEW = "new"
    ASSIGNED = "assigned"
    EXTENSION = "extension"
    SOLVED = "solved"
    REVIEWED = "reviewed"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """How the officer reads it."""
        return LABELS[self]


LABELS: dict[State, str] = dict(zip(State, PROBLEM_STATE.words, strict=True))
"""The Chinese names, declared once with the vocabulary of values (the import reads them)."""

MOVES: dict[State, frozenset[State]] = {
    State.NEW: frozenset({State.ASSIGNED, State.CLOSED}),
    State.ASSIGNED: frozenset({State.EXTENSION, State.SOLVED}),
    State.EXTENSION: frozenset({State.ASSIGNED}),
    State.SOLVED: frozenset({State.REVIEWED}),
    State.REVIEWED: frozenset({State.CLOSED, State.ASSIGNED}),
    State.CLOSED: frozenset(),
}
"""Where each state may go; 已销号 is final."""

DONE = frozenset({State.SOLVED, State.REVIEWED, State.CLOSED})
"""Solved (已办结/已回访/已销号): no longer warned about, counted as solved by the bulletin."""


@dataclass(frozen=True)
class Move:
    """A requested move and what comes with it.

    ``reason`` is the why, kept as the problem's 办理说明 for every move; it is required as the
    close reason (不属实/重复) from 待交办, as who approved an extension granted, and as how the
    problem was solved at the 回访. ``deadline`` (to 办理中 only) grants an extension or sets a
    new deadline; ``satisfaction`` is the enterprise's word leaving 已回访; ``lead_unit`` (to
    办理中 only) names the 主办单位 it goes to (a problem raised on a visit has none until 交办).
    """

    to: State
    reason: str | None = None
    deadline: date | None = None
    satisfaction: str | None = None
    lead_unit: str | None = None


def labels(states: frozenset[State] | set[State]) -> str:
    """``states`` in the table's order, by their Chinese names: 申请延期、已办结."""
    return "、".join(s.label for s in State if s in states)


def parse_state(text: str) -> State:
    """The state named ``text`` (JSON name or Chinese), or a message listing the states."""
    for state in State:
        if text.strip() in (state.value, state.label):
            return state
    known = "、".join(f"{s.value}（{s.label}）" for s in State)
    raise TaskforceError(f"没有办理状态「{text}」；可用：{known}")


def check_move(name: str, current: State, deadline: date, move: Move) -> dict[str, Any]:
    """The columns ``move`` writes on problem ``name`` (now ``current``, due ``deadline``), or
    :class:`TaskforceError` when the table refuses it or what it needs is missing."""
    here = f"问题 {name} 当前为「{current.label}」"
    allowed = MOVES[current]
    if move.to not in allowed:
        if not allowed:
            raise TaskforceError(f"{here}，已销号，不能再改为「{move.to.label}」")
        raise TaskforceError(f"{here}，不能改为「{move.to.label}」；可改为：{labels(allowed)}")
    step = f"{here}，改为「{move.to.label}」"
    if move.deadline is not None and move.to is not State.ASSIGNED:
        raise TaskforceError(f"{step}时不能指定办理时限")
    if move.satisfaction is not None and current is not State.REVIEWED:
        raise TaskforceError(f"{step}时不需要满意度（回访后销号或重新交办时填写）")
    if move.lead_unit is not None and move.to is not State.ASSIGNED:
        raise TaskforceError(f"{step}时不能指定主办单位（交办时确定）")
    reason = (move.reason or "").strip() or None
    changes: dict[str, Any] = {"state": move.to.value, "note": reason}
    if move.deadline is not None:
        changes["deadline"] = move.deadline
    if lead_unit := (move.lead_unit or "").strip():
        changes["lead_unit"] = lead_unit
    changes.update(_what_the_move_records(step, current, deadline, move, reason))
    return changes


def _what_the_move_records(
    step: str, current: State, deadline: date, move: Move, reason: str | None
) -> dict[str, Any]:
    if current is State.NEW and move.to is State.CLOSED:
        return {"close_reason": _choice(step, "销号原因", CLOSE_REASON, reason)}
    if current is State.EXTENSION and move.deadline is not None:
        if move.deadline <= deadline:
            raise TaskforceError(f"{step}：延期后的办理时限应晚于原时限 {deadline.isoformat()}")
        if reason is None:
            raise TaskforceError(f"{step}：同意延期须注明审批人")
        return {"extension_approver": reason}
    if move.to is State.REVIEWED:
        if reason is None:
            raise TaskforceError(f"{step}须填写办理结果（问题如何解决）")
        return {"result": reason}
    if current is State.REVIEWED:
        said = _choice(step, "满意度", SATISFACTION, move.satisfaction)
        if (said == UNSATISFIED) != (move.to is State.ASSIGNED):
            wanted = "不满意时重新交办（办理中）" if said == UNSATISFIED else "满意或基本满意时销号"
            raise TaskforceError(f"{step}：企业{said}，应{wanted}")
        return {"satisfaction": said}
    return {}


def _choice(step: str, what: str, choice: Any, value: str | None) -> str:
    if value is None:
        raise TaskforceError(f"{step}须填写{what}（{'、'.join(choice.words)}）")
    try:
        return choice(value)
    except ValueProblem as exc:
        raise TaskforceError(f"{step}：{what}「{value}」不可用，{exc}") from None


def warning(state: State, deadline: date, on: date, warn_days: int) -> Colour | None:
    """Red when ``on`` is past the deadline and the problem is not solved; yellow within
    ``warn_days`` days of it; None otherwise."""
    if state in DONE:
        return None
    left = (deadline - on).days
    if left < 0:
        return "red"
    return "yellow" if left <= warn_days else None


@dataclass(frozen=True)
class Asks:
    """What a move asks of the officer (the window's form; :func:`check_move` enforces it).

    ``reason`` labels the why (``reason_choices`` its fixed words, if any); ``deadline``: a new
    deadline may be set; ``satisfaction``: the enterprise's words allowed for this move;
    ``lead_unit``: the 主办单位 may be named (交办).
    """

    reason: str
    reason_required: bool = False
    reason_choices: tuple[str, ...] = ()
    deadline: bool = False
    satisfaction: tuple[str, ...] = ()
    lead_unit: bool = False


def asks(current: State, to: State) -> Asks:
    """What moving from ``current`` to ``to`` asks; TaskforceError for a move not in the table."""
    if to not in MOVES[current]:
        raise TaskforceError(f"「{current.label}」不能改为「{to.label}」")
    if current is State.NEW and to is State.CLOSED:
        return Asks("销号原因", True, tuple(CLOSE_REASON.words))
    if current is State.EXTENSION:
        return Asks("审批人（同意延期时必填；不同意时写明理由）", deadline=True)
    if to is State.REVIEWED:
        return Asks("办理结果（问题如何解决）", True)
    if current is State.REVIEWED:
        unhappy = to is State.ASSIGNED
        words = tuple(w for w in SATISFACTION.words if (w == UNSATISFIED) == unhappy)
        return Asks("回访说明", satisfaction=words, deadline=unhappy)
    said = {State.EXTENSION: "申请延期的理由", State.SOLVED: "办结说明"}
    assigning = to is State.ASSIGNED
    return Asks(said.get(to, "交办说明"), deadline=assigning, lead_unit=assigning)
