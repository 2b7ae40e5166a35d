"""The problem list (问题清单) in the database: moving a problem through its state table, and
the list with each problem's warning.

A move is an ORM update in the caller's audited session, so the change log keeps it (state,
deadline and what the move records, with operator and time); problems are never deleted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import County, Enterprise, Problem
from desktop.store.settings import get_setting
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.problem_states import Colour, Move, State, check_move, warning

WARN_DAYS = "problems.warn_days"


def warn_days(session: Session) -> int:
    """How many days before its deadline a problem turns yellow (setting ``problems.warn_days``)."""
    saved = get_setting(session, WARN_DAYS).strip()
    if not saved.isdigit():
        raise TaskforceError(f"设置 {WARN_DAYS}（问题预警天数）应为不小于0的整数，现为「{saved}」")
    return int(saved)


def problem_name(problem: Problem) -> str:
    """How messages name a problem: #12（甲公司：用工缺口…）."""
    text = problem.description
    short = text if len(text) <= 16 else f"{text[:15]}…"
    return f"#{problem.id}（{problem.enterprise.name}：{short}）"


def move_problem(session: Session, problem_id: int, move: Move) -> Problem:
    """Move problem ``problem_id`` as ``move`` asks, or refuse with :class:`TaskforceError`."""
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise TaskforceError(f"没有编号为 {problem_id} 的问题")
    changes = check_move(problem_name(problem), State(problem.state), problem.deadline, move)
    for column, value in changes.items():
        setattr(problem, column, value)
    session.flush()
    return problem


@dataclass(frozen=True)
class ProblemLine:
    """One problem as the list, the desk and the command line show it."""

    id: int
    uscc: str
    enterprise: str
    county: str
    state: State
    deadline: date
    warning: Colour | None
    description: str
    lead_unit: str
    category: str
    raised_on: date

    def to_json(self) -> dict[str, Any]:
        """CLI.md's problem object."""
        return {
            "id": self.id,
            "uscc": self.uscc,
            "state": self.state.value,
            "deadline": self.deadline.isoformat(),
            "warning": self.warning,
        }


_LINE_COLUMNS = (
    Problem.id, Enterprise.uscc, Enterprise.name, County.name, Problem.state, Problem.deadline,
    Problem.description, Problem.lead_unit, Problem.category, Problem.raised_on,
)  # fmt: skip
"""What a ProblemLine is read from, in its order (the state as stored, no warning yet)."""


def problem_lines(
    session: Session,
    on: date,
    *,
    states: frozenset[State] = frozenset(),
    overdue: bool = False,
    county: str | None = None,
    uscc: str | None = None,
) -> list[ProblemLine]:
    """The problems (of ``states`` when given; red only when ``overdue``; of one ``county``;
    of one enterprise ``uscc``), with their warning on day ``on``, by deadline."""
    query = (
        select(*_LINE_COLUMNS)
        .join(Enterprise, Problem.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .order_by(Problem.deadline, Problem.id)
    )
    if states:
        query = query.where(Problem.state.in_([s.value for s in states]))
    if county is not None:
        query = query.where(County.name == county)
    if uscc is not None:
        query = query.where(Enterprise.uscc == uscc)
    days = warn_days(session)
    lines = []
    for pid, code, name, where, state_name, deadline, *rest in session.execute(query):
        state = State(state_name)
        colour = warning(state, deadline, on, days)
        if overdue and colour != "red":
            continue
        lines.append(ProblemLine(pid, code, name, where, state, deadline, colour, *rest))
    return lines
