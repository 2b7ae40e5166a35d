"""Recording a visit (入企服务记录) entered in the window, with the problems it raised, and a
problem raised outside a visit.

One call writes the visit and each problem (state 待交办, pointing at the visit, source 走访) in
the caller's audited session; a refused entry raises :class:`TaskforceError` and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Enterprise, Problem, Visit
from desktop.store.versions import based_on
from desktop.taskforce.errors import TaskforceError
from desktop.values import ValueProblem
from desktop.values.choices import PROBLEM_CATEGORY, PROBLEM_SOURCE

VISIT_SOURCE, VISIT_DAY = "走访", "走访日期"
JOIN = "、"  # how a visit keeps its people and measures


@dataclass(frozen=True)
class RaisedProblem:
    """A problem raised on the visit."""

    category: str
    description: str
    lead_unit: str
    deadline: date
    assisting_units: str | None = None


@dataclass(frozen=True)
class VisitEntry:
    """A visit as entered: ``people`` and ``measures`` (clauses, e.g. 第十二条) are lists."""

    uscc: str
    visited_on: date
    people: Sequence[str]
    purpose: str | None = None
    measures: Sequence[str] = ()
    problems: Sequence[RaisedProblem] = field(default_factory=tuple)
    note: str | None = None


def roster_firm(session: Session, uscc: str) -> Enterprise:
    """Enterprise ``uscc`` of the roster, or TaskforceError."""
    firm = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    if firm is None:
        raise TaskforceError(f"企业名录中没有统一社会信用代码为 {uscc} 的企业")
    return firm


def _check_problem(where: str, raised: RaisedProblem, on: date, day_name: str) -> None:
    try:
        PROBLEM_CATEGORY(raised.category)
    except ValueProblem as exc:
        raise TaskforceError(f"{where}的问题类别「{raised.category}」不可用，{exc}") from None
    for what, text in (("问题描述", raised.description), ("主办单位", raised.lead_unit)):
        if not text.strip():
            raise TaskforceError(f"{where}：请填写{what}")
    if raised.deadline < on:
        raise TaskforceError(
            f"{where}的办理时限 {raised.deadline.isoformat()} 早于{day_name} {on.isoformat()}"
        )


def _checked_problems(
    session: Session, firm: Enterprise, on: date, raised: Sequence[RaisedProblem], day_name: str
) -> None:
    """Each problem complete, and new: one enterprise's, raised on one day, one description."""
    kept = select(Problem.description).where(
        Problem.enterprise_id == firm.id, Problem.raised_on == on
    )
    seen = set(session.scalars(kept))
    for n, problem in enumerate(raised, 1):
        where = f"第{n}个问题" if len(raised) > 1 or day_name == VISIT_DAY else "问题"
        _check_problem(where, problem, on, day_name)
        text = problem.description.strip()
        if text in seen:
            raise TaskforceError(f"{where}「{text}」已记录（{on.isoformat()}，{firm.name}）")
        seen.add(text)


def _problem(
    firm: Enterprise, on: date, source: str, p: RaisedProblem, visit: Visit | None = None
) -> Problem:
    return Problem(
        enterprise=firm, visit=visit, raised_on=on, source=source, category=p.category,
        description=p.description.strip(), lead_unit=p.lead_unit.strip(),
        assisting_units=p.assisting_units or None, deadline=p.deadline,
    )  # fmt: skip


def _new_people(
    session: Session, firm: Enterprise, entry: VisitEntry, visit_id: int | None = None
) -> str:
    """Who went, 、-joined, or TaskforceError: none, or a visit of theirs that day kept already
    (other than ``visit_id``)."""
    names = [p.strip() for p in entry.people if p.strip()]
    if not names:
        raise TaskforceError("请填写走访人员")
    people = JOIN.join(dict.fromkeys(names))
    same = select(Visit.id).where(
        Visit.enterprise_id == firm.id, Visit.visited_on == entry.visited_on,
        Visit.people == people,
    )  # fmt: skip
    if visit_id is not None:
        same = same.where(Visit.id != visit_id)
    if session.scalar(same) is not None:
        raise TaskforceError(
            f"已有 {entry.visited_on.isoformat()} {people} 走访「{firm.name}」的记录"
        )
    return people


def record_visit(session: Session, entry: VisitEntry) -> Visit:
    """Write the visit and its problems, or refuse naming what is wrong."""
    firm = roster_firm(session, entry.uscc)
    people = _new_people(session, firm, entry)
    _checked_problems(session, firm, entry.visited_on, entry.problems, VISIT_DAY)
    visit = Visit(
        enterprise=firm, visited_on=entry.visited_on, people=people,
        purpose=entry.purpose or None, measures=JOIN.join(entry.measures) or None,
        note=entry.note or None,
    )  # fmt: skip
    session.add(visit)
    session.add_all(
        _problem(firm, entry.visited_on, VISIT_SOURCE, p, visit) for p in entry.problems
    )
    session.flush()
    return visit


def record_problem(
    session: Session, uscc: str, raised_on: date, source: str, raised: RaisedProblem
) -> Problem:
    """Write a problem raised outside a visit (by phone, 12345 …), in state 待交办."""
    firm = roster_firm(session, uscc)
    try:
        PROBLEM_SOURCE(source)
    except ValueProblem as exc:
        raise TaskforceError(f"问题来源「{source}」不可用，{exc}") from None
    _checked_problems(session, firm, raised_on, [raised], "反映日期")
    problem = _problem(firm, raised_on, source, raised)
    session.add(problem)
    session.flush()
    return problem


def correct_visit(
    session: Session, visit_id: int, entry: VisitEntry, version: int | None = None
) -> Visit:
    """Correct a visit's people, purpose, measures and note; its day and enterprise (which its
    problems share) and its problems (on the problem list) are not read from ``entry``. Given
    the ``version`` the correction rests on, refused (RowChanged) when the visit was saved
    since."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise TaskforceError(f"走访记录 #{visit_id} 已不存在")
    based_on(visit, version)
    fixed = replace(entry, visited_on=visit.visited_on)
    visit.people = _new_people(session, visit.enterprise, fixed, visit_id)
    visit.purpose, visit.note = entry.purpose or None, entry.note or None
    visit.measures = JOIN.join(entry.measures) or None
    session.flush()
    return visit


def correct_problem(
    session: Session, problem_id: int, raised: RaisedProblem, version: int | None = None
) -> Problem:
    """Correct a problem's category, description and units; its state, dates and source move
    only through the state table's moves (``raised.deadline`` is not read). Given the
    ``version`` the correction rests on, refused (RowChanged) when the problem was saved since."""
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise TaskforceError(f"问题 #{problem_id} 已不在问题清单中")
    based_on(problem, version)
    _check_problem(
        "问题", replace(raised, deadline=problem.deadline), problem.raised_on, "反映日期"
    )
    problem.category, problem.description = raised.category, raised.description.strip()
    problem.lead_unit = raised.lead_unit.strip()
    problem.assisting_units = raised.assisting_units or None
    session.flush()
    return problem
