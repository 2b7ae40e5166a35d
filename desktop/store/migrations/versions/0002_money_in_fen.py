"""Money in whole fen (分) as integers, instead of yuan as NUMERIC (which SQLite keeps as REAL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:05:00

Values are converted while the columns still have NUMERIC affinity (the product is stored as
an integer), then the columns are retyped; downgrading converts back the same way round.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MONEY_COLUMNS = {
    "monthly_output": ("output",),
    "annual_figures": ("output", "taxable_income", "total_assets"),
    "lease": ("area", "monthly_rent"),
    "provincial_award": ("amount",),
}
NUMERIC = sa.Numeric(precision=18, scale=2)


def _retype(old: sa.types.TypeEngine[Any], new: sa.types.TypeEngine[Any]) -> None:
    for table, columns in MONEY_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=old, type_=new)


def _scale(expression: str) -> None:
    """Set every money column to ``expression`` of itself (``{c}`` stands for the column)."""
    for table, columns in MONEY_COLUMNS.items():
        sets = ", ".join(f"{c} = {expression.format(c=c)}" for c in columns)
        op.execute(f"UPDATE {table} SET {sets}")


def upgrade() -> None:
    _scale("CAST(round({c} * 100) AS INTEGER)")
    _retype(NUMERIC, sa.BigInteger())


def downgrade() -> None:
    _retype(sa.BigInteger(), NUMERIC)
    _scale("{c} / 100.0")
