"""Alembic environment: always run on the connection Relief Desk hands over (see store.migrate)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from alembic import context

from desktop.models import Base
from desktop.store.grants import SERVER_ONLY_COLUMNS, SERVER_ONLY_TABLES


def _ours(name: str | None, type_: str, parents: MutableMapping[Any, str | None]) -> bool:
    """Compare what the models hold; a server's own (the login bindings, the unit a county
    login stamps its batches and log lines with) is not theirs."""
    if type_ == "table":
        return name not in SERVER_ONLY_TABLES
    return not (type_ == "column" and (parents.get("table_name"), name) in SERVER_ONLY_COLUMNS)


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    include_name=_ours,
)
with context.begin_transaction():
    context.run_migrations()
