"""Names and ids an import resolves against: counties, zones, chains, enterprises, next ids."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, func, select

from desktop.importing.write import Change
from desktop.models import County, Enterprise, KeyChain, Zone


@dataclass(slots=True)
class Lookups:
    """What a file's rows are resolved against, kept up to date as the plan adds rows."""

    counties: dict[str, int]
    zones: dict[str, int]
    chains: dict[str, int]
    enterprises: dict[str, int]  # credit code → id, existing or planned
    next_ids: dict[str, int] = field(default_factory=dict)
    new_names: list[tuple[Table, Change]] = field(default_factory=list)

    @classmethod
    def load(cls, conn: Connection) -> Lookups:
        """The current state of the database."""
        return cls(
            counties=_ids(conn, County.__table__, "name"),
            zones=_ids(conn, Zone.__table__, "name"),
            chains=_ids(conn, KeyChain.__table__, "name"),
            enterprises=_ids(conn, Enterprise.__table__, "uscc"),
        )

    def new_id(self, conn: Connection, table: Table) -> int:
        """An id for a row this import adds to ``table`` (max + 1, as SQLite itself would)."""
        if table.name not in self.next_ids:
            top = conn.execute(select(func.max(table.c.id))).scalar()
            self.next_ids[table.name] = (top or 0) + 1
        found = self.next_ids[table.name]
        self.next_ids[table.name] = found + 1
        return found

    def name_id(self, conn: Connection, table: Table, name: str, source_row: int) -> int:
        """The id of the zone or chain ``name``, adding it (level, kind unknown) when new."""
        ids = self.zones if table.name == Zone.__tablename__ else self.chains
        found = ids.get(name)
        if found is None:
            found = ids[name] = self.new_id(conn, table)
            row = {**{c.name: None for c in table.columns}, "id": found, "name": name}
            self.new_names.append((table, Change(found, source_row, name, row)))
        return found

    def take_new_names(self) -> list[tuple[Table, Change]]:
        """The zones and chains added since the last call (to be written before their users)."""
        taken, self.new_names = self.new_names, []
        return taken


def _ids(conn: Connection, table: Table, column: str) -> dict[str, int]:
    return dict(conn.execute(select(table.c[column], table.c.id)).all())
