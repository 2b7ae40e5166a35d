"""Alembic environment: always run on the connection Relief Desk hands over (see store.migrate)."""

from __future__ import annotations

from alembic import context

from desktop.models import Base
from desktop.store.grants import SERVER_ONLY_TABLES


def _ours(name: str | None, type_: str, _parents: object) -> bool:
    """Compare every table the models hold; a server's own (the login bindings) is not theirs."""
    return not (type_ == "table" and name in SERVER_ONLY_TABLES)


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
