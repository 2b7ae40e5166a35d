"""Reading many rows fast: a Core select run on the driver, without result processing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from desktop.store.dialects import driver_rows


def raw_rows(session: Session, query: Select) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as the driver returns them (no type conversion: flags are 0/1 on
    SQLite, booleans on PostgreSQL).

    For id lists and sort keys over the whole roster, where SQLAlchemy's per-row processing
    would cost more than the query; parameters are bound by the driver.
    """
    return driver_rows(session.connection(), query)
