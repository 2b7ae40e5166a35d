"""Taking an import back as a whole: new rows deleted, updated rows returned to earlier values.

Payments are never deleted: the payments a batch recorded are reversed instead (kept, marked
reversed, and the cases they had paid in full moved back to 公示无异议 by a recorded move; see
``desktop.cases.reversal``), so the record shows both the payment and its reversal. Refused when
anything since has changed the same rows (a later batch not itself undone, or an edit in the
window), when a row the batch added is now used by data from elsewhere, or when a case it paid
has been reconciled since.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    update,
)

from desktop.cases.errors import CaseError
from desktop.cases.reversal import reverse_payments
from desktop.cases.states import State, check_reversal
from desktop.changes import Changes
from desktop.models import (
    Base,
    Case,
    CaseMove,
    ChangeRecord,
    ImportBatch,
    PackageReceived,
    Payment,
    table_label,
    utcnow,
)
from desktop.models.base import VERSION
from desktop.store import Database, StoreError
from desktop.store.changelog import (
    AUDIT_KEY,
    LINES,
    LOG_COLUMNS,
    AuditContext,
    Entry,
    decode_value,
    logged_columns,
    row_json_sql,
    write_entries,
)
from desktop.store.database import AuditedSession
from desktop.store.server import transaction_lock

SOURCE_LABELS = {"window": "在窗口中", "import": "导入时", "undo": "撤销时", "sample": "载入示例时"}
IN_CLAUSE = 900
LOG = LINES  # read: every line, the import lines among them
WRITTEN = ChangeRecord.__table__  # where undo writes its lines
# Never deleted nor put back: a batch's payments are reversed, which moves their cases back.
REVERSED = frozenset({Payment.__tablename__, CaseMove.__tablename__, "subsidy_case"})


@dataclass
class UndoPlan:
    """What taking a batch back does: how many rows it added, by table, and its updates' lines."""

    inserted: dict[str, int] = field(default_factory=dict)
    updates: dict[str, list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))

    @property
    def deleted_rows(self) -> int:
        return sum(n for t, n in self.inserted.items() if t not in REVERSED)

    @property
    def restored_rows(self) -> int:
        return len({(t, r.row_id) for t, rs in self.updates.items() if t not in REVERSED
                    for r in rs})  # fmt: skip


def undo_effects(deleted: int, restored: int, reversed_payments: int) -> str:
    """What an undo does, in counts: 删除 1 行，恢复 0 行，冲销拨付 2 笔 (the last when any)."""
    reversal = f"，冲销拨付 {reversed_payments} 笔" if reversed_payments else ""
    return f"删除 {deleted} 行，恢复 {restored} 行{reversal}"


REVERSAL_NOTE = (
    "拨付记录不删除：冲销的记录保留并标为「已冲销」，不再计入已拨付；"
    f"因此不足审核金额的兑现事项退回「{State.PUBLICIZED.label}」。"
)


def describe_undo(db: Database, batch_id: int) -> str:
    """What undoing batch ``batch_id`` will do, for the officer to confirm; StoreError when it
    cannot be undone (the same refusal the undo would give, before anything is written)."""
    with db.reads.connect() as conn:
        plan = _plan(conn, batch_id)
        name = conn.execute(
            select(ImportBatch.file_name).where(ImportBatch.id == batch_id)
        ).scalar_one()
    payments = plan.inserted.get(Payment.__tablename__, 0)
    effects = undo_effects(plan.deleted_rows, plan.restored_rows, payments)
    note = REVERSAL_NOTE if payments else ""
    return f"撤销第 {batch_id} 批导入（{name}）：将{effects}。{note}"


@dataclass(frozen=True, slots=True)
class UndoResult:
    """How many rows the undo deleted, returned to earlier values, and payments it reversed."""

    batch_id: int
    deleted: int
    restored: int
    changes: Changes = Changes.NONE  # the tables it wrote, the batch, the backup before it
    reversed: int = 0

    def text(self) -> str:
        """已撤销批次 3：删除 0 行，恢复 0 行，冲销拨付 2 笔."""
        effects = undo_effects(self.deleted, self.restored, self.reversed)
        return f"已撤销批次 {self.batch_id}：{effects}"


def undo_batch(db: Database, batch_id: int) -> UndoResult:
    """Take batch ``batch_id`` back in one transaction, logged with source ``undo`` (on a
    server under the bulk advisory lock: a second undo or import waits, then is told who).

    Raises StoreError (the officer's message) when it cannot be taken back.
    """
    check_undo(db, batch_id)  # refuse before making a backup for nothing
    db.backup("before-undo")
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    with db.engine.begin() as conn:
        transaction_lock(conn, "撤销")  # on a server: no import or other undo in between
        plan = _plan(conn, batch_id)
        ctx = db.audit("undo", batch_id)
        payments = _reverse_payments(conn, ctx, batch_id) if plan.inserted.get("payment") else 0
        for name, records in plan.updates.items():
            if name not in REVERSED:
                _restore(conn, ctx, tables[name], records)
        for table in reversed(Base.metadata.sorted_tables):  # children before parents
            if plan.inserted.get(table.name) and table.name not in REVERSED:
                _delete(conn, ctx, table, batch_id)
        batches = ImportBatch.__table__
        conn.execute(
            update(batches)
            .where(batches.c.id == batch_id)
            .values(undone_at=utcnow(), undone_by=db.operator)
        )
    written = [name for name, count in plan.inserted.items() if count] + list(plan.updates)
    changes = Changes.of_tables(written) | Changes.BATCHES | Changes.BACKUPS
    return UndoResult(batch_id, plan.deleted_rows, plan.restored_rows, changes, payments)


