"""On PostgreSQL, a row written with its global key NULL gets one, as on SQLite.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:00:00

0009 gave ``uid`` a column default on PostgreSQL, but a default applies only where an INSERT
leaves the column out: a statement naming every column with NULL for ``uid`` (the workbook
import's ``INSERT … SELECT`` does) left the row without a key, so a package carried it with
none. SQLite's trigger fills a NULL key whoever wrote it; here a trigger before the insert does
the same (the default stays: it serves the inserts that leave the column out). Rows already
without a key get one. Nothing changes on a SQLite file.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FUNCTION = "relief_given_uid"
RANDOM = "replace(gen_random_uuid()::text, '-', '')"


def _keyed(bind: sa.Connection) -> list[str]:
    """The tables with a global key column (0009's)."""
    query = (
        "SELECT table_name FROM information_schema.columns "
        "WHERE column_name = 'uid' AND table_schema = current_schema() ORDER BY table_name"
    )
    return list(bind.execute(sa.text(query)).scalars())


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    op.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$BEGIN NEW.uid := {RANDOM}; RETURN NEW; END$$"
    )
    for table in _keyed(bind):
        op.execute(f"UPDATE {table} SET uid = {RANDOM} WHERE uid IS NULL")
        op.execute(
            f"CREATE TRIGGER {table}_uid BEFORE INSERT ON {table} FOR EACH ROW "
            f"WHEN (NEW.uid IS NULL) EXECUTE FUNCTION {FUNCTION}()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    for table in _keyed(bind):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_uid ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
