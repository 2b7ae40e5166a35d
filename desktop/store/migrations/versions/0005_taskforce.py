"""The task force's ledgers: people, service teams, 包联, visits, problems, monitoring; 企业规模.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:00:00

New tables only, plus the nullable ``enterprise.size`` with its CHECK: nothing existing changes.
Rows point at their enterprise with RESTRICT (the task force's record is never deleted with it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MONEY = sa.BigInteger()  # whole fen, as desktop.models.base.Money stores it


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(column: str, table: str, ondelete: str = "RESTRICT") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], ondelete=ondelete)


def _in(column: str, words: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(w) for w in words)})"


def _one_of(column: str, words: tuple[str, ...]) -> sa.CheckConstraint:
    return sa.CheckConstraint(_in(column, words), name=f"{column}_choice")


def _non_negative(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} >= 0", name=f"{column}_non_negative")


SIZES = ("大型", "中型", "小型", "微型")
WEEK, MONTH = "____-W__", "____-__"


def _people_and_teams() -> None:
    op.create_table(
        "person",
        _id(),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("post", sa.String(100)),
        sa.Column("unit", sa.String(100)),
        sa.Column("phone", sa.String(50)),
        sa.Column("kind", sa.String(10), nullable=False),
        _one_of("kind", ("市领导", "县领导", "服务专员", "部门联系人")),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "service_team",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "team_member",
        _id(),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _fk("person_id", "person"),
        _fk("team_id", "service_team", "CASCADE"),
        sa.UniqueConstraint("team_id", "person_id"),
    )
    op.create_index("ix_team_member_person_id", "team_member", ["person_id"])
    op.create_table(
        "assignment",
        _id(),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer()),
        sa.Column("team_id", sa.Integer()),
        sa.Column("commissioner_id", sa.Integer()),
        sa.Column("phone", sa.String(50)),
        _fk("commissioner_id", "person"),
        _fk("enterprise_id", "enterprise"),
        _fk("leader_id", "person"),
        _fk("team_id", "service_team"),
        sa.UniqueConstraint("enterprise_id"),
    )
    for column in ("commissioner_id", "leader_id", "team_id"):
        op.create_index(f"ix_assignment_{column}", "assignment", [column])


def _visits_and_problems() -> None:
    op.create_table(
        "visit",
        _id(),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("people", sa.String(200), nullable=False),
        sa.Column("purpose", sa.String(200)),
        sa.Column("measures", sa.String(200)),
        sa.Column("note", sa.Text()),
        _fk("enterprise_id", "enterprise"),
        sa.UniqueConstraint("enterprise_id", "visited_on", "people"),
    )
    op.create_index("ix_visit_visited_on", "visit", ["visited_on"])
    op.create_table(
        "problem",
        _id(),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer()),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(10)),
        sa.Column("category", sa.String(10), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("lead_unit", sa.String(100), nullable=False),
        sa.Column("assisting_units", sa.String(300)),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("result", sa.Text()),
        sa.Column("close_reason", sa.String(10)),
        sa.Column("extension_approver", sa.String(100)),
        sa.Column("satisfaction", sa.String(10)),
        sa.Column("note", sa.Text()),
        _one_of("category", ("用工", "资金", "融资", "能源", "物流", "审批", "市场", "其他")),
        _one_of("close_reason", ("不属实", "重复")),
        _one_of("satisfaction", ("满意", "基本满意", "不满意")),
        _one_of("source", ("走访", "电话", "12345", "其他")),
        _one_of("state", ("new", "assigned", "extension", "solved", "reviewed", "closed")),
        _fk("enterprise_id", "enterprise"),
        _fk("visit_id", "visit"),
        sa.UniqueConstraint("enterprise_id", "raised_on", "description"),
    )
    op.create_index("ix_problem_enterprise_id", "problem", ["enterprise_id"])
    op.create_index("ix_problem_visit_id", "problem", ["visit_id"])


def _monitoring() -> None:
    op.create_table(
        "monitoring",
        _id(),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("output", MONEY),
        sa.Column("electricity", sa.Numeric(precision=14, scale=2)),
        sa.Column("employees", sa.Integer()),
        sa.CheckConstraint(f"output IS NULL OR period LIKE '{WEEK}'", name="output_weekly"),
        sa.CheckConstraint(f"period LIKE '{WEEK}' OR period LIKE '{MONTH}'", name="period_form"),
        _one_of("status", ("停产", "部分复工", "全面复工", "达产达效")),
        *map(_non_negative, ("electricity", "employees", "output")),
        _fk("enterprise_id", "enterprise"),
        sa.UniqueConstraint("period", "enterprise_id"),
    )
    op.create_index("ix_monitoring_enterprise_id", "monitoring", ["enterprise_id"])


def upgrade() -> None:
    _people_and_teams()
    _visits_and_problems()
    _monitoring()
    with op.batch_alter_table("enterprise") as batch:
        batch.add_column(sa.Column("size", sa.String(4), nullable=True))
        batch.create_check_constraint("size_choice", _in("size", SIZES))


def downgrade() -> None:
    with op.batch_alter_table("enterprise") as batch:
        batch.drop_constraint(op.f("ck_enterprise_size_choice"), type_="check")
        batch.drop_column("size")
    for table in ("problem", "visit", "monitoring", "assignment", "team_member"):
        op.drop_table(table)
    op.drop_table("service_team")
    op.drop_table("person")