def _reverse_payments(conn: Connection, ctx: AuditContext, batch_id: int) -> int:
    """Reverse the payments the batch recorded (see ``desktop.cases.reversal``); how many."""
    ids = list(conn.execute(_added_payments(batch_id).order_by(LOG.c.id)).scalars())
    with AuditedSession(bind=conn, join_transaction_mode="create_savepoint") as session:
        session.info[AUDIT_KEY] = ctx
        try:
            reversed_count, _ = reverse_payments(session, ids, f"撤销导入批次 {batch_id}")
        except CaseError as refused:
            raise _refusal(batch_id, refused) from refused
        session.commit()  # releases its savepoint; the undo's transaction commits it
    return reversed_count


def check_undo(db: Database, batch_id: int) -> None:
    """Raise StoreError, saying why and which later batches to undo first, when batch
    ``batch_id`` cannot be taken back now (read only: asked before the officer confirms)."""
    with db.reads.connect() as conn:
        _plan(conn, batch_id)


def _logged_by(batch_id: int) -> tuple[ColumnElement[bool], ...]:
    """The conditions picking the log lines the import of ``batch_id`` wrote."""
    return LOG.c.batch_id == batch_id, LOG.c.source.in_(("import", "sample"))


def _plan(conn: Connection, batch_id: int) -> UndoPlan:
    batch = conn.execute(select(ImportBatch.__table__).where(ImportBatch.id == batch_id)).first()
    if batch is None:
        raise StoreError(f"没有编号为 {batch_id} 的导入批次")
    if conn.execute(select(PackageReceived.id).where(PackageReceived.batch_id == batch_id)).first():
        raise StoreError(f"批次 {batch_id} 是导入的数据包，不能撤销（其变更已随数据包交换）")
    if batch.undone_at is not None:
        when = batch.undone_at.astimezone().strftime("%Y-%m-%d %H:%M")
        raise StoreError(f"批次 {batch_id} 已于 {when} 由 {batch.undone_by} 撤销，不能再次撤销")
    mine = _logged_by(batch_id)
    counts = select(LOG.c.table_name, func.count()).where(*mine, LOG.c.action == "insert")
    plan = UndoPlan(inserted={t: n for t, n in conn.execute(counts.group_by(LOG.c.table_name))})
    updates = select(LOG).where(*mine, LOG.c.action == "update").order_by(LOG.c.id)
    for record in conn.execute(updates):
        plan.updates[record.table_name].append(record)
    last_id = conn.execute(select(func.max(LOG.c.id)).where(*mine)).scalar()
    if last_id is not None:
        _refuse_later_changes(conn, batch_id, last_id)
    if plan.inserted.get(Payment.__tablename__):
        _refuse_settled_cases(conn, batch_id)
    return plan


def _added_payments(batch_id: int) -> Select[Any]:
    """The ids of the payments the import of ``batch_id`` recorded."""
    added = (*_logged_by(batch_id), LOG.c.action == "insert", LOG.c.table_name == "payment")
    return select(LOG.c.row_id).where(*added)


def _refuse_settled_cases(conn: Connection, batch_id: int) -> None:
    """Refuse when a case the batch's standing payments paid can no longer take them back
    (reconciled since), as ``reverse_payments`` would, but before the backup is made."""
    cases, payments = Case.__table__, Payment.__table__
    paid = (
        select(cases.c.number, cases.c.state)
        .join(payments, payments.c.case_id == cases.c.id)
        .where(payments.c.id.in_(_added_payments(batch_id)), payments.c.reversed_on.is_(None))
        .where(cases.c.state != State.PUBLICIZED.value)
        .distinct()
        .order_by(cases.c.number)
    )
    for number, state in conn.execute(paid):
        try:
            check_reversal(number, State(state))
        except CaseError as refused:
            raise _refusal(batch_id, refused) from refused


def _refusal(batch_id: int, refused: CaseError) -> StoreError:
    return StoreError(f"批次 {batch_id} 不能撤销：{refused}")


