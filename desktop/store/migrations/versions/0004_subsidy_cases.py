"""Subsidy cases, their moves, funds, payments and the holiday list (CASES.md).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:30:00

- ``subsidy_case``: one per enterprise × measure × period, with the snapshot of the result it
  was opened on; a partial unique index keeps one standing (not rejected or withdrawn) case
  per enterprise, measure and period.
- ``case_move``: every move, with its reason, date and amount (who and when: the change log).
- ``fund`` per measure and level; ``payment`` per case and voucher; ``holiday``, seeded empty.
- Triggers: no case, move or payment is ever deleted, and a move is never edited.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.refusals import allow, refuse

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STATES = ("open", "received", "returned", "approved", "rejected", "publicity", "objected",
          "publicized", "paid", "reconciled", "withdrawn")  # fmt: skip
LEVELS = ("省级", "市级", "县级")
ENDED = ("rejected", "withdrawn")


def _one_of(column: str, allowed: tuple[str, ...], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in allowed)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(name))


def _kept(table: str, *, frozen: bool = False) -> list[tuple[str, str, str]]:
    """Triggers refusing a delete of ``table``'s rows (and an update, when ``frozen``)."""
    actions = ("DELETE", "UPDATE") if frozen else ("DELETE",)
    return [(table, a, f"{table} rows are never {a.lower()}d") for a in actions]


TRIGGERS = [*_kept("subsidy_case"), *_kept("case_move", frozen=True), *_kept("payment")]


def upgrade() -> None:
    op.create_table(
        "subsidy_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=4), nullable=False),
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("snapshot_verdict", sa.String(length=12), nullable=False),
        sa.Column("snapshot_amount", sa.BigInteger(), nullable=True),
        sa.Column("snapshot_expected", sa.Boolean(), nullable=False),
        sa.Column("snapshot_explanation", sa.Text(), nullable=False),
        sa.Column("snapshot_document", sa.String(length=60), nullable=False),
        sa.Column("snapshot_parameters", sa.Text(), nullable=False),
        sa.Column("snapshot_at", sa.DateTime(), nullable=False),
        sa.Column("approved_amount", sa.BigInteger(), nullable=True),
        sa.Column("approval_reason", sa.Text(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("publicity_start", sa.Date(), nullable=True),
        sa.Column("publicity_end", sa.Date(), nullable=True),
        _one_of("state", STATES, "ck_subsidy_case_state_known"),
        _one_of("level", LEVELS, "ck_subsidy_case_level_known"),
        sa.CheckConstraint(
            "snapshot_amount >= 0", name=op.f("ck_subsidy_case_snapshot_amount_non_negative")
        ),
        sa.CheckConstraint(
            "approved_amount >= 0", name=op.f("ck_subsidy_case_approved_amount_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_subsidy_case_enterprise_id_enterprise"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_case")),
        sa.UniqueConstraint("number", name=op.f("uq_subsidy_case_number")),
        sa.UniqueConstraint(
            "measure", "period", "sequence", name=op.f("uq_subsidy_case_measure_period_sequence")
        ),
    )
    op.create_index(
        op.f("ix_subsidy_case_enterprise_id"), "subsidy_case", ["enterprise_id"], unique=False
    )
    ended = ", ".join(f"'{s}'" for s in ENDED)
    op.create_index(
        "ix_subsidy_case_standing", "subsidy_case", ["enterprise_id", "measure", "period"],
        unique=True, sqlite_where=sa.text(f"state NOT IN ({ended})"),
        postgresql_where=sa.text(f"state NOT IN ({ended})"),
    )  # fmt: skip
    op.create_table(
        "case_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=12), nullable=False),
        sa.Column("to_state", sa.String(length=12), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("budget_override", sa.Text(), nullable=True),
        _one_of("from_state", STATES, "ck_case_move_from_state_known"),
        _one_of("to_state", STATES, "ck_case_move_to_state_known"),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_case_move_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["subsidy_case.id"],
            name=op.f("fk_case_move_case_id_subsidy_case"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_move")),
    )
    op.create_index(op.f("ix_case_move_case_id"), "case_move", ["case_id"], unique=False)
    op.create_table(
        "fund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=4), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=True),
        sa.Column("pre_allocated", sa.Boolean(), nullable=False),
        _one_of("level", LEVELS, "ck_fund_level_known"),
        sa.CheckConstraint("budget >= 0", name=op.f("ck_fund_budget_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund")),
        sa.UniqueConstraint("measure", "level", name=op.f("uq_fund_measure_level")),
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("voucher", sa.String(length=60), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_amount_positive")),
        _one_of("level", LEVELS, "ck_payment_level_known"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["subsidy_case.id"],
            name=op.f("fk_payment_case_id_subsidy_case"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("case_id", "voucher", name=op.f("uq_payment_case_id_voucher")),
    )
    op.create_index(op.f("ix_payment_case_id"), "payment", ["case_id"], unique=False)
    op.create_table(
        "holiday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday")),
        sa.UniqueConstraint("day", name=op.f("uq_holiday_day")),
    )
    dialect = op.get_bind().dialect.name
    for table, action, message in TRIGGERS:
        for statement in refuse(table, action, message, dialect):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, action, _message in TRIGGERS:
        for statement in allow(table, action, dialect):
            op.execute(statement)
    for table in ("holiday", "payment", "fund", "case_move", "subsidy_case"):
        op.drop_table(table)  # its indexes go with it
