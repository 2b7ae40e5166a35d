"""Every business row has a version (TEAM.md, several officers at once).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:00:00

- Each business table gains ``version``, 1 for every row so far; a save checks it and counts
  it up, so an edit saved over a row saved meanwhile is refused instead of overwriting it.
- The append-only and bookkeeping tables (``change_log``, ``import_batch``, ``setting``,
  ``case_move``) keep none.
- A plain ``ADD COLUMN`` with a default, alike on SQLite and PostgreSQL: no table is rebuilt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

VERSIONED = ("county", "zone", "key_chain", "enterprise", "monthly_output", "annual_figures",
             "lease", "provincial_award", "subsidy_case", "fund", "payment", "holiday",
             "person", "service_team", "team_member", "assignment", "visit", "problem",
             "monitoring")  # fmt: skip


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(
            table, sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
