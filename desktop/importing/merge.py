"""Merging a staged sheet into its table in SQL: new rows inserted, changed rows updated, logged.

The rows are resolved once into a temporary table (reference names to ids, the existing row by
its key, new ids as max + 1 in sheet order, the stored values beside the new), and four
statements do the rest inside SQLite: the change-log lines, the updates, the inserts, the
counts. The logged texts are those ``encode_value`` gives; an insert line carries no values (they
are walked back from the row when read) and a deleted row's JSON object, written by undo, is byte
for byte what ``json.dumps`` writes for the ORM (tests compare them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, Dialect

from desktop.importing.kinds import NAMED_BY, Target
from desktop.importing.stage import Stage
from desktop.models import ChangeRecord, utcnow
from desktop.models.base import VERSION
from desktop.store.changelog import (
    INSERT_INTO_LOG,
    AuditContext,
    bind_processor,
    logged_text_sql,
    stored_value,
)

RESOLVED = "import_resolved"
Quote = Callable[[str], str]  # the dialect's quoting of an identifier


@dataclass(frozen=True, slots=True)
class Merged:
    """What merging a sheet did: rows created, updated, and found already as given."""

    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class MergeSql:
    """The statements that merge one stage into its table; ``defaults`` bind into ``resolve``."""

    resolve: str
    defaults: tuple[Any, ...]
    log_inserts: str
    log_updates: str | None
    update: str | None
    insert: str
    counts: str = (
        f"SELECT count(*) FILTER (WHERE existing_id IS NULL), count(*) FILTER (WHERE changed), "
        f"count(*) FILTER (WHERE existing_id IS NOT NULL AND NOT changed) FROM {RESOLVED}"
    )


def _given(
    target: Target, fields: tuple[str, ...], quote: Quote
) -> tuple[dict[str, str], list[str]]:
    """Each column the sheet gives, as SQL over the stage; and the joins that resolve names."""
    given: dict[str, str] = {}
    joins: list[str] = []
    for field in fields:
        if field in target.references:
            table, by = NAMED_BY[field]
            joins.append(f"LEFT JOIN {quote(table.name)} AS r_{field} "
                         f"ON r_{field}.{quote(by)} = s.{quote(field)}")  # fmt: skip
            given[target.references[field]] = f"r_{field}.id"
        else:
            given[field] = f"s.{quote(field)}"
    return given, joins


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the statements of one merge are built from."""

    table: str  # quoted
    columns: list[Column[Any]]  # all but the id and the version (inserts take its default)
    given: dict[str, str]  # column → its new value, as SQL over the stage and joins
    compared: list[Column[Any]]  # the given columns an update may change (not the key's)


def _resolve_sql(target: Target, shape: _Shape, joins: list[str], stage: str, quote: Quote) -> str:
    """The resolved rows: new rows first, then the existing, each part in sheet order."""
    given = shape.given
    match = " AND ".join(f"t.{quote(k)} IS {given.get(k, 'NULL')}" for k in target.db_key)
    changed = " OR ".join(f"t.{quote(c.name)} IS NOT {given[c.name]}" for c in shape.compared)
    return (
        f"CREATE TEMP TABLE {RESOLVED} AS SELECT s.pos, s.src_row, {target.key_sql} AS row_key, "
        f"t.id AS existing_id, "
        + "".join(f"{given.get(c.name, '?')} AS n_{c.name}, " for c in shape.columns)
        + "".join(f"t.{quote(c.name)} AS o_{c.name}, " for c in shape.compared)
        + f"(t.id IS NOT NULL AND ({changed or '0'})) AS changed "
        f"FROM {stage} AS s {' '.join(joins)} LEFT JOIN {shape.table} AS t ON {match} "
        f"ORDER BY t.id IS NOT NULL, s.pos"
    )


def _log_sql(table: str, shape: _Shape, dialect: str) -> tuple[str, str | None]:
    """The log lines of the new rows (one each) and of the updated (one per changed column)."""
    inserts = (
        INSERT_INTO_LOG + f"SELECT ?3, ?4, ?5, ?6, src_row, '{table}', ?1 + rowid, row_key, "
        f"'insert', NULL, NULL, NULL FROM {RESOLVED} WHERE rowid <= ?2"
    )
    if not shape.compared:
        return inserts, None
    changes = " UNION ALL ".join(
        f"SELECT pos, {k} AS k, src_row, existing_id, row_key, '{c.name}' AS field, "
        f"{logged_text_sql(c, f'o_{c.name}', dialect)} AS old, "
        f"{logged_text_sql(c, f'n_{c.name}', dialect)} AS new "
        f"FROM {RESOLVED} WHERE rowid > ?2 AND changed AND o_{c.name} IS NOT n_{c.name}"
        for k, c in enumerate(shape.compared, start=1)
    )
    updates = (
        INSERT_INTO_LOG + f"SELECT ?3, ?4, ?5, ?6, src_row, '{table}', existing_id, row_key, "
        f"'update', field, old, new FROM ({changes}) ORDER BY pos, k"
    )
    return inserts, updates


