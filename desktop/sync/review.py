"""Each conflict as the review page shows it, in the officer's words (Qt-free).

The row by its key (an enterprise's rows by its credit code and name), the table's and the
field's labels, and each value as read through :func:`desktop.values.shown` (money in 元,
flags 是/否, dates; a reference by the referred row's name; a whole row as 字段：值；…, each
side by the fields it changed since the base). A value
the officer types instead is read by :func:`desktop.sync.conflicts.parse_value`, the field's
one parser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table

from desktop import values
from desktop.models import Enterprise, column_label, table_label
from desktop.store import Database
from desktop.store.changelog import decode_value
from desktop.sync.conflicts import MINE, THEIRS, Conflict, kind_of, list_conflicts
from desktop.sync.keys import KeyMap, fields, references, synced
from desktop.sync.rows import Texts, read_rows, texts_of

EMPTY, DELETED, KEPT, UNCHANGED = "（空）", "（已删除）", "（保留该行）", "（未改）"
WHOLE_ROW = "整行（一方删除、一方修改）"
TAKEN = {MINE: "保留本地", THEIRS: "采用对方", "value": "另填", "agreed": "对方单位已处理"}
ENTERPRISE = Enterprise.__tablename__
NAMED_BY = {"subsidy_case": "number"}  # tables whose rows read by a column other than 名称


@dataclass(frozen=True)
class Reviewed:
    """One conflict and its texts: the table, the row, the field, the three values and (once
    resolved) what was taken; ``typed`` when a value of the officer's own may be given."""

    conflict: Conflict
    table: str
    row: str
    field: str
    base: str
    mine: str
    theirs: str
    taken: str
    typed: bool
    mine_who: str
    theirs_who: str
    taken_who: str

    @property
    def id(self) -> int:
        return self.conflict.id


def review(db: Database, *, everything: bool = False) -> list[Reviewed]:
    """The open conflicts (with ``everything``, the resolved ones too), oldest first."""
    found = list_conflicts(db, everything=everything)
    with db.reads.connect() as conn:
        reader = _Reader(conn)
        return [reader.reviewed(c) for c in found]


class _Reader:
    """Reads the rows and names a review needs, each once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.keys = KeyMap(conn)
        self._texts: dict[tuple[str, str], Texts] = {}

    def reviewed(self, c: Conflict) -> Reviewed:
        table = synced(c.table)
        assert table is not None
        field = column_label(c.table, c.field) if c.field else WHOLE_ROW
        return Reviewed(
            conflict=c,
            table=table_label(c.table),
            row=self.row_text(table, c),
            field=field,
            base=self.side(table, c.field, c.base, whole_none=EMPTY),
            mine=self.side(table, c.field, c.mine, since=c.base),
            theirs=self.side(table, c.field, c.theirs, since=c.base),
            taken=self.taken(table, c),
            typed=c.field is not None and c.field not in references(table),
            mine_who=f"本库：{c.mine_by or '（不详）'}，{when(c.mine_at)}",
            theirs_who=(
                f"{c.sender}第 {c.sequence} 号数据包："
                f"{(c.theirs_by or '（不详）').removeprefix(f'{c.sender}·')}，{when(c.theirs_at)}"
            ),
            taken_who=f"{c.resolved_by}，{when(c.resolved_at)}" if c.resolution else "",
        )

    def texts(self, table: Table, key: str) -> Texts:
        """The field texts of row ``key`` of ``table`` here (empty when it is not)."""
        if (table.name, key) not in self._texts:
            row = read_rows(self.conn, table, [key]).get(key)
            self._texts[(table.name, key)] = {} if row is None else texts_of(self.keys, table, row)
        return self._texts[(table.name, key)]

    def side(
        self,
        table: Table,
        field: str | None,
        text: str | None,
        whole_none: str = DELETED,
        since: str | None = None,
    ) -> str:
        """A side's value as read: one field's, or a whole row's (``None``: deleted) as
        字段：值；…, only the fields changed ``since`` the base's whole row when it is given."""
        if field is not None:
            return self.value(table, field, text)
        if text is None:
            return whole_none
        row: dict[str, Any] = json.loads(text)
        base: dict[str, Any] = json.loads(since) if since else {}
        shown = [
            f"{column_label(table.name, f)}：{self.value(table, f, row.get(f))}"
            for f in fields(table)
            if f not in _owned(table)  # its owner names the row
            and (row.get(f) != base.get(f) if base else row.get(f) is not None)
        ]
        if not base:
            return "；".join(shown)
        return f"修改 {'；'.join(shown)}" if shown else UNCHANGED

    def value(self, table: Table, field: str, text: str | None) -> str:
        """One field's logged text as read (a reference by the referred row's name)."""
        if text is None:
            return EMPTY
        target = references(table).get(field)
        if target is not None:
            return self.name_of(target, text)
        column = table.c[field]
        typed = decode_value(table, field, text)
        return values.shown(kind_of(column), typed, column.info.get("unit", "元")) or EMPTY

    def name_of(self, table: Table, key: str) -> str:
        """How the officer names row ``key`` of ``table``: an enterprise by credit code and
        name, other rows by their name (the key itself for a row without one or not here)."""
        texts = self.texts(table, key)
        if table.name == ENTERPRISE:
            return f"{key} {texts['name']}" if texts.get("name") else key
        return texts.get(NAMED_BY.get(table.name, "name")) or key

    def owner(self, table: Table, texts: Texts, depth: int = 2) -> str | None:
        """The enterprise a row belongs to (through a case for its moves and payments)."""
        for column, target in references(table).items():
            key = texts.get(column)
            if key is None:
                continue
            if target.name == ENTERPRISE:
                return self.name_of(target, key)
            if depth > 1 and (found := self.owner(target, self.texts(target, key), depth - 1)):
                return found
        return None

    def row_text(self, table: Table, c: Conflict) -> str:
        """The row with its enterprise's credit code and name in place of the owner the log
        names it by (a credit code, or ``#id`` when the log did not know it)."""
        if table.name == ENTERPRISE:
            return self.name_of(table, c.row_key)
        texts = self.texts(table, c.row_key)
        if not texts and c.field is None:  # not here: a side holds the whole row
            texts = json.loads(c.mine or c.theirs or "{}")
        owner = self.owner(table, texts)
        if owner is None:
            return c.label
        first, _, rest = c.label.partition(" ")
        if _owned(table) and (first == owner.split(" ", 1)[0] or first.startswith("#")):
            return f"{owner} {rest}".strip()
        return f"{c.label}（{owner}）"

    def taken(self, table: Table, c: Conflict) -> str:
        """What the resolution took, as read ('' while the conflict is open)."""
        if c.resolution is None:
            return ""
        how = TAKEN.get(c.resolution, c.resolution)
        if c.field is None:
            return f"{how}：{DELETED if c.resolved_value is None else KEPT}"
        return f"{how}：{self.value(table, c.field, c.resolved_value)}"


def when(at: datetime | None) -> str:
    """A time of the log as the officer reads it, local: 2026-12-01 09:30."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else "时间不详"


def _owned(table: Table) -> list[str]:
    """The columns of ``table`` naming the enterprise its rows belong to."""
    return [c for c, target in references(table).items() if target.name == ENTERPRISE]
