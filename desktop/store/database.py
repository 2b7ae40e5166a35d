"""Open a Relief Desk database (a SQLite file or on a PostgreSQL server): check, back up,
migrate, and hand out attributed sessions."""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desktop.models import Enterprise
from desktop.oserrors import os_error_text
from desktop.store import changelog, safekeeping, versions
from desktop.store.backups import auto_backup, newest_backup
from desktop.store.engine import cannot_open, check_file, make_engine, reads_of
from desktop.store.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseInUse,
    NotOurDatabase,
    StoreError,
)
from desktop.store.holders import holders
from desktop.store.identity import MARK, Identity, Kind, identify, revision_of
from desktop.store.location import Location, parse_location, shown
from desktop.store.migrate import (
    SCRIPT_LOCATION,
    alembic_config,
    head_revision,
    known_revisions,
    needs_upgrade,
    refuse_newer,
    run_migration,
)
from desktop.store.server import (
    ServerKind,
    advisory_lock,
    cannot_connect,
    make_server_engine,
    server_kind,
)
from desktop.store.settings import DEFAULTS, get_setting
from desktop.store.wal import stray_wal

OPERATOR_ENV = "RELIEF_DESK_OPERATOR"


class AuditedSession(Session):
    """A session whose flushes are written to the change log."""


event.listen(AuditedSession, "after_flush", changelog.after_flush)
event.listen(AuditedSession, "before_flush", versions.remember_saves)


@dataclass
class Database:
    """An open database, a SQLite file (``path``) or on a server (``url``): its engine, the
    operator, and attributed sessions."""

    path: Path | None
    engine: Engine
    operator: str
    url: URL | None = None

    def __post_init__(self) -> None:
        self.reads = reads_of(self.engine)  # deferred, query_only: never takes the write lock
        self._sessions = sessionmaker(self.engine, class_=AuditedSession, expire_on_commit=False)
        self._readers = sessionmaker(self.reads, class_=AuditedSession, expire_on_commit=False)

    @contextmanager
    def session(self, source: str = "window", batch_id: int | None = None) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error (a save
        over a row saved meanwhile by :class:`RowChanged`, saying who and what)."""
        with self._sessions() as session:
            try:
                with session.begin():
                    session.info[changelog.AUDIT_KEY] = changelog.AuditContext(
                        self.operator, source, batch_id
                    )
                    yield session
            except StaleDataError as exc:
                raise versions.refusal(self.reads, session) from exc

    def reader(self) -> Session:
        """A session for reading only (the caller closes it); it cannot write."""
        return self._readers()

    def audit(self, source: str, batch_id: int | None = None) -> changelog.AuditContext:
        """The attribution for a bulk write by this operator."""
        return changelog.AuditContext(self.operator, source, batch_id)

    def backup_keep(self) -> int:
        """How many automatic backups to keep (setting ``backup_keep``)."""
        with self.reader() as s:
            return max(1, int(get_setting(s, "backup_keep") or DEFAULTS["backup_keep"]))

    @property
    def on_server(self) -> bool:
        """True on a PostgreSQL server, False on a SQLite file."""
        return self.url is not None

    @property
    def where(self) -> str:
        """The file or the server (without its password), as the officer is shown it."""
        return shown(self.location)

    @property
    def location(self) -> Location:
        """The file or the server's URL."""
        return self.url if self.url is not None else self.file

    @property
    def file(self) -> Path:
        """The SQLite file; for what only a file has (a server has no path)."""
        if self.path is None:
            raise StoreError(f"数据库在服务器上（{self.where}），没有本机文件")
        return self.path

    def backup(self, reason: str, *, required: bool = False) -> Path | None:
        """An automatic backup before a risky step (``reason``: before-import, before-undo,
        manual), kept by age and count; None when none was taken (a new, empty file; a server
        without ``pg_dump``, which :meth:`backup_warning` names, unless ``required``)."""
        keep = self.backup_keep()
        return safekeeping.auto_backup(self.location, reason, keep, required=required)

    def backup_to(self, out: Path, *, replace: bool = False) -> Path:
        """A checked, consistent copy of the database at ``out``."""
        return safekeeping.backup_to(self.location, out, replace=replace)

    def backups(self) -> list[Path]:
        """The automatic backups, newest first."""
        return safekeeping.list_backups(self.location)

    def backup_warning(self, *, automatic: bool = True) -> str | None:
        """What to know before a backup: the disk nearly full, or (before an ``automatic``
        one, on a server) no ``pg_dump`` to take it."""
        return safekeeping.backup_warning(self.location, self.size(), automatic=automatic)

    def size(self) -> int:
        """Bytes the database takes (the file, or the server's count)."""
        if self.path is None:
            with self.reader() as s:
                return int(
                    s.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
                )
        return self.path.stat().st_size

    def check(self) -> str:
        """The full check (what passed), else a StoreError saying what failed."""
        return safekeeping.check(self.location)

    def restore(self, source: Path) -> Path | None:
        """Close the database and put the backup ``source`` in its place (open it again to go
        on); returns where what it replaced was kept."""
        self.close()
        return safekeeping.restore(self.location, source)

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
    where: Path | str | URL,
    operator: str | None = None,
    *,
    migrations: Path = SCRIPT_LOCATION,
    create: bool = True,
) -> Database:
    """Open the database at ``where``, a file's path or a server's URL, migrating it when needed."""
    location = where if isinstance(where, URL) else parse_location(where)
    if isinstance(location, URL):
        return _open_server(location, operator, migrations)
    return _open_file(location, operator, migrations, create=create)


