"""``package export``: what changed since the last package to a destination, cut from the log.

The change log after the last package sent to the destination is read once, in order, leaving
out what came from that destination's own packages (it has it). Each row's lines give what to
send: a row inserted since is sent whole; an updated one with each changed field's base (its
text before the first change since) and who changed it last; a deleted one with its values at
the base. An insert line keeps no values: the row's current values are the truth.
"""

from __future__ import annotations

import heapq
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Row,
    Table,
    func,
    literal_column,
    select,
)

from desktop.gcpause import gc_paused
from desktop.models import PackageReceived, PackageSent, SyncConflict, utcnow
from desktop.models.base import VERSION
from desktop.rules.policy import DEFAULT_DOCUMENT
from desktop.store import Database
from desktop.store.changelog import LINES, encode_value
from desktop.sync.fresh import DECISION, NEW, FreshRows, text_sql
from desktop.sync.keys import (
    KeyMap,
    by_period,
    chunks,
    fields,
    key_column,
    key_of_texts,
    references,
    synced,
    synced_tables,
)
from desktop.sync.package import (
    CITY,
    DELETE,
    UPSERT,
    FieldChange,
    Manifest,
    RowChange,
    line_of,
    policy_fingerprint,
    write_package,
)
from desktop.sync.units import own_unit, shared_settings

LOG = LINES  # every line, the import lines among them
SENT = PackageSent.__table__
RECEIVED = PackageReceived.__table__
CONFLICTS = SyncConflict.__table__
WHOLE_TABLE = 20_000  # more rows than this of one table: read it whole rather than by id


@dataclass(frozen=True)
class Exported:
    """What ``export_package`` wrote."""

    path: Path
    sender: str
    destination: str
    sequence: int
    rows: int
    sha256: str


@dataclass
class _Life:
    """The log lines of one row in the window, up to its deletion if any."""

    lines: list[Any] = field(default_factory=list)  # rows of the log query in ``cut``
    inserted: bool = False  # new in the window (not put back by a conflict's resolution)
    decided: bool = False  # some line is a conflict's resolution here

    def add(self, line: Any) -> None:
        self.lines.append(line)
        if line.source == DECISION:
            self.decided = True
        elif line.action == "insert":
            self.inserted = True

    @property
    def decided_row(self) -> bool:
        """Whether a conflict's resolution here kept the row (or put it back)."""
        return any(line.field is None and line.source == DECISION for line in self.lines)

    def decided_fields(self) -> list[str]:
        """The fields whose last change was a conflict's resolution here."""
        last = {line.field: line.source for line in self.lines if line.field is not None}
        return [f for f, source in last.items() if source == DECISION]

    def bases(self) -> dict[str, FieldChange]:
        """Each updated field: its text before the first change, and the last change's author."""
        found: dict[str, FieldChange] = {}
        for line in self.lines:
            if line.action == "update" and line.field is not None:
                first = found.get(line.field)
                base = line.old_value if first is None else first.base
                found[line.field] = FieldChange(base, line.operator, line.at.isoformat())
        return found

    def saves(self) -> int:
        """How many saves the row had in the window (one time stamp per save)."""
        return len({line.at for line in self.lines if line.action == "update"})


def export_package(
    db: Database, out: Path, destination: str | None = None, sender: str | None = None
) -> Exported:
    """Write the package for ``destination`` (the city by default) to ``out``, and record it.

    ``sender`` names this database's unit the first time (it is remembered).
    """
    with db.engine.begin() as conn:
        me = own_unit(conn, db.audit("package"), sender)
        to = destination or CITY
        if to == me:
            raise ValueError(f"不能把数据包发给本单位（{me}）")
        previous = conn.execute(
            select(func.max(SENT.c.sequence), func.max(SENT.c.last_log_id)).where(
                SENT.c.sender == me, SENT.c.destination == to
            )
        ).one()
        sequence, since = (previous[0] or 0) + 1, previous[1] or 0
        until = conn.execute(select(func.max(LOG.c.id))).scalar() or 0
        with gc_paused():  # many small objects, none cyclic
            rows = cut(conn, since, until, to)
        manifest = Manifest(
            sender=me,
            destination=to,
            sequence=sequence,
            operator=db.operator,
            created_at=utcnow().isoformat(),
            policy_document=DEFAULT_DOCUMENT,
            policy_fingerprint=policy_fingerprint(),
            rows=len(rows),
            settings=shared_settings(conn) if me == CITY else {},
        )
        digest = write_package(out, manifest, rows)
        conn.execute(
            SENT.insert().values(
                sender=me,
                destination=to,
                sequence=sequence,
                last_log_id=until,
                rows=len(rows),
                sha256=digest,
                operator=db.operator,
                sent_at=utcnow(),
            )
        )
    return Exported(out, me, to, sequence, len(rows), digest)


