"""An import line of an enterprise or of its figures keeps no key: it is read off the row.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:45:00

Such a line's key (``USCC``, ``USCC 2022-03``) was a copy of what the row itself says: 9 of a
county's 43 MB at 300,000 monthly figures. New lines keep it empty and ``LINES`` reads it off
the row: from its delete line if it was deleted since, else from the row as it stands, with
the credit code it had then (``desktop.store.changelog._read_key_sql``). Lines already written
keep theirs. The change log gains an index on (table, row), by which a line finds its row's
later lines.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_change_log_row", "change_log", ["table_name", "row_id"])


def downgrade() -> None:
    op.drop_index("ix_change_log_row", table_name="change_log")