def _refuse_later_changes(conn: Connection, batch_id: int, last_id: int) -> None:
    """Refuse when a row of the batch has a log line after it (undone batches aside)."""
    undone = select(ImportBatch.id).where(ImportBatch.undone_at.is_not(None))
    touched = select(LOG.c.table_name, LOG.c.row_id).where(*_logged_by(batch_id))
    later = select(LOG).where(
        LOG.c.id > last_id,
        or_(LOG.c.batch_id.is_(None), LOG.c.batch_id.not_in(undone)),
        tuple_(LOG.c.table_name, LOG.c.row_id).in_(touched),
    )
    first = conn.execute(later.order_by(LOG.c.id).limit(1)).first()
    if first is not None:
        clashes = conn.execute(select(func.count()).select_from(later.subquery())).scalar_one()
        how = SOURCE_LABELS.get(first.source, first.source)
        if first.batch_id is not None:
            how = f"在批次 {first.batch_id} {how}"
        when = first.at.astimezone().strftime("%Y-%m-%d %H:%M")
        more = f"等 {clashes} 处" if clashes > 1 else ""
        raise StoreError(
            f"批次 {batch_id} 导入的数据之后又被修改过，不能撤销："
            f"{table_label(first.table_name)} {first.row_key} "
            f"于 {when} 由 {first.operator}{how}修改{more}；{_undo_first(conn, later, batch_id)}"
        )


def _undo_first(conn: Connection, later: Select[Any], batch_id: int) -> str:
    """What to take back first: the later batches touching the same rows, newest first (each
    may rest on the next), else the edits made since."""
    found = later.subquery()
    batches = conn.scalars(
        select(found.c.batch_id).where(found.c.batch_id.is_not(None)).distinct()
    ).all()
    if not batches:
        return "这些改动是在窗口中做的，不属于导入批次；请先在窗口中改回"
    order = "、".join(str(b) for b in sorted(batches, reverse=True))
    steps = "依次撤销批次" if len(batches) > 1 else "撤销批次"
    return f"请先{steps} {order}，再撤销批次 {batch_id}"


def _restore(conn: Connection, ctx: AuditContext, table: Table, records: list[Row[Any]]) -> None:
    """Return updated columns to their logged earlier values, grouped by the columns changed;
    each row restored counts a version up."""
    by_row: dict[int, dict[str, object]] = defaultdict(dict)
    for r in records:
        by_row[r.row_id][r.field] = decode_value(table, r.field, r.old_value)
    by_columns: dict[frozenset[str], list[dict[str, object]]] = defaultdict(list)
    for row_id, values in by_row.items():
        by_columns[frozenset(values)].append({"_id": row_id, **values})
    for columns, rows in by_columns.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({**{c: bindparam(c) for c in columns}, VERSION: table.c[VERSION] + 1})
        )
        conn.execute(stmt, rows)
    entries = [
        Entry(table.name, r.row_id, r.row_key, "update", r.field, r.new_value, r.old_value,
              r.source_row)
        for r in records
    ]  # fmt: skip
    write_entries(conn, ctx, entries)


def _delete(conn: Connection, ctx: AuditContext, table: Table, batch_id: int) -> None:
    """Delete the rows the batch added, refusing when data from elsewhere now uses one.

    Done in SQL from the batch's own log lines: 300,000 rows never become Python objects.
    """
    added = (*_logged_by(batch_id), LOG.c.action == "insert", LOG.c.table_name == table.name)
    ids = select(LOG.c.row_id).where(*added)
    _refuse_foreign_users(conn, table, ids, batch_id)
    conn.execute(insert(WRITTEN).from_select(LOG_COLUMNS, _delete_lines(conn, ctx, table, added)))
    conn.execute(delete(table).where(table.c.id.in_(ids)))


def _delete_lines(
    conn: Connection, ctx: AuditContext, table: Table, added: tuple[ColumnElement[bool], ...]
) -> Select[Any]:
    """The delete line of each row the batch added, keeping the whole row as it stands."""
    quote = conn.dialect.identifier_preparer.quote
    columns = logged_columns(table)
    whole = row_json_sql(
        columns, conn.dialect.name, lambda c: f"{quote(table.name)}.{quote(c.name)}"
    )
    lines = select(
        literal(utcnow(), WRITTEN.c.at.type), literal(ctx.operator), literal(ctx.source),
        literal(ctx.batch_id), LOG.c.source_row, LOG.c.table_name, LOG.c.row_id, LOG.c.row_key,
        literal("delete"), null(), literal_column(whole), null(),
    )  # fmt: skip
    return lines.join_from(LOG, table, table.c.id == LOG.c.row_id).where(*added).order_by(LOG.c.id)


def _refuse_foreign_users(conn: Connection, table: Table, ids: Select[Any], batch_id: int) -> None:
    """Rows of other tables still pointing at ``ids`` were not added by this batch: refuse."""
    for child in Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table or child is WRITTEN:
                continue
            users = conn.execute(select(func.count()).where(fk.parent.in_(ids))).scalar_one()
            if users:
                raise StoreError(
                    f"批次 {batch_id} 新增的{table_label(table.name)}数据"
                    f"已被其他数据使用（{table_label(child.name)} {users} 行），"
                    "不能撤销"
                )
