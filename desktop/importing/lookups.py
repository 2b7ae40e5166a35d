"""What an import checks rows against before staging them: counties, enterprises and zones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from desktop.models import County, Enterprise, Zone


@dataclass(slots=True)
class Lookups:
    """County names, the credit codes of enterprises in the database or accepted so far, and
    the zones a lease may name (those of the database when its sheet comes to be checked)."""

    counties: frozenset[str]
    enterprises: set[str]
    zones: frozenset[str] = frozenset()

    @classmethod
    def load(cls, conn: Connection) -> Lookups:
        """The current state of the database, as ``conn`` sees it."""
        counties = frozenset(conn.execute(select(County.name)).scalars())
        return cls(counties, set(conn.execute(select(Enterprise.uscc)).scalars()))

    def reload_zones(self, conn: Connection) -> None:
        """The zones as ``conn`` sees them now: after this file's 开发区 sheet and roster."""
        self.zones = frozenset(conn.execute(select(Zone.name)).scalars())
