"""The work desk (工作台): what needs attention today, as ``desk --json``'s items.

Each source gives its items; :data:`SOURCES` holds the task force's own three — red and yellow
problems, 包联 enterprises not visited this month, 规上 enterprises that have not reported for the
last period. Cases near their deadline (kind ``case``) and results marked 测算已变化 (kind
``changed``) come from the modules that keep them: they join by adding their source function to
the tuple passed to :func:`desk_items`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desktop.models import Assignment, Enterprise, Visit
from desktop.taskforce.ledgers import not_reporting, reported_periods
from desktop.taskforce.periods import Period, month_of
from desktop.taskforce.problem_states import Colour
from desktop.taskforce.problems import problem_lines

Kind = Literal["problem", "case", "visit", "report", "changed"]


@dataclass(frozen=True)
class DeskItem:
    """One line of the desk; ``ref`` is what it opens (a problem's id, an enterprise's code)."""

    kind: Kind
    warning: Colour | None
    uscc: str
    text: str
    ref: int | str

    def to_json(self) -> dict[str, Any]:
        """CLI.md's desk item."""
        return {"kind": self.kind, "warning": self.warning, "uscc": self.uscc, "text": self.text}


DeskSource = Callable[[Session, date], Iterable[DeskItem]]


def problem_items(session: Session, today: date) -> Iterable[DeskItem]:
    """Red problems, then yellow ones, each by deadline."""
    lines = [line for line in problem_lines(session, today) if line.warning is not None]
    for line in sorted(lines, key=lambda line: line.warning != "red"):
        days = abs((line.deadline - today).days)
        when = f"已超期 {days} 天" if line.warning == "red" else f"还有 {days} 天到期"
        unit = line.lead_unit or "未确定"
        text = (
            f"问题 #{line.id}（{line.enterprise}）：{line.description}；主办 {unit}，"
            f"办理时限 {line.deadline.isoformat()}，{when}"
        )
        yield DeskItem("problem", line.warning, line.uscc, text, line.id)


def visit_items(session: Session, today: date) -> Iterable[DeskItem]:
    """包联 enterprises with no visit in the current month."""
    month = month_of(today)
    visited = exists().where(
        Visit.enterprise_id == Enterprise.id, Visit.visited_on.between(month.start, month.end)
    )
    query = (
        select(Enterprise.uscc, Enterprise.name)
        .join(Assignment, Assignment.enterprise_id == Enterprise.id)
        .where(~visited)
        .order_by(Enterprise.uscc)
    )
    for uscc, name in session.execute(query):
        yield DeskItem("visit", None, uscc, f"{name}：包联企业{month.label}尚未走访", uscc)


def last_period(session: Session) -> Period | None:
    """The period reported last: of those with any monitoring row, the one ending latest."""
    return next(iter(reported_periods(session)), None)


def report_items(session: Session, today: date) -> Iterable[DeskItem]:
    """规上 enterprises without a monitoring row for the last period reported."""
    last = last_period(session)
    if last is None:
        return
    for firm in sorted(not_reporting(session, last), key=lambda f: f.uscc):
        yield DeskItem(
            "report", None, firm.uscc, f"{firm.name}：{last.label}运行监测未报送", firm.uscc
        )


SOURCES: tuple[DeskSource, ...] = (problem_items, visit_items, report_items)


def desk_items(
    session: Session, today: date, sources: Sequence[DeskSource] = SOURCES
) -> list[DeskItem]:
    """Every item of ``sources``, in their order."""
    return [item for source in sources for item in source(session, today)]


def desk_json(items: Sequence[DeskItem]) -> dict[str, Any]:
    """CLI.md's ``desk --json``."""
    return {"items": [item.to_json() for item in items]}
