"""Who is working: the ``presence`` table, one row per running program.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:00:00

A new table only (nothing existing changes). Its rows are not business data: they are not in
the change log, and a program's row is deleted when it leaves (or swept once stale).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator", sa.String(50), nullable=False),
        sa.Column("host", sa.String(100), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('window', 'command')", name="kind_choice"),
    )
    op.create_index("ix_presence_last_seen", "presence", ["last_seen"])


def downgrade() -> None:
    op.drop_index("ix_presence_last_seen", table_name="presence")
    op.drop_table("presence")
