"""Merging a staged sheet into its table in SQL: new rows inserted, changed rows updated, logged.

The rows are resolved once into a temporary table (reference names to ids, the existing row by
its key, new rows numbered in sheet order, the stored values beside the new), and four
statements do the rest inside the database: the change-log lines, the updates, the inserts, the
counts. The logged texts are those ``encode_value`` gives; a new row's line is an import line
(batch, sheet row, table, row and key: its values are walked back from the row when read, its
time and operator are the batch's) and a deleted row's JSON object, written by undo, is byte
for byte what ``json.dumps`` writes for the ORM (tests compare them). What the engines spell
differently (how new rows get their ids, typed marks) comes from ``desktop.store.dialects``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, Dialect

from desktop.importing.kinds import NAMED_BY, Target
from desktop.importing.stage import Stage
from desktop.models import ChangeRecord, ImportLine, utcnow
from desktop.models.base import VERSION
from desktop.store import dialects
from desktop.store.changelog import (
    INSERT_INTO_LOG,
    READ_OFF_ROW,
    AuditContext,
    bind_processor,
    import_attribution,
    logged_text_sql,
    stored_value,
)
from desktop.store.dialects import LogIds, NewRows

RESOLVED = "import_resolved"
Quote = Callable[[str], str]  # the dialect's quoting of an identifier
LOG_IDS = LogIds("?7")  # the import lines' ids
INSERT_LINES = (
    f"INSERT INTO {ImportLine.__tablename__} (id, batch_id, source_row, table_name, row_id, "
    "row_key, operator, source) "
)


@dataclass(frozen=True, slots=True)
class Merged:
    """What merging a sheet did: rows created, updated, and found already as given."""

    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class MergeSql:
    """The statements that merge one stage into its table; ``defaults`` bind into ``resolve``
    (after the numbering's base, where its ``column`` draws new ids)."""

    resolve: str
    defaults: tuple[Any, ...]
    numbering: NewRows
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
    numbering: NewRows


def _same(column: Column[Any], stored: str, given: str) -> str:
    """SQL telling a stored value equal to the given, NULL equal to NULL: ``=`` where the column
    holds no NULL (a hash join or an index finds it), else ``IS NOT DISTINCT FROM``."""
    same = "IS NOT DISTINCT FROM" if column.nullable else "="
    return f"{stored} {same} {given}"


def _resolve_sql(
    target: Target,
    shape: _Shape,
    joins: list[str],
    stage: str,
    dialect: Dialect,
    missing: list[Column[Any]],
) -> str:
    """The resolved rows: new rows first, then the existing, each part in sheet order; the
    ``missing`` columns (the sheet does not give them) take their defaults from marks."""
    given, columns, quote = shape.given, target.table.c, dialect.identifier_preparer.quote
    match = " AND ".join(
        _same(columns[k], f"t.{quote(k)}", given.get(k, "NULL")) for k in target.db_key
    )
    changed = " OR ".join(
        f"t.{quote(c.name)} IS DISTINCT FROM {given[c.name]}" for c in shape.compared
    )
    first = 2 if shape.numbering.column else 1  # ?1 is the numbering's base where it draws ids
    absent = {c.name: dialects.typed_mark(f"?{n}", c.type.compile(dialect), dialect.name)
              for n, c in enumerate(missing, start=first)}  # fmt: skip
    return (
        f"CREATE TEMP TABLE {RESOLVED} AS SELECT s.pos, s.src_row, {target.key_sql} AS row_key, "
        f"t.id AS existing_id, {shape.numbering.column}"
        + "".join(f"{given.get(c.name) or absent[c.name]} AS n_{c.name}, " for c in shape.columns)
        + "".join(f"t.{quote(c.name)} AS o_{c.name}, " for c in shape.compared)
        + f"(t.id IS NOT NULL AND ({changed or 'FALSE'})) AS changed "
        f"FROM {stage} AS s {' '.join(joins)} LEFT JOIN {shape.table} AS t ON {match} "
        f"ORDER BY t.id IS NOT NULL, s.pos"
    )


def _log_sql(table: str, shape: _Shape, dialect: str) -> tuple[str, str | None]:
    """The import lines of the new rows (one each) and the log lines of the updated (one per
    changed column)."""
    numbering = shape.numbering
    key = "''" if table in READ_OFF_ROW else "row_key"  # read off the row when read
    inserts = (
        INSERT_LINES + f"SELECT {LOG_IDS.sql(dialect)}, ?6, src_row, '{table}', "
        f"{numbering.new_id}, {key}, ?4, ?5 FROM {RESOLVED} WHERE {numbering.new} "
        f"ORDER BY {numbering.order}"
    )
    if not shape.compared:
        return inserts, None
    changes = " UNION ALL ".join(
        f"SELECT pos, {k} AS k, src_row, existing_id, row_key, '{c.name}' AS field, "
        f"{logged_text_sql(c, f'o_{c.name}', dialect)} AS old, "
        f"{logged_text_sql(c, f'n_{c.name}', dialect)} AS new "
        f"FROM {RESOLVED} WHERE {numbering.existing} AND changed "
        f"AND o_{c.name} IS DISTINCT FROM n_{c.name}"
        for k, c in enumerate(shape.compared, start=1)
    )
    updates = (
        INSERT_INTO_LOG + f"SELECT ?3, ?4, ?5, ?6, src_row, '{table}', existing_id, row_key, "
        f"'update', field, old, new FROM ({changes}) AS changes ORDER BY pos, k"
    )
    return inserts, updates


def _write_sql(shape: _Shape, quote: Quote) -> tuple[str | None, str]:
    """The update of the changed rows (their given columns) and the insert of the new rows."""
    name, numbering = shape.table, shape.numbering
    update = None
    if shape.compared:
        update = (
            f"UPDATE {name} SET {VERSION} = {VERSION} + 1, "
            + ", ".join(f"{quote(c.name)} = r.n_{c.name}" for c in shape.compared)
            + f" FROM {RESOLVED} AS r WHERE r.{numbering.existing} AND {name}.id = r.existing_id "
            f"AND r.changed"
        )
    insert = (
        f"INSERT INTO {name} (id, {', '.join(quote(c.name) for c in shape.columns)}) "
        f"SELECT {numbering.new_id}, {', '.join(f'n_{c.name}' for c in shape.columns)} "
        f"FROM {RESOLVED} WHERE {numbering.new}"
    )
    return update, insert


@cache
def merge_sql(target: Target, fields: tuple[str, ...], stage: str, dialect: Dialect) -> MergeSql:
    """The statements merging ``stage`` (staging ``fields``) into ``target``'s table.

    The resolved rows are stored new rows first, each part in sheet order, and the new rows
    numbered as :class:`~desktop.store.dialects.NewRows` says. The statements after ``resolve``
    take ?1 the numbering's base (the table's largest id, or its sequence), ?2 the number of
    new rows and, for the log, ?3 to ?6: when, who, through what, which batch (for the import
    lines, who and through what only where not the batch's) and ?7 their ids' base.
    """
    quote = dialect.identifier_preparer.quote
    columns = [c for c in target.table.columns if c.name not in ("id", VERSION)]
    given, joins = _given(target, fields, quote)
    compared = [c for c in columns if c.name in given and c.name not in target.db_key]
    if target.keep_existing:
        compared = []
    numbering = dialects.new_rows(dialect.name, "t.id")
    shape = _Shape(quote(target.table.name), columns, given, compared, numbering)
    absent = [c for c in columns if c.name not in given]
    log_inserts, log_updates = _log_sql(target.table.name, shape, dialect.name)
    update, insert = _write_sql(shape, quote)
    return MergeSql(
        resolve=_resolve_sql(target, shape, joins, stage, dialect, absent),
        defaults=tuple(_bound_default(target, c, dialect) for c in absent),
        numbering=numbering,
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
    base = sql.numbering.base(conn, target.table.name)
    drawn = (base,) if sql.numbering.column else ()
    dialects.execute(conn, sql.resolve, (*drawn, *sql.defaults))
    created, updated, unchanged = dialects.execute(conn, sql.counts).one()
    at = stored_value(conn, ChangeRecord.__table__.c.at, utcnow())
    params = (base, created, at, ctx.operator, ctx.source, ctx.batch_id)
    if updated:
        dialects.execute(conn, sql.log_updates, params)
        dialects.execute(conn, sql.update, params[:2])
    if created:
        operator, source = import_attribution(conn, ctx)
        first = LOG_IDS.base(conn, created)
        lines = (base, created, None, operator, source, ctx.batch_id, first)
        dialects.execute(conn, sql.log_inserts, lines)
        dialects.execute(conn, sql.insert, params[:2])
    dialects.execute(conn, f"DROP TABLE {RESOLVED}")
    return Merged(created, updated, unchanged)


def new_names(conn: Connection, stage: Stage, field: str) -> list[tuple[int, str]]:
    """The names in ``field`` of the stage that its table lacks: (first row, name), in order."""
    table, by = NAMED_BY[field]
    rows = dialects.execute(
        conn,
        f'SELECT src_row, "{field}" FROM {stage.name} WHERE pos IN '
        f'(SELECT min(pos) FROM {stage.name} WHERE "{field}" IS NOT NULL GROUP BY "{field}") '
        f'AND "{field}" NOT IN (SELECT "{by}" FROM "{table.name}") ORDER BY pos',
    )
    return [(row, name) for row, name in rows]
