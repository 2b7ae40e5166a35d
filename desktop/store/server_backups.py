"""Backups of a database on a PostgreSQL server: ``pg_dump``'s custom format, written whole or
not at all and read back by ``pg_restore`` before it counts; the automatic ones kept by the
files' age-and-count policy in a per-user folder named after the server database; a restore
into the same database in one transaction, under the advisory locks; and the server's check.

The client tools are found on ``PATH`` or in a PostgreSQL installation's ``bin`` folder (the
newest); when they are missing, the officer is told what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from glob import glob
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from desktop.store.backups import (
    RESTORE_WAIT_SECONDS,
    backups_in,
    checked_source,
    fsync_file,
    partial_of,
    space_warning,
    stamp,
    thin,
)
from desktop.store.errors import DatabaseInUse, StoreError
from desktop.store.location import shown, without_password
from desktop.store.migrate import known_revisions, tables_at
from desktop.store.paths import server_backup_dir
from desktop.store.server import (
    BULK_LOCK,
    CONNECT_TIMEOUT_S,
    LOCK_TIMEOUT_MS,
    MIGRATION_LOCK,
    OUR_TABLES,
    advisory_lock,
    application_name,
    cannot_connect,
    make_server_engine,
    table_lock_holders,
)

DUMP_SUFFIX = ".dump"
# Where PostgreSQL installs its programs when they are not on PATH (Debian, RHEL, Windows, macOS).
SERVER_BINS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "C:/Program Files/PostgreSQL/*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)
INSTALL = (
    "请安装 PostgreSQL 客户端工具（Debian/Ubuntu：apt-get install postgresql-client；"
    "Windows：PostgreSQL 安装程序中的「Command Line Tools」），或把其 bin 文件夹加入 PATH"
)
LOCK_TIMEOUT_STATE = "55P03"
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


def client_tool(name: str) -> Path:
    """The PostgreSQL client program ``name`` (pg_dump, pg_restore, psql), else a StoreError
    saying what to install."""
    found = shutil.which(name)
    if found:
        return Path(found)
    exe = f"{name}.exe" if sys.platform == "win32" else name
    folders = [Path(f) for pattern in SERVER_BINS for f in glob(pattern)]
    for folder in sorted(folders, key=_version_of, reverse=True):
        if (folder / exe).is_file():
            return folder / exe
    raise StoreError(f"未找到 {name}，无法备份或恢复服务器上的数据库：{INSTALL}")


def _version_of(folder: Path) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", str(folder))]


def tools_missing() -> str | None:
    """What to install when ``pg_dump`` cannot be found, else None."""
    try:
        client_tool("pg_dump")
    except StoreError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class _Client:
    """How a client program reaches the database at ``url``: the password goes in its
    environment (never on a command line others can see)."""

    url: URL

    def dbname(self) -> str:
        plain = without_password(self.url).set(drivername="postgresql")
        return "--dbname=" + plain.render_as_string(hide_password=False)

    def env(self, lock_wait_seconds: float | None = None) -> dict[str, str]:
        env = dict(os.environ, PGAPPNAME=application_name())
        env["PGCONNECT_TIMEOUT"] = str(CONNECT_TIMEOUT_S)
        if self.url.password:
            env["PGPASSWORD"] = str(self.url.password)
        if lock_wait_seconds is not None:
            wait = round(lock_wait_seconds * 1000)
            env["PGOPTIONS"] = f"-c lock_timeout={wait} -c client_min_messages=warning"
        return env


def _run(
    args: list[str], what: str, env: dict[str, str] | None = None, stdin: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a client program (``args[0]`` by name); a failure is a StoreError starting ``what``."""
    command = [str(client_tool(args[0])), *args[1:]]
    result = subprocess.run(
        command,
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        check=False,
    )
    if result.returncode != 0:
        raise StoreError(f"{what}：{_reason(result.stderr)}")
    return result


