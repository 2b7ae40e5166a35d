"""What an import checks rows against before staging them: counties and known enterprises."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from desktop.models import County, Enterprise


@dataclass(slots=True)
class Lookups:
    """County names, and the credit codes of enterprises in the database or accepted so far."""

    counties: frozenset[str]
    enterprises: set[str]

    @classmethod
    def load(cls, conn: Connection) -> Lookups:
        """The current state of the database, as ``conn`` sees it."""
        counties = frozenset(conn.execute(select(County.name)).scalars())
        return cls(counties, set(conn.execute(select(Enterprise.uscc)).scalars()))
