"""Open a Relief Desk database: check, back up, migrate, and hand out attributed sessions."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.models import Enterprise
from desktop.store import changelog
from desktop.store.backups import auto_backup, newest_backup
from desktop.store.engine import check_file, make_engine, reads_of
from desktop.store.errors import DatabaseDamaged, StoreError
from desktop.store.migrate import (
    SCRIPT_LOCATION,
    alembic_config,
    head_revision,
    needs_upgrade,
    run_migration,
)
from desktop.store.settings import DEFAULTS, get_setting

OPERATOR_ENV = "RELIEF_DESK_OPERATOR"


class AuditedSession(Session):
    """A session whose flushes are written to the change log."""


event.listen(AuditedSession, "after_flush", changelog.after_flush)


@dataclass
class Database:
    """An open database file: its engine, the operator, and attributed sessions."""

    path: Path
    engine: Engine
    operator: str

    def __post_init__(self) -> None:
        self.reads = reads_of(self.engine)  # deferred, query_only: never takes the write lock
        self._sessions = sessionmaker(self.engine, class_=AuditedSession, expire_on_commit=False)
        self._readers = sessionmaker(self.reads, class_=AuditedSession, expire_on_commit=False)

    @contextmanager
    def session(self, source: str = "window", batch_id: int | None = None) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            session.info[changelog.AUDIT_KEY] = changelog.AuditContext(
                self.operator, source, batch_id
            )
            yield session

    def reader(self) -> Session:
        """A session for reading only (the caller closes it); it cannot write."""
        return self._readers()

    def audit(self, source: str, batch_id: int | None = None) -> changelog.AuditContext:
        """The attribution for a bulk write by this operator."""
        return changelog.AuditContext(self.operator, source, batch_id)

    def backup_keep(self) -> int:
        """How many automatic backups to keep (setting ``backup_keep``)."""
        with self.reader() as s:
            return max(1, int(get_setting(s, "backup_keep") or 20))

    def backup(self, reason: str) -> Path | None:
        """An automatic backup before a risky step."""
        return auto_backup(self.path, reason, self.backup_keep())

    def enterprise_count(self) -> int:
        """How many enterprises the roster holds."""
        with self.reader() as s:
            return s.scalar(select(func.count(Enterprise.id))) or 0

    def close(self) -> None:
        """Release every connection (before a restore, or at exit)."""
        self.engine.dispose()


def resolve_operator(explicit: str | None, saved: str) -> str:
    """``--operator``, else ``$RELIEF_DESK_OPERATOR``, else the saved setting, else the login."""
    for candidate in (explicit, os.environ.get(OPERATOR_ENV), saved):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def open_database(
    path: Path | str, operator: str | None = None, *, migrations: Path = SCRIPT_LOCATION
) -> Database:
    """Open (creating and migrating when needed) the database at ``path``.

    A damaged file is refused with :class:`DatabaseDamaged` before anything writes to it;
    a backup is taken before any migration of a file that already holds data.
    """
    path = Path(path).expanduser().resolve()
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        problem = check_file(path)
        if problem:
            raise DatabaseDamaged(path, problem, newest_backup(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据目录 {path.parent}：{exc}") from exc
    engine = make_engine(path)
    config = alembic_config(migrations)
    if needs_upgrade(engine, config):
        if existed:
            auto_backup(path, "before-migration", int(DEFAULTS["backup_keep"]))
        run_migration(engine, config, head_revision(config) or "head")
    db = Database(path, engine, "")
    with db.reader() as s:
        db.operator = resolve_operator(operator, get_setting(s, "operator"))
    return db
