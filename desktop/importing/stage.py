"""A sheet's accepted rows in a temporary table, where SQL resolves and merges them.

Each value is converted by its column's own SQLAlchemy type (so it is staged, compared and
stored exactly as a Core or ORM write would store it) and the staged columns carry the table's
declared types, so SQLite applies the same affinity to both sides of every comparison. Rows go
in by ``executemany`` on SQLite and ``COPY`` on PostgreSQL (``dialects.copy_rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Dialect

from desktop.importing.kinds import Target
from desktop.store import dialects
from desktop.store.changelog import bind_processor

# The spreadsheet's row numbers, and a column of values for each staged field.
StagedColumns = tuple[list[int], list[list[Any]]]


@dataclass(frozen=True, slots=True)
class StageLayout:
    """The temporary table of one target and set of fields: its name and statements.

    ``binds`` are the positions (among the fields) and bind processors of the fields whose
    column type converts values.
    """

    name: str
    fields: tuple[str, ...]
    create: str
    columns: tuple[str, ...]  # quoted, as rows give them: position, sheet row, the fields
    binds: tuple[tuple[int, Callable[[Any], Any]], ...]


@cache
def stage_layout(target: Target, fields: tuple[str, ...], dialect: Dialect) -> StageLayout:
    """The stage of ``fields`` (the sheet's, each a column of the table or a reference)."""
    quote = dialect.identifier_preparer.quote
    name = f"stage_{target.table.name}"
    columns, binds = [dialects.position_column(dialect.name), "src_row INTEGER"], []
    for position, field in enumerate(fields):
        if field in target.references:
            columns.append(f"{quote(field)} TEXT")
            continue
        column = target.table.c[field]
        columns.append(f"{quote(field)} {column.type.compile(dialect=dialect)}")
        process = bind_processor(dialect, column)
        if process is not None:
            binds.append((position, process))
    return StageLayout(
        name=name,
        fields=fields,
        create=f"CREATE TEMP TABLE {name} ({', '.join(columns)})",
        columns=("pos", "src_row", *map(quote, fields)),
        binds=tuple(binds),
    )


def staged_fields(target: Target, present: Sequence[str]) -> tuple[str, ...]:
    """The fields of ``present`` that are written: table columns and references."""
    return tuple(f for f in present if f in target.references or f in target.columns)


class Stage:
    """The temporary table holding one sheet's accepted rows, for the length of a ``with``."""

    def __init__(self, conn: Connection, target: Target, fields: tuple[str, ...]) -> None:
        self.conn = conn
        self.target = target
        self.layout = stage_layout(target, fields, conn.dialect)
        self.staged = 0  # rows staged so far: the next row's position follows them

    @property
    def name(self) -> str:
        return self.layout.name

    @property
    def fields(self) -> tuple[str, ...]:
        return self.layout.fields

    def add(self, staged: StagedColumns) -> None:
        """Stage rows given as their row numbers and the fields' columns, in sheet order."""
        numbers, columns = staged
        if not numbers:
            return
        columns = list(columns)
        for index, process in self.layout.binds:
            columns[index] = list(map(process, columns[index]))
        first = self.staged + 1
        self.staged += len(numbers)
        positions = range(first, self.staged + 1)
        rows = list(zip(positions, numbers, *columns, strict=True))
        dialects.copy_rows(self.conn, self.layout.name, self.layout.columns, rows)

    def __enter__(self) -> Stage:
        dialects.execute(self.conn, self.layout.create)
        return self

    def __exit__(self, error: type[BaseException] | None, *_exc: object) -> None:
        if error is None:  # after an error the transaction's rollback takes the table away
            dialects.execute(self.conn, f"DROP TABLE {self.layout.name}")
