"""Applying a package's rows: new rows inserted, edits merged field by field, deletions applied,
and every conflict kept for an officer (none is resolved here).

For each field the sender changed, with its base: the receiver's value equal to theirs is an
identical edit (dropped); equal to the base, theirs is applied (a *soft* conflict when the
receiver changed other fields of the row: they stay, the row is merged); anything else is a
*hard* conflict, kept with the base and both values, the receiver's value left in place. No
kind of field is resolved by default, plain text included: money, flags and the facts a measure
uses must never be, and one rule for all is simpler to trust.

A row deleted on one side and edited on the other is a hard conflict of the whole row.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, select

from desktop.models import ChangeRecord, SyncConflict
from desktop.store.changelog import AuditContext
from desktop.sync.conflicts import Side, close_conflict, keep_conflict, last_change, row_json
from desktop.sync.keys import (
    KeyMap,
    by_period,
    fields,
    key_column,
    references,
    synced,
    synced_tables,
)
from desktop.sync.package import DELETE, PackageRefused, RowChange
from desktop.sync.rows import Texts, delete_row, read_rows, texts_of, update_row
from desktop.sync.staged import Staged

LOG = ChangeRecord.__table__
CONFLICTS = SyncConflict.__table__


@dataclass
class Counts:
    """Rows applied, merged (with the receiver's own changes kept) and dropped (nothing to do),
    and conflicts kept."""

    applied: int = 0
    merged: int = 0
    dropped: int = 0
    conflicts: int = 0

    def to_json(self) -> dict[str, int]:
        return {"applied": self.applied, "dropped": self.dropped, "merged": self.merged,
                "conflicts": self.conflicts}  # fmt: skip


@dataclass
class _Merge:
    """One package being applied."""

    conn: Connection
    ctx: AuditContext
    sender: str
    sequence: int
    keys: KeyMap
    standing: dict[tuple[str, str, str | None], int]  # open conflicts: (table, key, field) → id
    counts: Counts

    def their_side(self, change: RowChange, value: str | None, field: str | None) -> Side:
        found = change.changed.get(field) if change.changed and field else None
        by, at = (found.by, found.at) if found else (change.by, change.at)
        return Side(value, f"{self.sender}·{by}", datetime.fromisoformat(at))

    def conflict(
        self, table: Table, change: RowChange, row: Row[Any] | None, field: str | None,
        base: str | None, mine: str | None, theirs: str | None,
    ) -> None:  # fmt: skip
        here = last_change(self.conn, table.name, None if row is None else row.id, field)
        keep_conflict(
            self.conn, table=table.name, key=change.key, label=change.label, field=field,
            base=base, mine=Side(mine, here.by, here.at),
            theirs=self.their_side(change, theirs, field), sender=self.sender,
            sequence=self.sequence,
        )  # fmt: skip
        if (table.name, change.key, field) not in self.standing:
            self.counts.conflicts += 1

    def agreed(self, table: Table, key: str, field: str | None, value: str | None) -> None:
        """Close the open conflict on ``field`` of ``key``: both sides hold ``value`` now."""
        found = self.standing.pop((table.name, key, field), None)
        if found is not None:
            close_conflict(self.conn, found, "agreed", value, self.sender)


def apply_rows(
    conn: Connection, ctx: AuditContext, rows: list[RowChange], sender: str, sequence: int
) -> Counts:
    """Apply ``rows`` of package ``sequence`` from ``sender`` in the caller's transaction."""
    standing = {
        (r.table_name, r.row_key, r.field): r.id
        for r in conn.execute(select(CONFLICTS).where(CONFLICTS.c.state == "open"))
    }
    merge = _Merge(conn, ctx, sender, sequence, KeyMap(conn), standing, Counts())
    upserts: dict[str, list[RowChange]] = defaultdict(list)
    deletions: dict[str, list[RowChange]] = defaultdict(list)
    for change in rows:
        if (table := synced(change.table)) is None:
            raise PackageRefused(f"数据包含有本程序不认识的数据表「{change.table}」，未导入")
        (deletions if change.action == DELETE else upserts)[change.table].append(change)
    for table in synced_tables():
        if upserts.get(table.name):
            _upserts(merge, table, upserts[table.name])
    for table in reversed(synced_tables()):
        for change in deletions.get(table.name, []):
            _deletion(merge, table, change)
    return merge.counts


def _upserts(merge: _Merge, table: Table, changes: list[RowChange]) -> None:
    """Merge ``changes`` into the rows here; the new rows go in as one set."""
    staged_rows = [(c.key, c.label, c.values) for c in changes]
    with Staged(merge.conn, table, staged_rows) as staged:
        if (label := staged.misnamed()) is not None:
            raise PackageRefused(f"数据包中「{label}」的编号与其企业和期间不符，未导入")
        current = staged.existing()
        conflicted: list[int] = []
        for position, change in enumerate(changes, start=1):
            row = current.get(change.key)
            if row is not None:
                _merge_row(merge, table, change, row)
            elif (
                change.changed is not None
                and change.decided is None
                and _deleted_here(merge.conn, table, change.key)
            ):
                base = change.values | {f: c.base for f, c in change.changed.items()}
                merge.conflict(table, change, None, None, _json(base), None, _json(change.values))
                conflicted.append(position)
            else:
                if (table.name, change.key, None) in merge.standing:
                    merge.agreed(table, change.key, None, _json(change.values))
                merge.counts.applied += 1
        staged.leave_out(conflicted)
        staged.insert(merge.ctx)
    merge.keys.forget(table)


def _json(texts: Texts) -> str:
    return json.dumps(texts, ensure_ascii=False)


def _deleted_here(conn: Connection, table: Table, key: str) -> bool:
    """Whether this database deleted the row ``key`` of ``table`` (its log says so)."""
    if by_period(table):  # such a row is named by its key
        found = LOG.c.row_key == key
    else:
        found = LOG.c.old_value.like(f'%"{key_column(table).name}": "{key}"%')
    query = select(LOG.c.id).where(LOG.c.table_name == table.name, LOG.c.action == "delete", found)
    return conn.execute(query.limit(1)).first() is not None


def _merge_row(merge: _Merge, table: Table, change: RowChange, row: Row[Any]) -> None:
    """Theirs into an existing row, field by field."""
    mine = texts_of(merge.keys, table, row)
    if (table.name, change.key, None) in merge.standing:  # they deleted it, we edited: stands
        merge.agreed(table, change.key, None, _json(change.values))
    decided = change.decided or {}
    if change.changed is None:
        bases: dict[str, str | None] = {}
        considered = [f for f in fields(table) if f in change.values]
    else:
        bases = {f: c.base for f, c in change.changed.items()}
        considered = [*change.changed, *(f for f in decided if f not in change.changed)]
    taken: Texts = {}
    before = merge.counts.conflicts
    for name in considered:
        theirs, own = change.values.get(name), mine.get(name)
        if theirs == own:
            merge.agreed(table, change.key, name, own)
        elif (name in bases and own == bases[name]) or own in decided.get(name, ()):
            taken[name] = theirs
            merge.agreed(table, change.key, name, theirs)
        else:
            merge.conflict(table, change, row, name, bases.get(name), own, theirs)
    if taken:
        update_row(merge.conn, merge.ctx, merge.keys, table, row, change.label, taken)
        others = [f for f in fields(table) if f not in taken and f in change.values]
        kept_own = any(mine.get(f) != change.values.get(f) for f in others)
        if kept_own:
            merge.counts.merged += 1
        else:
            merge.counts.applied += 1
    elif merge.counts.conflicts == before:
        merge.counts.dropped += 1


def _deletion(merge: _Merge, table: Table, change: RowChange) -> None:
    row = read_rows(merge.conn, table, [change.key]).get(change.key)
    if row is None:
        merge.agreed(table, change.key, None, None)
        merge.counts.dropped += 1
        return
    mine = texts_of(merge.keys, table, row)
    decided = change.decided or {}
    unchanged = all(
        mine.get(f) == change.values.get(f) or mine.get(f) in decided.get(f, ())
        for f in fields(table)
    )
    if unchanged and not _referred_to(merge.conn, table, row.id):
        delete_row(merge.conn, merge.ctx, table, row, change.label)
        merge.keys.forget(table)
        merge.agreed(table, change.key, None, None)
        merge.counts.applied += 1
        return
    merge.conflict(table, change, row, None, _json(change.values), row_json(merge.keys, table, row),
                   None)  # fmt: skip


def _referred_to(conn: Connection, table: Table, row_id: int) -> bool:
    """Whether another row here refers to row ``row_id`` of ``table`` (it would go with it)."""
    for other in synced_tables():
        for column, target in references(other).items():
            if target is table:
                found = conn.execute(select(other.c.id).where(other.c[column] == row_id).limit(1))
                if found.first() is not None:
                    return True
    return False
