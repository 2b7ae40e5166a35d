"""Roles on a PostgreSQL server: county, city and admin logins, enforced by the database.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:00:00

On PostgreSQL only (on a SQLite file everyone is admin, and nothing changes):
- the group roles ``relief_county``, ``relief_city``, ``relief_admin``, created when the server
  lacks them (they are the cluster's, shared by every database on it; never dropped here);
- ``login_role``: each login's role and, for a county login, its county-level unit, and who
  added and disabled it when (the change log's lines are the business tables'; admin writes it);
- grants: everyone reads; county writes its unit's rows, the task force's people and adds zones
  and chains its roster names; the city writes reference data and moves cases in its review;
  admin writes everything; every role adds to the change log, none updates or deletes it;
- row-level security on every table of a unit's rows (children through their enterprise), and
  on every other table (Alembic's aside) for the logins bound in this database only;
- import batches and the change log stamped by the server with the county login's unit that
  wrote them (``unit_id``, not in the models: a server's own): a county login reads, and undoes,
  its own unit's only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.grants import (
    LOGIN_TABLE,
    UNIT_STAMPED,
    Role,
    bound_policy,
    city_review,
    drop_city_review,
    drop_policies,
    grant,
    group_roles,
    login_functions,
    unit_policies,
    unit_stamp,
)

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COUNTY, CITY, ADMIN = Role.COUNTY, Role.CITY, Role.ADMIN
REFERENCE = ("county", "zone", "key_chain", "fund", "holiday", "setting")
PEOPLE = ("person", "service_team", "team_member")  # the task force's directory: no unit column
UNIT_ROWS = {  # a unit's rows, by how each reaches its enterprise
    "enterprise": "enterprise",
    **dict.fromkeys(
        (
            *("annual_figures", "monthly_output", "lease", "provincial_award", "subsidy_case"),
            *("assignment", "visit", "problem", "monitoring"),
        ),
        "enterprise_id",
    ),
    **dict.fromkeys(("case_move", "payment"), "case_id"),
}
BOOKKEEPING = ("import_batch",)  # an import's batch: every role imports, and undoes
KEPT = ("change_log",)  # added to, never changed
READ_ONLY = ("alembic_version",)
UNBOUND = (*REFERENCE, *PEOPLE, LOGIN_TABLE)  # rows of no unit
ALL_TABLES = (*UNBOUND, *UNIT_ROWS, *UNIT_STAMPED, *READ_ONLY)
WRITE = "INSERT, UPDATE, DELETE"


def _grants(schema: str) -> list[str]:
    return [
        grant("SELECT", ALL_TABLES, COUNTY, CITY, ADMIN),
        grant(WRITE, REFERENCE, CITY, ADMIN),
        grant("INSERT", ("zone", "key_chain"), COUNTY),  # what its roster names, by name alone
        grant(WRITE, (*PEOPLE, *UNIT_ROWS), COUNTY, ADMIN),
        grant("INSERT", ("case_move",), CITY),
        grant("UPDATE", ("subsidy_case",), CITY),
        grant("INSERT, UPDATE", BOOKKEEPING, COUNTY, CITY, ADMIN),
        grant("INSERT", KEPT, COUNTY, CITY, ADMIN),
        grant("INSERT, UPDATE", (LOGIN_TABLE,), ADMIN),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO "
        + ", ".join(r.group for r in Role),
    ]


def _create_login_table() -> None:
    op.create_table(
        LOGIN_TABLE,
        sa.Column("login", sa.String(63), primary_key=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(63), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.Column("disabled_by", sa.String(63), nullable=True),
        sa.ForeignKeyConstraint(
            ["county_id"], ["county.id"], name="fk_login_role_county_id_county", ondelete="RESTRICT"
        ),
        sa.CheckConstraint("role IN ('county', 'city', 'admin')", name="role"),
        sa.CheckConstraint("(role = 'county') = (county_id IS NOT NULL)", name="county_unit"),
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    _create_login_table()
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    statements = [*group_roles(), *login_functions(), *_grants(schema)]
    for table, reaches in UNIT_ROWS.items():
        statements += unit_policies(table, reaches)
    for table in UNBOUND:
        statements += bound_policy(table)
    for table in UNIT_STAMPED:
        statements += unit_stamp(table)
    statements += city_review()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    statements = drop_city_review()
    for table in (*UNIT_ROWS, *UNBOUND, *UNIT_STAMPED):
        statements += drop_policies(table)
    statements += [f"ALTER TABLE {table} DROP COLUMN unit_id" for table in UNIT_STAMPED]
    groups = ", ".join(r.group for r in Role)
    statements += [
        f"REVOKE ALL ON {', '.join(t for t in ALL_TABLES if t != LOGIN_TABLE)} FROM {groups}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {groups}",
    ]
    for statement in statements:
        op.execute(statement)
    op.drop_table(LOGIN_TABLE)
    for function in ("relief_role", "relief_unit"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