def cut(conn: Connection, since: int, until: int, destination: str) -> list[str]:
    """The package lines of the rows changed by log lines ``since`` < id ≤ ``until``, but those
    ``destination`` sent itself: the rows new since written by SQL (:mod:`desktop.sync.fresh`),
    the others from their lines here."""
    theirs = select(RECEIVED.c.batch_id).where(
        RECEIVED.c.sender == destination, RECEIVED.c.batch_id.is_not(None)
    )
    names = [t.name for t in synced_tables()]
    window = [
        LOG.c.id > since,
        LOG.c.id <= until,
        LOG.c.table_name.in_(names),
        (LOG.c.batch_id.is_(None)) | (LOG.c.batch_id.not_in(theirs)),
    ]
    with FreshRows(conn, window) as fresh:
        query = (
            select(LOG.c.id, LOG.c.at, LOG.c.operator, LOG.c.source, LOG.c.table_name,
                   LOG.c.row_id, LOG.c.row_key, LOG.c.action, LOG.c.field, LOG.c.old_value)
            .select_from(LOG.outerjoin(
                NEW, (NEW.c.table_name == LOG.c.table_name) & (NEW.c.row_id == LOG.c.row_id)))
            .where(*window, NEW.c.row_id.is_(None))
            .order_by(LOG.c.id)
        )  # fmt: skip
        ended: dict[str, list[_Life]] = defaultdict(list)
        living: dict[str, dict[int, _Life]] = defaultdict(dict)
        for line in conn.execute(query):
            life = living[line.table_name].setdefault(line.row_id, _Life())
            life.add(line)
            if line.action == "delete":
                ended[line.table_name].append(living[line.table_name].pop(line.row_id))
        keys = KeyMap(conn)
        decisions = _decisions(conn)
        for name, lives in ended.items():
            table = synced(name)
            assert table is not None
            for life in lives:
                keys.gone[(name, life.lines[-1].row_id)] = _deleted_key(table, life.lines[-1])
        out: list[str] = []
        for table in synced_tables():
            upserts = _upserts(conn, keys, decisions, table, living.get(table.name, {}))
            written = ((first, line_of(change)) for first, change in upserts)
            out += (line for _, line in heapq.merge(fresh.lines(table), written))
    for table in reversed(synced_tables()):
        deletions: dict[str, RowChange] = {}  # by key: the last (a resolution's) wins
        for life in ended.get(table.name, []):
            if deletion := _deletion(keys, decisions, table, life):
                deletions[deletion.key] = deletion
        out += map(line_of, deletions.values())
    return out


def _deleted_key(table: Table, line: Row[Any]) -> str:
    """The key of the row a delete line removed: its key column's old value, or the row as the
    log names it where the table is keyed by period."""
    if by_period(table):
        return str(line.row_key)
    return str(json.loads(line.old_value)[key_column(table).name])


@dataclass(frozen=True, slots=True)
class _Current:
    """A row as it is now: its global key, version and field texts (references as keys)."""

    key: str
    version: int | None
    texts: dict[str, str | None]


def _current_rows(
    conn: Connection, keys: KeyMap, table: Table, ids: list[int]
) -> dict[int, _Current]:
    """The rows ``ids`` of ``table`` still here, their texts made by SQL where it can (as the
    log writes them; a reference as the referred row's key), else by ``encode_value``."""
    names, refs = fields(table), references(table)
    texted = {n: text_sql(conn, table, n) for n in names}
    joins: FromClause = table
    columns: list[ColumnElement[Any]] = []
    for name, sql in texted.items():
        if name in refs:
            target = refs[name].alias(f"ref_{name}")
            joins = joins.outerjoin(target, target.c.id == table.c[name])
            columns.append(target.c[key_column(refs[name]).name].label(f"key_{name}"))
        else:
            columns.append(table.c[name] if sql is None else literal_column(sql).label(f"t_{name}"))
    typed = [n for n, sql in texted.items() if sql is None and n not in refs]
    version = table.c[VERSION] if VERSION in table.c else literal_column("NULL")
    key = literal_column("NULL") if by_period(table) else key_column(table)
    query = select(table.c.id, key, version, *columns, *(table.c[n] for n in refs))
    query = query.select_from(joins)
    if len(ids) > WHOLE_TABLE:
        wanted = set(ids)
        parts: Iterable[Any] = [r for r in conn.execute(query) if r[0] in wanted]
    else:
        parts = (r for part in chunks(ids) for r in conn.execute(query.where(table.c.id.in_(part))))
    found: dict[int, _Current] = {}
    end = 3 + len(names)
    for row in parts:
        texts = dict(zip(names, row[3:end], strict=True))
        for name in typed:
            texts[name] = encode_value(texts[name])
        for name, stored in zip(refs, row[end:], strict=True):
            if texts[name] is None and stored is not None:  # a row deleted meanwhile
                texts[name] = keys.key_of(refs[name], int(stored))
        known = key_of_texts(table, row[1], texts)
        assert known is not None  # a figure's enterprise is never missing: it goes with it
        found[row[0]] = _Current(known, row[2], texts)
    return found


