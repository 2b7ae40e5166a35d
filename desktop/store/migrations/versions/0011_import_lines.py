"""The rows an import inserts logged short, in ``import_line``; the change log's time index gone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:00:00

- ``import_line``: one line per row an import inserted (batch, sheet row, table, row, key),
  its id a change-log id; its time, operator and source are its batch's (NULL), unless the line
  says otherwise. Added to, never changed (the same refusals as the change log's).
- Every insert line of a batch that names its sheet row and keeps no values (what an import
  writes there now) moves there, with its id; its own time,
  operator and source are kept where they are not its batch's (an older line's time always is
  its own), so every line reads as before. A line keeping its row's values stays where it is.
- ``change_log`` loses its index on ``at`` (no query uses it: the log is read by id) and, on
  SQLite, numbers with ``AUTOINCREMENT`` from above the largest id either table has, so an id
  an import line took is never given again (on PostgreSQL both draw from the log's sequence).
- On PostgreSQL every role reads and adds the lines of the batches it sees.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.grants import GROUPS, batch_policy, drop_policies
from desktop.store.refusals import allow, refuse

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LOG, LINES = "change_log", "import_line"
APPEND_ONLY = ("UPDATE", "DELETE")
MOVED = (  # an import's value-less insert lines: each of a batch, naming its sheet row
    "SELECT l.id FROM change_log AS l WHERE l.action = 'insert' AND l.batch_id IS NOT NULL "
    "AND l.source_row IS NOT NULL AND l.field IS NULL AND l.old_value IS NULL "
    "AND l.new_value IS NULL"
)
TO_LINES = (
    "INSERT INTO import_line (id, batch_id, source_row, table_name, row_id, row_key, at, "
    "operator, source) SELECT l.id, l.batch_id, l.source_row, l.table_name, l.row_id, "
    "l.row_key, CASE WHEN l.at = b.imported_at THEN NULL ELSE l.at END, "
    "CASE WHEN l.operator = b.operator THEN NULL ELSE l.operator END, "
    "CASE WHEN l.source = 'import' THEN NULL ELSE l.source END "
    f"FROM change_log AS l JOIN import_batch AS b ON b.id = l.batch_id WHERE l.id IN ({MOVED}) "
    "ORDER BY l.id"
)
TO_LOG = (
    "INSERT INTO change_log (id, at, operator, source, batch_id, source_row, table_name, "
    "row_id, row_key, action) SELECT l.id, coalesce(l.at, b.imported_at), "
    "coalesce(l.operator, b.operator), coalesce(l.source, 'import'), l.batch_id, l.source_row, "
    "l.table_name, l.row_id, l.row_key, 'insert' "
    "FROM import_line AS l JOIN import_batch AS b ON b.id = l.batch_id ORDER BY l.id"
)
TOP = (  # the largest id of either table
    "SELECT max(coalesce((SELECT max(id) FROM change_log), 0), "
    "coalesce((SELECT max(id) FROM import_line), 0))"
)


def _execute(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def _guard(table: str, dialect: str, on: bool) -> None:
    """The append-only refusals of ``table``, created (``on``) or dropped."""
    for action in APPEND_ONLY:
        if on:
            _execute(refuse(table, action, f"{table} is append-only", dialect))
        else:
            _execute(allow(table, action, dialect))


def _create_lines() -> None:
    op.create_table(
        LINES,
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("row_key", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("operator", sa.String(length=50), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_import_line_batch_id_import_batch"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_line")),
    )


def _rebuild_log(autoincrement: bool) -> None:
    """SQLite: the log recreated with (or without) ``AUTOINCREMENT`` (its refusals with it)."""
    with op.batch_alter_table(
        LOG, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ) as batch:
        if autoincrement:
            batch.drop_index("ix_change_log_at")
        else:
            batch.create_index("ix_change_log_at", ["at"], unique=False)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _create_lines()
    op.execute(TO_LINES)
    _guard(LOG, dialect, on=False)
    op.execute(f"DELETE FROM change_log WHERE id IN (SELECT id FROM {LINES})")
    if dialect == "sqlite":
        _rebuild_log(autoincrement=True)
        top = op.get_bind().execute(sa.text(TOP)).scalar_one()
        op.execute(f"DELETE FROM sqlite_sequence WHERE name = '{LOG}'")
        op.execute(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('{LOG}', {int(top)})")
    else:
        op.drop_index("ix_change_log_at", table_name=LOG)
        groups = ", ".join(GROUPS)
        _execute([f"GRANT SELECT, INSERT ON {LINES} TO {groups}", *batch_policy(LINES)])
    _guard(LOG, dialect, on=True)
    _guard(LINES, dialect, on=True)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _guard(LINES, dialect, on=False)
    op.execute(TO_LOG)
    if dialect == "sqlite":
        _guard(LOG, dialect, on=False)
        _rebuild_log(autoincrement=False)
        _guard(LOG, dialect, on=True)
    else:
        op.create_index("ix_change_log_at", LOG, ["at"], unique=False)
        _execute(drop_policies(LINES))
    op.drop_table(LINES)
