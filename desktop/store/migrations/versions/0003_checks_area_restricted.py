"""CHECK constraints as a backstop, Lease.area as square metres, restricted_industry nullable.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 16:00:00

- CHECKs (named by the naming convention): a month 1–12, a credit code 18 long, and the amounts
  and counts the rules say cannot be negative (a taxable income may be a loss: no check).
- ``lease.area`` was stored as money (whole hundredths, "fen"); it becomes NUMERIC(12, 2) square
  metres, converted after the column takes NUMERIC affinity (the quotient is kept as a number).
- ``annual_figures.restricted_industry`` may be NULL: not given (the sheet had no such column).

Negative amounts that older versions imported are taken out first, each logged (source
``migration``, so 操作记录 shows what was there): a nullable figure becomes empty, a monthly
output or an award (never empty) is deleted. Any other row breaking a new CHECK stops the
upgrade (the file is backed up beforehand).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

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
# Figures that may be emptied, and the never-empty amounts whose rows go, when negative.
EMPTIED = {"annual_figures": ("output", "employees", "total_assets"),
           "lease": ("area", "monthly_rent")}  # fmt: skip
DELETED = {"monthly_output": "output", "provincial_award": "amount"}
MONEY = {"output", "total_assets", "monthly_rent", "amount", "taxable_income"}
KEYS = {  # the change log's row key of each table, as desktop.store.changelog writes it
    "monthly_output": "e.uscc || ' ' || t.year || '-' || printf('%02d', t.month)",
    "annual_figures": "e.uscc || ' ' || t.year",
    "lease": "e.uscc || ' ' || coalesce(t.start_date, '')",
    "provincial_award": "e.uscc",
}
_LOG = sa.text(
    "INSERT INTO change_log (at, operator, source, table_name, row_id, row_key, action, field,"
    " old_value, new_value) VALUES (:at, '数据库升级', 'migration', :table, :id, :key, :action,"
    " :field, :old, NULL)"
).bindparams(sa.bindparam("at", type_=sa.DateTime()))


def _logged(column: str, value: object) -> str | None:
    """A stored value as the change log keeps it (money from fen to yuan with two places)."""
    if value is None:
        return None
    if column in MONEY or column == "area":
        return f"{Decimal(value).scaleb(-2):.2f}"
    return str(value)


def _negatives(table: str, where: str) -> list[sa.Row]:
    key = KEYS[table]
    return list(op.get_bind().execute(sa.text(
        f"SELECT t.*, {key} AS row_key FROM {table} t "
        f"JOIN enterprise e ON e.id = t.enterprise_id WHERE {where}"
    )))  # fmt: skip


def _take_out_negatives() -> None:
    """Empty or delete the negative amounts 0002 allowed, logging each (area still in fen)."""
    conn, at = op.get_bind(), datetime.now(UTC).replace(tzinfo=None)
    for table, columns in EMPTIED.items():
        for column in columns:
            for row in _negatives(table, f"t.{column} < 0"):
                old = _logged(column, row._mapping[column])
                conn.execute(_LOG, {"at": at, "table": table, "id": row.id, "key": row.row_key,
                                    "action": "update", "field": column, "old": old})  # fmt: skip
            op.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} < 0")
    for table, column in DELETED.items():
        for row in _negatives(table, f"t.{column} < 0"):
            values = {
                k: _logged(k, v) for k, v in row._mapping.items() if k not in ("id", "row_key")
            }
            whole = json.dumps(values, ensure_ascii=False)
            conn.execute(_LOG, {"at": at, "table": table, "id": row.id, "key": row.row_key,
                                "action": "delete", "field": None, "old": whole})  # fmt: skip
        op.execute(f"DELETE FROM {table} WHERE {column} < 0")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # a server database starts empty, never at 0002
        _take_out_negatives()
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
        "UPDATE annual_figures SET restricted_industry = FALSE WHERE restricted_industry IS NULL"
    )
    with op.batch_alter_table("annual_figures") as batch:
        batch.alter_column(
            "restricted_industry", existing_type=sa.Boolean(), existing_nullable=True,
            nullable=False,
        )  # fmt: skip
    op.execute("UPDATE lease SET area = CAST(round(area * 100) AS INTEGER)")
    with op.batch_alter_table("lease") as batch:
        batch.alter_column("area", existing_type=AREA, type_=sa.BigInteger())
