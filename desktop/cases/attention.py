"""The cases' lines of the work desk (工作台, TASKFORCE.md): cases past or near their payment
deadline (kind ``case``) and cases whose result has changed since their snapshot (kind
``changed``, 测算已变化). :data:`DESK_SOURCES` is the whole desk, the warned lines first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from desktop.cases.deadlines import Alert, alert
from desktop.cases.opening import changed
from desktop.cases.parameters import load_case_parameters
from desktop.cases.states import AWAITING_PAYMENT, REFRESHABLE, State
from desktop.models import Case
from desktop.rules import catalogue
from desktop.rules.engine import evaluate_facts
from desktop.rules.enterprise_facts import load_facts
from desktop.rules.policy import load_policy
from desktop.taskforce.desk import (
    DeskItem,
    DeskSource,
    problem_items,
    report_items,
    visit_items,
)


def _cases(session: Session, states: frozenset[State]) -> list[Case]:
    query = (
        select(Case)
        .options(joinedload(Case.enterprise))
        .where(Case.state.in_([s.value for s in states]))
        .order_by(Case.number)
    )
    return list(session.scalars(query))


def case_items(session: Session, today: date) -> Iterable[DeskItem]:
    """Cases still to be paid, past their measure's deadline (red) or near it (yellow)."""
    parameters = load_case_parameters()
    found = []
    for case in _cases(session, AWAITING_PAYMENT):
        colour = alert(case, parameters, today)
        if colour is not None:
            deadline = parameters.deadline(case.measure)
            order = (colour is not Alert.RED, deadline, int(case.measure), case.number)
            found.append((order, case, colour, deadline))
    for _, case, colour, deadline in sorted(found, key=lambda f: f[0]):
        days = abs((deadline - today).days)
        when = f"已超期 {days} 天" if colour is Alert.RED else f"还有 {days} 天到期"
        text = (
            f"兑现事项 {case.number}（{case.enterprise.name}）："
            f"{catalogue.measure(case.measure).clause}，{State(case.state).label}，"
            f"拨付期限 {deadline.isoformat()}，{when}"
        )
        yield DeskItem("case", colour.value, case.enterprise.uscc, text, case.number)


def changed_items(session: Session, today: date) -> Iterable[DeskItem]:
    """Cases that may still be refreshed whose enterprise's result now differs from the
    snapshot (their measures evaluated again over those enterprises only)."""
    cases = _cases(session, REFRESHABLE)
    if not cases:
        return
    firms = {case.enterprise.uscc for case in cases}
    facts = [f for f in load_facts(session) if f.uscc in firms]
    chosen = catalogue.measures(sorted({case.measure for case in cases}))
    policies = {m.document: load_policy(m.document) for m in chosen}
    results = {(r.uscc, r.measure, r.period): r for r in evaluate_facts(facts, chosen, policies)}
    for case in cases:
        result = results.get((case.enterprise.uscc, case.measure, case.period))
        difference = None if result is None else changed(case, result)
        if difference is not None:
            text = f"兑现事项 {case.number}（{case.enterprise.name}）：{difference.text()}"
            yield DeskItem("changed", None, case.enterprise.uscc, text, case.number)


DESK_SOURCES: tuple[DeskSource, ...] = (
    problem_items,
    case_items,
    visit_items,
    report_items,
    changed_items,
)
"""Every line of the desk, in the order it shows them: red and yellow problems and cases, then
包联 not visited, not reporting, 测算已变化."""
