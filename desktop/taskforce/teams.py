"""People, service teams and 包联 assignments as the window edits them (TASKFORCE.md).

Each function writes in the caller's audited session, so the change log keeps who did what;
a refused entry raises :class:`TaskforceError` naming the field, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.models import Assignment, Enterprise, Person, ServiceTeam, TeamMember
from desktop.store.versions import based_on
from desktop.taskforce.errors import TaskforceError
from desktop.values import ValueProblem
from desktop.values.choices import PERSON_KIND


@dataclass(frozen=True)
class PersonEntry:
    """A person as entered (blank optional fields are None)."""

    name: str
    kind: str
    post: str | None = None
    unit: str | None = None
    phone: str | None = None


def _required(what: str, text: str) -> str:
    found = text.strip()
    if not found:
        raise TaskforceError(f"请填写{what}")
    return found


def save_person(
    session: Session, entry: PersonEntry, person_id: int | None = None, version: int | None = None
) -> Person:
    """Add a person, or change person ``person_id`` (read at ``version``, when given: refused,
    RowChanged, when saved since); names are unique."""
    name = _required("姓名", entry.name)
    try:
        kind = PERSON_KIND(entry.kind)
    except ValueProblem as exc:
        raise TaskforceError(f"人员类别「{entry.kind}」不可用，{exc}") from None
    namesake = session.scalar(select(Person).where(Person.name == name))
    if namesake is not None and namesake.id != person_id:
        raise TaskforceError(
            f"已有名为「{name}」的人员；同名的请在姓名后注明单位，如 张伟（工信局）"
        )
    person = Person() if person_id is None else session.get(Person, person_id)
    if person is None:
        raise TaskforceError(f"没有编号为 {person_id} 的人员")
    if person_id is not None:
        based_on(person, version)
    person.name, person.kind = name, kind
    person.post, person.unit, person.phone = entry.post, entry.unit, entry.phone
    session.add(person)
    session.flush()
    return person


def save_team(
    session: Session, name: str, member_ids: Sequence[int], team_id: int | None = None
) -> ServiceTeam:
    """Add a service team, or rename team ``team_id`` and set its members."""
    name = _required("小组名称", name)
    other = session.scalar(select(ServiceTeam).where(ServiceTeam.name == name))
    if other is not None and other.id != team_id:
        raise TaskforceError(f"已有名为「{name}」的服务小组")
    team = ServiceTeam() if team_id is None else session.get(ServiceTeam, team_id)
    if team is None:
        raise TaskforceError(f"没有编号为 {team_id} 的服务小组")
    team.name = name
    kept = {m.person_id: m for m in team.members}
    team.members = [kept.get(pid) or TeamMember(person_id=pid) for pid in dict.fromkeys(member_ids)]
    session.add(team)
    session.flush()
    return team


def assign(session: Session, uscc: str, leader_id: int | None, team_id: int | None) -> None:
    """Give enterprise ``uscc`` its responsible leader and service team (None: none); an
    enterprise left with neither is no longer on the 包联 list."""
    firm = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    if firm is None:
        raise TaskforceError(f"企业名录中没有统一社会信用代码为 {uscc} 的企业")
    row = session.scalar(select(Assignment).where(Assignment.enterprise_id == firm.id))
    if leader_id is None and team_id is None:
        if row is not None:
            session.delete(row)
        session.flush()
        return
    if row is None:
        row = Assignment(enterprise=firm)
        session.add(row)
    row.leader_id, row.team_id = leader_id, team_id
    session.flush()


def people(session: Session) -> list[Person]:
    """Everyone, by kind then name."""
    order = {kind: i for i, kind in enumerate(PERSON_KIND.words)}
    found = session.scalars(select(Person)).all()
    return sorted(found, key=lambda p: (order.get(p.kind, len(order)), p.name))


def teams(session: Session) -> list[ServiceTeam]:
    """Every service team with its members, by name."""
    query = select(ServiceTeam).options(
        selectinload(ServiceTeam.members).selectinload(TeamMember.person)
    )
    return list(session.scalars(query.order_by(ServiceTeam.name)))
