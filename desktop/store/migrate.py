"""Alembic migrations shipped in the package, run on open (on SQLite with foreign keys off)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect
from sqlalchemy.pool import NullPool

from desktop.store.engine import reads_of
from desktop.store.errors import DatabaseNewer, StoreError

SCRIPT_LOCATION = Path(__file__).with_name("migrations")


def alembic_config(script_location: Path = SCRIPT_LOCATION) -> Config:
    """An Alembic config for the shipped migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` for a new, empty file)."""
    with reads_of(engine).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(config: Config) -> str | None:
    """The newest revision shipped."""
    return ScriptDirectory.from_config(config).get_current_head()


def known_revisions(config: Config | None = None) -> frozenset[str]:
    """Every revision shipped (a file at any of them is one this program can open)."""
    script = ScriptDirectory.from_config(config or alembic_config())
    return frozenset(r.revision for r in script.walk_revisions())


def refuse_newer(revision: str | None, known: frozenset[str]) -> None:
    """Raise :class:`DatabaseNewer` for a revision this program does not ship."""
    if revision is not None and revision not in known:
        raise DatabaseNewer(
            f"数据库由更新版本的程序创建（版本 {revision}），请升级本程序后再打开；未作任何改动"
        )


def needs_upgrade(engine: Engine, config: Config) -> bool:
    """True when the database is behind the shipped head; refuses one from a newer release."""
    current = current_revision(engine)
    refuse_newer(current, known_revisions(config))
    return current != head_revision(config)


def run_migration(engine: Engine, config: Config, target: str, *, downgrade: bool = False) -> None:
    """Upgrade (or downgrade) to ``target`` with foreign keys off, then check every reference.

    With foreign keys on, a batch migration that recreates a parent table deletes its
    children's rows through ON DELETE CASCADE, silently; so they are off while it runs.
    """
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":  # PostgreSQL alters tables in place, checking as it goes
            _run(conn, config, target, downgrade=downgrade)
            return
        # On the driver connection, outside any transaction: inside one SQLite ignores it.
        driver = conn.connection.driver_connection
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            _run(conn, config, target, downgrade=downgrade, check=_foreign_key_check)
        finally:
            driver.execute("PRAGMA foreign_keys=ON")


def _run(
    conn: Connection,
    config: Config,
    target: str,
    *,
    downgrade: bool,
    check: Callable[[Connection], None] | None = None,
) -> None:
    """Alembic's upgrade (or downgrade) on ``conn``, then ``check``, in one transaction."""
    try:
        config.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(config, target)
        if check is not None:
            check(conn)
        conn.commit()
    finally:
        conn.rollback()


def _foreign_key_check(conn: Connection) -> None:
    """Refuse a SQLite migration that left a reference broken (rolled back by the caller)."""
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise StoreError(f"数据库升级后发现 {len(broken)} 处无效引用（{broken[0][0]}），未升级")


@cache
def tables_at(revision: str) -> frozenset[str]:
    """The tables a database at ``revision`` has: the shipped migrations run up to it on an empty
    scratch file (a backup taken before an upgrade is whole with fewer tables than the head)."""
    with tempfile.TemporaryDirectory(prefix="relief-desk-schema-") as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'schema.sqlite3'}", poolclass=NullPool)
        try:
            run_migration(engine, alembic_config(), revision)
            return frozenset(inspect(engine).get_table_names()) - {"alembic_version"}
        finally:
            engine.dispose()