def _write_sql(shape: _Shape, quote: Quote) -> tuple[str | None, str]:
    """The update of the changed rows (their given columns) and the insert of the new rows."""
    name = shape.table
    update = None
    if shape.compared:
        update = (
            f"UPDATE {name} SET {VERSION} = {VERSION} + 1, "
            + ", ".join(f"{quote(c.name)} = r.n_{c.name}" for c in shape.compared)
            + f" FROM {RESOLVED} AS r WHERE r.rowid > ?2 AND {name}.id = r.existing_id "
            f"AND r.changed"
        )
    insert = (
        f"INSERT INTO {name} (id, {', '.join(quote(c.name) for c in shape.columns)}) "
        f"SELECT ?1 + rowid, {', '.join(f'n_{c.name}' for c in shape.columns)} "
        f"FROM {RESOLVED} WHERE rowid <= ?2"
    )
    return update, insert


@cache
def merge_sql(target: Target, fields: tuple[str, ...], stage: str, dialect: Dialect) -> MergeSql:
    """The statements merging ``stage`` (staging ``fields``) into ``target``'s table.

    The resolved rows are stored new rows first, so the n-th new row has rowid n and gets id
    max + n without a window over the rows. The statements after ``resolve`` take ?1 that max,
    ?2 the number of new rows and, for the log, ?3 to ?6: when, who, through what, which batch.
    """
    quote = dialect.identifier_preparer.quote
    columns = [c for c in target.table.columns if c.name not in ("id", VERSION)]
    given, joins = _given(target, fields, quote)
    compared = [c for c in columns if c.name in given and c.name not in target.db_key]
    if target.keep_existing:
        compared = []
    shape = _Shape(quote(target.table.name), columns, given, compared)
    absent = [c for c in columns if c.name not in given]
    log_inserts, log_updates = _log_sql(target.table.name, shape, dialect.name)
    update, insert = _write_sql(shape, quote)
    return MergeSql(
        resolve=_resolve_sql(target, shape, joins, stage, quote),
        defaults=tuple(_bound_default(target, c, dialect) for c in absent),
        log_inserts=log_inserts,
        log_updates=log_updates,
        update=update,
        insert=insert,
    )


def _bound_default(target: Target, column: Column[Any], dialect: Dialect) -> Any:
    """The default of a column the sheet does not give, as the driver receives it."""
    value = target.defaults[column.name]
    process = bind_processor(dialect, column)
    return value if process is None or value is None else process(value)


def merge(conn: Connection, ctx: AuditContext, target: Target, stage: Stage) -> Merged:
    """Merge ``stage`` into its table and log every insert and changed column, in ``ctx``."""
    sql = merge_sql(target, stage.fields, stage.name, conn.dialect)
    top = conn.exec_driver_sql(f"SELECT ifnull(max(id), 0) FROM {target.table.name}").scalar()
    conn.exec_driver_sql(sql.resolve, sql.defaults)
    created, updated, unchanged = conn.exec_driver_sql(sql.counts).one()
    at = stored_value(conn, ChangeRecord.__table__.c.at, utcnow())
    params = (top, created, at, ctx.operator, ctx.source, ctx.batch_id)
    if updated:
        conn.exec_driver_sql(sql.log_updates, params)
        conn.exec_driver_sql(sql.update, params[:2])
    if created:
        conn.exec_driver_sql(sql.log_inserts, params)
        conn.exec_driver_sql(sql.insert, params[:2])
    conn.exec_driver_sql(f"DROP TABLE {RESOLVED}")
    return Merged(created, updated, unchanged)


def new_names(conn: Connection, stage: Stage, field: str) -> list[tuple[int, str]]:
    """The names in ``field`` of the stage that its table lacks: (first row, name), in order."""
    table, by = NAMED_BY[field]
    rows = conn.exec_driver_sql(
        f'SELECT src_row, "{field}" FROM {stage.name} WHERE pos IN '
        f'(SELECT min(pos) FROM {stage.name} WHERE "{field}" IS NOT NULL GROUP BY "{field}") '
        f'AND "{field}" NOT IN (SELECT "{by}" FROM "{table.name}") ORDER BY pos'
    )
    return [(row, name) for row, name in rows]