def _reason(stderr: str) -> str:
    """The line of a client program's error output that says what went wrong."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    first = lines[0] if lines else "未知错误"
    return next((line for line in lines if "error" in line.lower()), first)


def dump_to(url: URL, dest: Path, *, replace: bool = False) -> Path:
    """Write a ``pg_dump`` of the database at ``url`` to ``dest`` (refused if it exists, unless
    ``replace``, and for a login that may not read every row): under a temporary name, renamed
    only once ``pg_restore`` has read all of it."""
    dest = dest.resolve()
    if dest.exists() and not replace:
        raise StoreError(f"备份目标已存在，不覆盖：{dest}")
    refused = cannot_dump(url)
    if refused:
        raise StoreError(f"{refused}；未写出备份 {dest}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_of(dest)
    partial.unlink(missing_ok=True)  # left by a backup that was killed
    client = _Client(url)
    try:
        _run(
            ["pg_dump", "--format=custom", f"--lock-wait-timeout={LOCK_TIMEOUT_MS}",
             f"--file={partial}", client.dbname()],
            f"备份失败，未写出备份 {dest}",
            client.env(),
        )  # fmt: skip
        problem = dump_problem(partial)
        if problem:
            raise StoreError(f"备份副本未通过检查（{problem}），未写出备份 {dest}")
        fsync_file(partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest


def _tables_in(dump: Path) -> set[str]:
    """The tables a dump holds (its table of contents)."""
    toc = _run(["pg_restore", "--list", str(dump)], "无法读取").stdout
    return {m[2] for line in toc.splitlines() if (m := _TOC_TABLE.match(line))}


def _revision_in(dump: Path) -> str | None:
    """The Alembic revision a dump's ``alembic_version`` holds."""
    script = _run(
        ["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(dump)], "无法读取"
    ).stdout
    lines = iter(script.splitlines())
    for line in lines:
        if line.startswith("COPY "):
            value = next(lines, "\\.")
            return None if value == "\\." else value.strip()
    return None


def dump_problem(dump: Path) -> str | None:
    """``None`` when ``dump`` is a whole ``pg_dump`` of a Relief Desk database at a known
    revision (every table there, every byte readable), else what it is instead."""
    try:
        tables = _tables_in(dump)
    except StoreError:
        return "不是 pg_dump 的备份文件（自定义格式）"
    if not tables >= OUR_TABLES:
        return "不是 Relief Desk 数据库的备份"
    revision = _revision_in(dump)
    if revision is None:
        return "没有版本记录"
    if revision not in known_revisions():
        return f"由更新版本的程序创建（版本 {revision}）"
    missing = sorted(tables_at(revision) - tables)
    if missing:
        return f"缺少数据表 {'、'.join(missing)}"
    try:
        _run(["pg_restore", f"--file={os.devnull}", str(dump)], "无法完整读取")
    except StoreError as exc:
        return str(exc)
    return None


def list_dumps(url: URL) -> list[Path]:
    """The automatic backups of the database at ``url``, newest first."""
    return backups_in(server_backup_dir(url), DUMP_SUFFIX)


# Who may dump every row: row-level security hides other units' rows from everyone else, and
# pg_dump refuses to make a partial copy.
WHOLE_READER = (
    "SELECT rolsuper OR rolbypassrls OR pg_has_role(session_user, (SELECT datdba FROM "
    "pg_database WHERE datname = current_database()), 'MEMBER') FROM pg_roles "
    "WHERE rolname = session_user"
)
PARTIAL_READER = "本账号只能读取本单位的数据，不能备份整个数据库（由数据库所有者用 pg_dump 备份）"


def cannot_dump(url: URL) -> str | None:
    """Why this login cannot back up the whole database at ``url`` (None when it can)."""
    engine = make_server_engine(url)
    try:
        with engine.connect() as conn:
            whole = bool(conn.execute(text(WHOLE_READER)).scalar())
    except OperationalError as exc:
        raise cannot_connect(url, exc) from exc
    finally:
        engine.dispose()
    return None if whole else PARTIAL_READER


def auto_dump(url: URL, reason: str, keep: int, *, required: bool = False) -> Path | None:
    """Back up before a risky step (``reason`` names it), old copies thinned as the files' are.
    When ``pg_dump`` is not installed, or this login may not read every row: None, taking none
    (:func:`backup_warning` said so), or, when the backup is ``required`` (asked for by the
    officer), a StoreError saying why."""
    if not required and (tools_missing() or cannot_dump(url)):
        return None
    dest = dump_to(url, server_backup_dir(url) / f"{stamp()}-{reason}{DUMP_SUFFIX}")
    thin(list_dumps(url), keep)
    return dest


def backup_warning(url: URL, size: int, *, automatic: bool = True) -> str | None:
    """Before a backup of ``size`` bytes: before an ``automatic`` one, what to install when
    ``pg_dump`` is missing (it is then skipped); else a low-space warning."""
    missing = (tools_missing() or cannot_dump(url)) if automatic else None
    if missing:
        return f"{missing}；在此之前不做自动备份"
    folder = server_backup_dir(url)
    while not folder.is_dir():
        folder = folder.parent
    return space_warning(folder, size)


def restore_dump(url: URL, dump: Path, *, wait_seconds: float = RESTORE_WAIT_SECONDS) -> Path:
    """Put the content of ``dump`` in place of the database at ``url``, in one transaction,
    holding the migration and bulk locks; returns the backup of what it replaced. An open
    transaction of another program is waited for ``wait_seconds``, then the restore is
    refused naming it, with the database unchanged."""
    dump = checked_source(dump, dump_problem)
    engine = make_server_engine(url)
    try:
        with (
            engine.connect() as conn,
            advisory_lock(conn, "恢复", MIGRATION_LOCK, wait_seconds),
            advisory_lock(conn, "恢复", BULK_LOCK, wait_seconds),
        ):
            aside = dump_to(url, server_backup_dir(url) / f"{stamp()}-replaced{DUMP_SUFFIX}")
            _load(conn, url, dump, wait_seconds)
    except OperationalError as exc:
        raise cannot_connect(url, exc) from exc
    finally:
        engine.dispose()
    return aside


def _load(conn: Connection, url: URL, dump: Path, wait_seconds: float) -> None:
    """Replace the tables by the dump's in one transaction (``pg_restore``'s script run by
    ``psql``): first every present table locked (waiting ``wait_seconds``), then dropped with
    what depends on it (a later migration's tables and row-level security policies reach across
    tables, which the dump's own drops would trip over)."""
    present = sorted(inspect(conn).get_table_names())
    quote = conn.dialect.identifier_preparer.quote
    prelude = f"LOCK TABLE {', '.join(map(quote, present))} IN ACCESS EXCLUSIVE MODE;"
    prelude += "".join(f"DROP TABLE IF EXISTS {quote(t)} CASCADE;" for t in present)
    client = _Client(url)
    script = subprocess.Popen(
        [str(client_tool("pg_restore")), "--clean", "--if-exists", "--file=-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # its errors are psql's: the script stops short
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
    )
    assert script.stdout is not None
    try:
        _run(
            ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
             "--set=VERBOSITY=verbose", f"--command={prelude}", "--file=-", client.dbname()],
            "恢复失败，数据库未改动",
            client.env(wait_seconds),
            stdin=script.stdout.fileno(),
        )  # fmt: skip
    except StoreError as exc:
        if LOCK_TIMEOUT_STATE in str(exc):
            raise DatabaseInUse(shown(url), table_lock_holders(conn), wait_seconds) from exc
        raise
    finally:
        script.stdout.close()
        script.wait()


def check_server(url: URL) -> str:
    """The check of the database at ``url`` (a connection, its version and tables, and, when
    the ``amcheck`` extension is installed, every index); what was checked, else a StoreError."""
    engine = make_server_engine(url)
    try:
        with engine.connect() as conn:
            checked = _check(conn)
    except OperationalError as exc:
        raise cannot_connect(url, exc) from exc
    finally:
        engine.dispose()
    return f"数据库检查通过：{shown(url)}（{checked}）"


def _check(conn: Connection) -> str:
    url = shown(conn.engine.url)
    tables = set(inspect(conn).get_table_names())
    if not tables >= OUR_TABLES:
        raise StoreError(f"{url} 不是 Relief Desk 数据库")
    revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    if revision not in known_revisions():
        raise StoreError(f"数据库未通过检查（{url}）：版本 {revision} 不是本程序的")
    missing = sorted(tables_at(str(revision)) - tables)
    if missing:
        raise StoreError(f"数据库未通过检查（{url}）：缺少数据表 {'、'.join(missing)}")
    checked = f"连接、版本 {revision}、数据表 {len(tables) - 1} 张"
    if conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")) is None:
        return f"{checked}；服务器未安装 amcheck 扩展，未检查索引"
    try:
        indexes = conn.execute(text(_CHECK_INDEXES)).all()
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        raise StoreError(f"数据库未通过索引检查（{url}，amcheck）：{reason}") from exc
    return f"{checked}、索引 {len(indexes)} 个（amcheck）"


_CHECK_INDEXES = (
    "SELECT bt_index_check(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "JOIN pg_am am ON am.oid = c.relam "
    "WHERE am.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace"
)
