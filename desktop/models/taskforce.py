"""The task force's own ledgers (TASKFORCE.md): people, service teams, 包联 assignments, visits,
problems and production monitoring.

Rows point at their enterprise with ``RESTRICT``: the task force's record of its work is never
removed with an enterprise behind the change log's back (the enterprise cannot be deleted while
it has any).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, Money, Versioned, labelled, non_negative, one_of
from desktop.models.enterprise import Enterprise
from desktop.values.choices import (
    CLOSE_REASON,
    PERSON_KIND,
    PROBLEM_CATEGORY,
    PROBLEM_SOURCE,
    PRODUCTION_STATUS,
    SATISFACTION,
)

# The JSON names of desktop.taskforce.problem_states.State (a test holds them equal).
PROBLEM_STATES = ("new", "assigned", "extension", "solved", "reviewed", "closed")
KWH = Numeric(14, 2)  # electricity in kilowatt-hours: not money
WEEK_PERIOD, MONTH_PERIOD = "____-W__", "____-__"  # 2023-W05, 2023-03 (LIKE patterns)


def _enterprise_fk() -> Mapped[int]:
    return mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True, info=labelled("企业")
    )


class Person(Versioned, Base):
    """Someone of the task force: a leader, a service commissioner or a department's contact.

    Sheets name people by name alone, so a name identifies a person (namesakes are told apart
    in the name itself, e.g. 张伟（工信局）).
    """

    __tablename__ = "person"
    __table_args__ = (one_of("kind", PERSON_KIND.words), {"info": labelled("人员")})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True, info=labelled("姓名"))
    post: Mapped[str | None] = mapped_column(String(100), info=labelled("职务"))
    unit: Mapped[str | None] = mapped_column(String(100), info=labelled("单位"))
    phone: Mapped[str | None] = mapped_column(String(50), info=labelled("联系电话"))
    kind: Mapped[str] = mapped_column(String(10), info=labelled("类别"))


class ServiceTeam(Versioned, Base):
    """A service team (入企服务小组) and its members."""

    __tablename__ = "service_team"
    __table_args__ = ({"info": labelled("服务小组")},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, info=labelled("小组名称"))

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMember(Versioned, Base):
    """One person's place in one service team."""

    __tablename__ = "team_member"
    __table_args__ = (Unique("team_id", "person_id"), {"info": labelled("小组成员")})

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("service_team.id", ondelete="CASCADE"), info=labelled("服务小组")
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True, info=labelled("成员")
    )

    team: Mapped[ServiceTeam] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()


class Assignment(Versioned, Base):
    """包联: an enterprise's one responsible leader and one service team (either may be missing)."""

    __tablename__ = "assignment"
    __table_args__ = ({"info": labelled("包联企业")},)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), unique=True, info=labelled("企业")
    )
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True, info=labelled("包联领导")
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_team.id", ondelete="RESTRICT"), index=True, info=labelled("服务小组")
    )
    commissioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True, info=labelled("服务专员")
    )
    phone: Mapped[str | None] = mapped_column(String(50), info=labelled("联系电话"))

    enterprise: Mapped[Enterprise] = relationship()
    leader: Mapped[Person | None] = relationship(foreign_keys=[leader_id])
    team: Mapped[ServiceTeam | None] = relationship()
    commissioner: Mapped[Person | None] = relationship(foreign_keys=[commissioner_id])


class Visit(Versioned, Base):
    """A visit to an enterprise (入企服务记录); key: enterprise + date + who went."""

    __tablename__ = "visit"
    __table_args__ = (
        Unique("enterprise_id", "visited_on", "people"),
        {"info": labelled("走访记录")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), info=labelled("企业")
    )
    visited_on: Mapped[date] = mapped_column(Date, index=True, info=labelled("走访日期"))
    people: Mapped[str] = mapped_column(String(200), info=labelled("走访人员"))  # names, 、-joined
    purpose: Mapped[str | None] = mapped_column(String(200), info=labelled("走访事由"))
    measures: Mapped[str | None] = mapped_column(String(200), info=labelled("宣讲政策"))
    note: Mapped[str | None] = mapped_column(Text, info=labelled("备注"))

    enterprise: Mapped[Enterprise] = relationship()


class Problem(Versioned, Base):
    """A problem an enterprise raised (问题清单); key: enterprise + raised on + description.

    The columns after ``state`` are what the moves record (``desktop.taskforce.problem_states``);
    the change log keeps each move as the update of these columns, with operator and time.
    """

    __tablename__ = "problem"
    __table_args__ = (
        Unique("enterprise_id", "raised_on", "description"),
        one_of("source", PROBLEM_SOURCE.words),
        one_of("category", PROBLEM_CATEGORY.words),
        one_of("state", PROBLEM_STATES),
        one_of("close_reason", CLOSE_REASON.words),
        one_of("satisfaction", SATISFACTION.words),
        {"info": labelled("问题清单")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = _enterprise_fk()
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="RESTRICT"), index=True, info=labelled("走访记录")
    )
    raised_on: Mapped[date] = mapped_column(Date, info=labelled("反映日期"))
    source: Mapped[str | None] = mapped_column(String(10), info=labelled("问题来源"))
    category: Mapped[str] = mapped_column(String(10), info=labelled("问题类别"))
    description: Mapped[str] = mapped_column(String(500), info=labelled("问题描述"))
    lead_unit: Mapped[str] = mapped_column(String(100), info=labelled("主办单位"))
    assisting_units: Mapped[str | None] = mapped_column(String(300), info=labelled("协办单位"))
    deadline: Mapped[date] = mapped_column(Date, info=labelled("办理时限"))
    state: Mapped[str] = mapped_column(
        String(10), default=PROBLEM_STATES[0], info=labelled("办理状态")
    )
    result: Mapped[str | None] = mapped_column(Text, info=labelled("办理结果"))
    close_reason: Mapped[str | None] = mapped_column(String(10), info=labelled("销号原因"))
    extension_approver: Mapped[str | None] = mapped_column(String(100), info=labelled("延期审批人"))
    satisfaction: Mapped[str | None] = mapped_column(String(10), info=labelled("回访满意度"))
    note: Mapped[str | None] = mapped_column(Text, info=labelled("办理说明"))

    enterprise: Mapped[Enterprise] = relationship()
    visit: Mapped[Visit | None] = relationship()


class Monitoring(Versioned, Base):
    """One enterprise's production in one period (运行监测); key: enterprise + period.

    A month's output is the same fact as 月度产值 and is kept there, once: ``output`` holds a
    week's output only.
    """

    __tablename__ = "monitoring"
    __table_args__ = (
        Unique("period", "enterprise_id"),
        CheckConstraint(
            f"period LIKE '{WEEK_PERIOD}' OR period LIKE '{MONTH_PERIOD}'", name="period_form"
        ),
        CheckConstraint(f"output IS NULL OR period LIKE '{WEEK_PERIOD}'", name="output_weekly"),
        one_of("status", PRODUCTION_STATUS.words),
        *map(non_negative, ("output", "electricity", "employees")),
        {"info": labelled("运行监测")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = _enterprise_fk()
    period: Mapped[str] = mapped_column(String(8), info=labelled("期间"))
    status: Mapped[str] = mapped_column(String(10), info=labelled("生产状态"))
    output: Mapped[Decimal | None] = mapped_column(Money, info=labelled("产值"))
    electricity: Mapped[Decimal | None] = mapped_column(KWH, info=labelled("用电量", "千瓦时"))
    employees: Mapped[int | None] = mapped_column(Integer, info=labelled("在岗人数"))

    enterprise: Mapped[Enterprise] = relationship()
