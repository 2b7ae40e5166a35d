"""Storage: the SQLite file, its migrations, backups, settings and the change log (no Qt)."""

from desktop.store.database import Database, open_database
from desktop.store.errors import DatabaseDamaged, StoreError

__all__ = ["Database", "DatabaseDamaged", "StoreError", "open_database"]