def _upserts(
    conn: Connection, keys: KeyMap, decisions: Decisions, table: Table, lives: dict[int, _Life]
) -> list[tuple[int, RowChange]]:
    """The rows of ``table`` inserted or updated in the window and still here, each with the
    id of its first line there (their order)."""
    current = _current_rows(conn, keys, table, sorted(lives))
    out = []
    for row_id, life in lives.items():
        row = current.get(row_id)
        if row is None:  # deleted by the destination's own package: it knows
            continue
        now = row.texts
        last = life.lines[-1]
        version = row.version
        decided = _decided(decisions, table, row.key, life)
        base_version: int | None = 0
        if life.inserted and decided is None:
            changed = None
        else:
            bases = {f: _in_keys(keys, table, f, c) for f, c in life.bases().items() if f in now}
            changed = {f: c for f, c in bases.items() if c.base != now[f] or f in (decided or {})}
            if not changed and decided is None:
                continue  # changed and changed back
            base_version = None if version is None else version - life.saves()
        out.append(
            (
                life.lines[0].id,
                RowChange(
                    table.name,
                    row.key,
                    UPSERT,
                    last.row_key,
                    now,
                    changed,
                    version,
                    base_version,
                    last.operator,
                    last.at.isoformat(),
                    decided,
                ),
            )
        )
    return out


def _in_keys(keys: KeyMap, table: Table, name: str, change: FieldChange) -> FieldChange:
    """``change`` with its base as a global key where the field refers to another row."""
    if change.base is None:
        return change
    base = keys.to_keys(table, {name: change.base})[name]
    return FieldChange(base, change.by, change.at)


def _deletion(keys: KeyMap, decisions: Decisions, table: Table, life: _Life) -> RowChange | None:
    """A row deleted in the window, with its values at the base; none if it was new since, or
    is here again (put back by a conflict's resolution)."""
    last = life.lines[-1]
    values = json.loads(last.old_value)
    key = _deleted_key(table, last)
    if life.inserted or keys.id_of(table, key) is not None:
        return None
    at_base = {f: values.get(f) for f in fields(table)}
    for name, change in life.bases().items():
        at_base[name] = change.base
    decided = _decided(decisions, table, key, life)
    return RowChange(
        table.name,
        key,
        DELETE,
        last.row_key,
        keys.to_keys(table, at_base),
        None,
        None,
        None,
        last.operator,
        last.at.isoformat(),
        decided,
    )


Decisions = dict[tuple[str, str, str | None], Row[Any]]


def _decisions(conn: Connection) -> Decisions:
    """The latest resolved conflict of each field (or row), by table, key and field."""
    query = select(CONFLICTS).where(CONFLICTS.c.state == "resolved").order_by(CONFLICTS.c.id)
    return {(r.table_name, r.row_key, r.field): r for r in conn.execute(query)}


def _decided(
    decisions: Decisions, table: Table, key: str, life: _Life
) -> dict[str, list[str | None]] | None:
    """What the resolutions in ``life`` override, per field; ``None`` when it has none."""
    if not life.decided:
        return None
    named = life.decided_fields()
    if not life.decided_row and not named:
        return None
    overridden: dict[str, list[str | None]] = {}
    found = decisions.get((table.name, key, None)) if life.decided_row else None
    if found is not None:
        for side in (found.base, found.mine, found.theirs):
            for name, text in (json.loads(side) if side else {}).items():
                overridden.setdefault(name, []).append(text)
    for name in named:
        if (field := decisions.get((table.name, key, name))) is not None:
            overridden[name] = [field.base, field.mine, field.theirs]
    return overridden
