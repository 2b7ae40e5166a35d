"""Payments may be reversed (冲销) rather than deleted: undoing a payments import keeps them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:00:00

- ``payment`` gains ``reversed_on`` and ``reversal_reason`` (both empty for every payment
  recorded so far).
- One *standing* payment per case and voucher: the unique constraint becomes a partial unique
  index over the payments not reversed, so a voucher taken back may be recorded again.
- The table is rebuilt to drop the constraint (SQLite cannot drop one in place); nothing
  references ``payment``, and its trigger refusing deletes is created again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.refusals import refuse

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STANDING = "reversed_on IS NULL"


def _refuse_deletes() -> None:
    """The trigger refusing deletes of payments, created again with the rebuilt table."""
    dialect = op.get_bind().dialect.name
    for statement in refuse("payment", "DELETE", "payment rows are never deleted", dialect):
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("payment", recreate="always") as batch:
        batch.drop_constraint("uq_payment_case_id_voucher", type_="unique")
        batch.add_column(sa.Column("reversed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reversal_reason", sa.Text(), nullable=True))
    op.create_index(
        "ix_payment_standing_voucher",
        "payment",
        ["case_id", "voucher"],
        unique=True,
        sqlite_where=sa.text(STANDING),
        postgresql_where=sa.text(STANDING),
    )
    _refuse_deletes()


def downgrade() -> None:
    op.drop_index("ix_payment_standing_voucher", table_name="payment")
    with op.batch_alter_table("payment", recreate="always") as batch:
        batch.drop_column("reversal_reason")
        batch.drop_column("reversed_on")
        batch.create_unique_constraint("uq_payment_case_id_voucher", ["case_id", "voucher"])
    _refuse_deletes()
