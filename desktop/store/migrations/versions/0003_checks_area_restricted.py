"""CHECK constraints as a backstop, Lease.area as square metres, restricted_industry nullable.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 16:00:00

- CHECKs (named by the naming convention): a month 1–12, a credit code 18 long, and the amounts
  and counts the rules say cannot be negative (a taxable income may be a loss: no check).
- ``lease.area`` was stored as money (whole hundredths, "fen"); it becomes NUMERIC(12, 2) square
  metres, converted after the column takes NUMERIC affinity (the quotient is kept as a number).
- ``annual_figures.restricted_industry`` may be NULL: not given (the sheet had no such column).

A row that already breaks a new CHECK stops the upgrade (the file is backed up beforehand).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHECKS: dict[str, tuple[tuple[str, str], ...]] = {
    "enterprise": (("uscc_length", "length(uscc) = 18"),),
    "monthly_output": (
        ("month_range", "month BETWEEN 1 AND 12"),
        ("output_non_negative", "output >= 0"),
    ),
    "annual_figures": tuple(
        (f"{c}_non_negative", f"{c} >= 0") for c in ("output", "employees", "total_assets")
    ),
    "lease": tuple((f"{c}_non_negative", f"{c} >= 0") for c in ("area", "monthly_rent")),
    "provincial_award": (("amount_non_negative", "amount >= 0"),),
}
AREA = sa.Numeric(precision=12, scale=2)


def upgrade() -> None:
    with op.batch_alter_table("lease") as batch:
        batch.alter_column("area", existing_type=sa.BigInteger(), type_=AREA)
    op.execute("UPDATE lease SET area = area / 100.0")
    with op.batch_alter_table("annual_figures") as batch:
        batch.alter_column(
            "restricted_industry", existing_type=sa.Boolean(), existing_nullable=False,
            nullable=True,
        )  # fmt: skip
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, condition in checks:
                batch.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, _ in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
    op.execute(
        "UPDATE annual_figures SET restricted_industry = 0 WHERE restricted_industry IS NULL"
    )
    with op.batch_alter_table("annual_figures") as batch:
        batch.alter_column(
            "restricted_industry", existing_type=sa.Boolean(), existing_nullable=True,
            nullable=False,
        )  # fmt: skip
    op.execute("UPDATE lease SET area = CAST(round(area * 100) AS INTEGER)")
    with op.batch_alter_table("lease") as batch:
        batch.alter_column("area", existing_type=AREA, type_=sa.BigInteger())
