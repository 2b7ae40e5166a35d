"""A global key on every synced row, and the tables of packages and their conflicts (TEAM.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:00:00

- Every business table but ``enterprise`` (whose key is its credit code) gains ``uid``: 32
  hexadecimal digits, unique. Existing rows get a random one, except the county-level units,
  which every database is created with: theirs is derived from the name, so that databases
  made apart agree on them.
- A row written by plain SQL without one gets one from the database: on SQLite a trigger after
  the insert (SQLite cannot add a column with a computed default), on PostgreSQL the column's
  default.
- ``package_sent``, ``package_received`` and ``sync_conflict``: what was sent where, what was
  received from whom (applied or waiting), and the conflicts kept for an officer.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

KEYED = ("county", "zone", "key_chain", "monthly_output", "annual_figures", "lease",
         "provincial_award", "subsidy_case", "case_move", "fund", "payment", "holiday",
         "person", "service_team", "team_member", "assignment", "visit", "problem",
         "monitoring")  # fmt: skip
COUNTY_NAMESPACE = uuid.UUID("6f1c1d2e-4b7a-4c55-9d38-0e5a2a7f1f10")
SQLITE_RANDOM = "lower(hex(randomblob(16)))"
POSTGRES_RANDOM = "replace(gen_random_uuid()::text, '-', '')"


def county_key(name: str) -> str:
    """The global key of the county-level unit ``name``: the same in every database."""
    return uuid.uuid5(COUNTY_NAMESPACE, name).hex


def _trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_uid AFTER INSERT ON {table} WHEN NEW.uid IS NULL "
        f"BEGIN UPDATE {table} SET uid = {SQLITE_RANDOM} WHERE id = NEW.id; END"
    )


def _add_keys(table: str, sqlite: bool) -> None:
    if sqlite:
        op.add_column(table, sa.Column("uid", sa.String(32), nullable=True))
        op.execute(f"UPDATE {table} SET uid = {SQLITE_RANDOM}")
        op.execute(_trigger(table))
    else:
        op.add_column(
            table,
            sa.Column("uid", sa.String(32), nullable=True, server_default=sa.text(POSTGRES_RANDOM)),
        )
    op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)


def _county_keys() -> None:
    bind = op.get_bind()
    names = bind.execute(sa.text("SELECT id, name FROM county")).all()
    if names:
        bind.execute(
            sa.text("UPDATE county SET uid = :uid WHERE id = :id"),
            [{"id": i, "uid": county_key(n)} for i, n in names],
        )


def _stamp() -> list[sa.Column[object]]:
    return [
        sa.Column("sender", sa.String(40), nullable=False),
        sa.Column("destination", sa.String(40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in KEYED:
        _add_keys(table, sqlite)
    _county_keys()
    op.create_table(
        "package_sent",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_stamp(),
        sa.Column("last_log_id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("operator", sa.String(50), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("sender", "destination", "sequence"),
    )
    op.create_table(
        "package_received",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_stamp(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batch.id", ondelete="RESTRICT")),
        sa.Column("operator", sa.String(50), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("sender", "destination", "sequence"),
        sa.CheckConstraint("state IN ('applied', 'waiting')", name="state_choice"),
    )
    op.create_index("ix_package_received_batch_id", "package_received", ["batch_id"])
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.String(40), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("field", sa.String(40)),
        sa.Column("base", sa.Text()),
        sa.Column("mine", sa.Text()),
        sa.Column("theirs", sa.Text()),
        sa.Column("mine_by", sa.String(50)),
        sa.Column("mine_at", sa.DateTime()),
        sa.Column("theirs_by", sa.String(50)),
        sa.Column("theirs_at", sa.DateTime()),
        sa.Column("sender", sa.String(40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("resolution", sa.String(10)),
        sa.Column("resolved_value", sa.Text()),
        sa.Column("resolved_by", sa.String(50)),
        sa.Column("resolved_at", sa.DateTime()),
        sa.CheckConstraint("state IN ('open', 'resolved')", name="state_choice"),
        sa.CheckConstraint(
            "resolution IN ('mine', 'theirs', 'value', 'agreed')", name="resolution_choice"
        ),
    )
    op.create_index("ix_sync_conflict_row_key", "sync_conflict", ["row_key"])


def downgrade() -> None:
    op.drop_table("sync_conflict")
    op.drop_table("package_received")
    op.drop_table("package_sent")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in KEYED:
        op.drop_index(f"ix_{table}_uid", table_name=table)
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_uid")
        with op.batch_alter_table(table) as batch:
            batch.drop_column("uid")