def _open_file(path: Path, operator: str | None, migrations: Path, *, create: bool) -> Database:
    """Open the SQLite file at ``path``.

    Only a path where nothing exists creates a new database (and only with ``create``).
    Anything else must be a Relief Desk file (our application id, or our tables at a known
    revision) or is refused unchanged saying what it is; a damaged one is refused with
    :class:`DatabaseDamaged` before anything writes to it. A file that held data is backed
    up before any migration, which runs under the exclusive lock.
    """
    path = path.expanduser().resolve()
    config = alembic_config(migrations)
    identity = _identify(path, known_revisions(config))
    if identity.kind is Kind.MISSING:
        if not create:
            raise StoreError(f"数据库不存在：{path}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据目录 {path.parent}：{exc}") from exc
    elif identity.kind is not Kind.OURS:
        raise NotOurDatabase(f"{identity.refusal()}；未作任何改动")
    else:
        problem = check_file(path)
        stray = stray_wal(path, problem)
        if stray:
            raise NotOurDatabase(stray)
        if problem:
            raise DatabaseDamaged(path, problem, newest_backup(path))
        refuse_newer(revision_of(path), known_revisions(config))
    engine = make_engine(path)
    try:
        _migrate(engine, path, config, existed=identity.kind is Kind.OURS)
        if not identity.marked:
            _mark(engine)
    except sqlite3.OperationalError as exc:
        engine.dispose()
        raise StoreError(cannot_open(path, exc)) from exc
    except BaseException:
        engine.dispose()
        raise
    db = Database(path, engine, "")
    with db.reader() as s:
        db.operator = resolve_operator(operator, get_setting(s, "operator"))
    return db


def _open_server(url: URL, operator: str | None, migrations: Path) -> Database:
    """Open the database on the server at ``url``: a new (empty) one gets our tables, one of
    ours is migrated when behind, under the migration lock; another program's is refused."""
    config = alembic_config(migrations)
    engine = make_server_engine(url)
    try:
        with engine.connect() as conn:
            kind = server_kind(conn)
            if kind is ServerKind.FOREIGN:
                raise NotOurDatabase(
                    f"服务器上的数据库 {shown(url)} 已有其他程序的表，"
                    "不是 Relief Desk 数据库；未作任何改动"
                )
            if needs_upgrade(engine, config):
                with advisory_lock(conn, "升级"):
                    if kind is ServerKind.OURS:  # it holds data: backed up first, as a file is
                        keep = int(DEFAULTS["backup_keep"])
                        safekeeping.auto_backup(url, "before-migration", keep)
                    run_migration(engine, config, head_revision(config) or "head")
    except OperationalError as exc:
        engine.dispose()
        raise cannot_connect(url, exc) from exc
    except BaseException:
        engine.dispose()
        raise
    db = Database(None, engine, "", url=url)
    db.operator = resolve_operator(operator, "") if operator else _login_of(db)
    return db


def _login_of(db: Database) -> str:
    """On a server the change log names the login (the saved setting is the whole team's);
    ``$RELIEF_DESK_OPERATOR`` still wins."""
    with db.reader() as s:
        login = s.execute(text("SELECT current_user")).scalar_one()
    return resolve_operator(None, str(login))


def _identify(path: Path, known: frozenset[str]) -> Identity:
    try:
        return identify(path, known)
    except OSError as exc:
        raise StoreError(f"无法读取数据库文件 {path}：{os_error_text(exc)}") from exc


def _migrate(engine: Engine, path: Path, config: Config, *, existed: bool) -> None:
    """Bring the file to the shipped head: a backup first (when it held data), then the
    migration on a connection holding the exclusive lock, released when it closes."""
    if not needs_upgrade(engine, config):
        return
    if existed:
        auto_backup(path, "before-migration", int(DEFAULTS["backup_keep"]))
    engine.dispose()  # its pooled connection would hold the lock the migration waits for
    exclusive = make_engine(path, exclusive=True)
    try:
        run_migration(exclusive, config, head_revision(config) or "head")
    except DatabaseBusy as exc:
        raise DatabaseInUse(path, holders(path), exc.waited_seconds, "升级") from exc
    finally:
        exclusive.dispose()


def _mark(engine: Engine) -> None:
    """Set our application id, in a write transaction of its own."""
    with engine.begin() as conn:
        conn.exec_driver_sql(MARK)
