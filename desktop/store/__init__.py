"""Storage: the SQLite file, its migrations, backups, settings and the change log (no Qt)."""

from desktop.store.database import Database, open_database
from desktop.store.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseInUse,
    NotOurDatabase,
    NotPermitted,
    RowChanged,
    StoreError,
)

__all__ = [
    "Database",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseInUse",
    "NotOurDatabase",
    "NotPermitted",
    "RowChanged",
    "StoreError",
    "open_database",
]
