"""An enterprise's figures are known by enterprise and period: their global key column goes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:30:00

A monthly output and a year's figures are unique by enterprise and period in every database,
so a package names them so (``USCC 2022-03``, ``USCC 2022``: as the change log names the row)
and two databases that enter the same month of the same enterprise meet on one row instead
of two rows that cannot both be kept. Their ``uid`` (0009), its unique index and the trigger
filling it (0009 on SQLite, 0012 on PostgreSQL) go: at 300,000 monthly figures they were two
fifths of a county's database and most of an import's writing time. Going down gives every row
a new random key again, as 0009 did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BY_PERIOD = ("monthly_output", "annual_figures")
SQLITE_RANDOM = "lower(hex(randomblob(16)))"
POSTGRES_RANDOM = "replace(gen_random_uuid()::text, '-', '')"
FUNCTION = "relief_given_uid"  # 0012's


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in BY_PERIOD:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_uid" + ("" if sqlite else f" ON {table}"))
        op.drop_index(f"ix_{table}_uid", table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN uid")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    random = SQLITE_RANDOM if sqlite else POSTGRES_RANDOM
    for table in BY_PERIOD:
        default = None if sqlite else sa.text(POSTGRES_RANDOM)
        op.add_column(table, sa.Column("uid", sa.String(32), nullable=True, server_default=default))
        op.execute(f"UPDATE {table} SET uid = {random}")
        op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)
        if sqlite:
            op.execute(
                f"CREATE TRIGGER {table}_uid AFTER INSERT ON {table} WHEN NEW.uid IS NULL "
                f"BEGIN UPDATE {table} SET uid = {random} WHERE id = NEW.id; END"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {table}_uid BEFORE INSERT ON {table} FOR EACH ROW "
                f"WHEN (NEW.uid IS NULL) EXECUTE FUNCTION {FUNCTION}()"
            )
