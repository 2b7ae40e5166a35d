"""Reading many rows fast: a Core select run on the driver, without result processing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


def raw_rows(session: Session, query: Select) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as plain sqlite3 tuples (flags 0/1, no type conversion).

    For id lists and sort keys over the whole roster, where SQLAlchemy's per-row processing
    would cost more than the query; parameters are bound by the driver.
    """
    compiled = query.compile(session.get_bind())
    driver = session.connection().connection.driver_connection
    assert driver is not None
    params = compiled.construct_params()
    ordered = [params[name] for name in compiled.positiontup or ()]
    return driver.execute(str(compiled), ordered).fetchall()
