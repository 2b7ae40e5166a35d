"""Users of a database on a PostgreSQL server: logins with a role (county, city, admin) and, for
a county login, its county-level unit (TEAM.md "Who may do what"); the grants and policies of
migration 0009 (:mod:`desktop.store.grants`) are what enforce them. On a SQLite file there are
no users: whoever opens it is admin.

A refused write (a missing grant, a row-level security policy) reaches the officer as one
:class:`~desktop.store.errors.NotPermitted` naming what was refused and the login's unit
(:func:`refusal`, raised by the server engine's error listener).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from desktop.models import County, table_label, utcnow
from desktop.store.errors import StoreError
from desktop.store.grants import LOGIN_TABLE, Role

if TYPE_CHECKING:
    from desktop.store.database import Database

NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
RESERVED_PREFIXES = ("pg_", "relief_")  # PostgreSQL's own roles, and our groups
NO_USERS = "本机数据库文件没有用户：打开它的人都是管理员（用户和角色只用于服务器上的数据库）"
UNCHANGED = "数据库未改动"


@dataclass(frozen=True)
class Login:
    """A login of this database: its role, its unit (a county login's) and whether it may log in."""

    name: str
    role: Role
    unit: str | None = None
    enabled: bool = True

    def described(self) -> str:
        """「wang（县级，忻府区）」."""
        unit = f"，{self.unit}" if self.unit else ""
        return f"{self.name}（{self.role.label}{unit}）"


def _on_server(db: Database) -> None:
    if not db.on_server:
        raise StoreError(NO_USERS)


def _login(row: Any) -> Login:
    name, role, unit, enabled = row
    return Login(name, Role(role), unit, bool(enabled))


LOGINS = (
    f"SELECT l.login, l.role, c.name, l.enabled AND coalesce(r.rolcanlogin, false) "
    f"FROM {LOGIN_TABLE} l LEFT JOIN county c ON c.id = l.county_id "
    "LEFT JOIN pg_roles r ON r.rolname = l.login"
)


def login_of(conn: Connection) -> Login | None:
    """The login ``conn`` is connected as, as this database binds it (None when not bound)."""
    row = conn.execute(text(f"{LOGINS} WHERE l.login = session_user")).first()
    return _login(row) if row else None


OWNS = (
    "SELECT rolsuper OR pg_has_role(session_user, (SELECT datdba FROM pg_database "
    "WHERE datname = current_database()), 'MEMBER') FROM pg_roles WHERE rolname = session_user"
)


def current_login(db: Database) -> Login | None:
    """Who is working: on a server the login and its binding (the database's owner, bound or
    not, may do everything: admin), None for a login not bound here; on a file, admin."""
    if not db.on_server:
        return Login(db.operator, Role.ADMIN)
    with db.reader() as s:
        conn = s.connection()
        found = login_of(conn)
        if found is None and conn.execute(text(OWNS)).scalar_one():
            return Login(str(conn.execute(text("SELECT session_user")).scalar_one()), Role.ADMIN)
    return found


def list_users(db: Database) -> list[Login]:
    """Every login bound to this database, by name."""
    _on_server(db)
    with db.reader() as s:
        return [_login(row) for row in s.execute(text(f"{LOGINS} ORDER BY l.login"))]


def _checked_name(name: str) -> str:
    if not NAME.fullmatch(name) or name.startswith(RESERVED_PREFIXES):
        raise StoreError(
            f"登录名「{name}」无法使用：应为小写英文字母开头，只含小写字母、数字和下划线"
            "（至多 63 个），且不以 pg_ 或 relief_ 开头"
        )
    return name


def _county_id(conn: Connection, role: Role, county: str | None) -> int | None:
    """The unit of a county login (required), none for the others (refused if given)."""
    if role is not Role.COUNTY:
        if county:
            raise StoreError(f"{role.label}账号不属于某个县级单位，不要给出 --county")
        return None
    if not county:
        raise StoreError("县级账号须用 --county 指明所属县（市、区）")
    found = conn.execute(text("SELECT id FROM county WHERE name = :n"), {"n": county}).first()
    if found is None:
        names = "、".join(conn.execute(text(f"SELECT name FROM {County.__tablename__}")).scalars())
        raise StoreError(f"「{county}」不是忻州市的县级单位（可选：{names}）")
    return int(found[0])


def _quoted(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _encrypted(conn: Connection, name: str, password: str) -> str:
    """The password as the server stores it (SCRAM or md5, as it is set to): only that travels."""
    pgconn = conn.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    return bytes(pgconn.encrypt_password(password.encode(), name.encode())).decode()


def add_user(db: Database, name: str, role: Role, county: str | None, password: str) -> Login:
    """Create the login ``name`` with ``password``, a member of ``role``'s group, bound to its
    unit in this database; all in one transaction (nothing is left half-made)."""
    _on_server(db)
    _checked_name(name)
    if not password:
        raise StoreError("密码不能为空")
    with db.session(source="command") as s:
        conn = s.connection()
        county_id = _county_id(conn, role, county)
        taken = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
        if taken.first():
            raise StoreError(f"服务器上已有登录名「{name}」（登录名是整个服务器共用的），请换一个")
        quoted = _quoted(conn, name)
        secret = conn.execute(
            text("SELECT quote_literal(:p)"), {"p": _encrypted(conn, name, password)}
        ).scalar_one()
        # An admin adds users: CREATEROLE, and the groups to give with ADMIN OPTION (PostgreSQL
        # 16 asks for it). Being a member of the county and city groups gives it nothing more:
        # their policies ask for a binding of that role.
        extra = " CREATEROLE" if role is Role.ADMIN else ""
        conn.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN{extra} PASSWORD {secret}")
        conn.exec_driver_sql(f"GRANT {role.group} TO {quoted}")
        if role is Role.ADMIN:
            groups = ", ".join(r.group for r in Role)
            conn.exec_driver_sql(f"GRANT {groups} TO {quoted} WITH ADMIN OPTION")
        conn.execute(
            text(
                f"INSERT INTO {LOGIN_TABLE} (login, role, county_id, enabled, created_at, "
                "created_by) VALUES (:login, :role, :county, true, :at, :by)"
            ),
            dict(login=name, role=role.value, county=county_id, at=utcnow(), by=db.operator),
        )
        return login_of_name(conn, name)


def login_of_name(conn: Connection, name: str) -> Login:
    """The login ``name`` bound to this database, or a refusal saying there is none."""
    row = conn.execute(text(f"{LOGINS} WHERE l.login = :n"), {"n": name}).first()
    if row is None:
        raise StoreError(f"本数据库没有用户「{name}」（users list 列出全部用户）")
    return _login(row)


def disable_user(db: Database, name: str) -> Login:
    """Take the login ``name`` off: it may no longer log in (NOLOGIN), and its binding is marked
    disabled (who, when), so a session still open sees no row of its unit either."""
    _on_server(db)
    with db.session(source="command") as s:
        conn = s.connection()
        login_of_name(conn, name)
        if conn.execute(text("SELECT session_user")).scalar_one() == name:
            raise StoreError(f"不能停用当前登录的账号「{name}」；{UNCHANGED}")
        conn.exec_driver_sql(f"ALTER ROLE {_quoted(conn, name)} NOLOGIN")
        conn.execute(
            text(
                f"UPDATE {LOGIN_TABLE} SET enabled = false, disabled_at = :at, disabled_by = :by "
                "WHERE login = :n"
            ),
            {"at": utcnow(), "by": db.operator, "n": name},
        )
        return login_of_name(conn, name)


_TABLE = re.compile(r'(?:for table|on table) "?([A-Za-z_][A-Za-z0-9_]*)"?')
_ROLES = re.compile(r"\brole\b")  # creating, altering or granting a role: managing users


def refusal(login: Login | None, session_user: str, message: str, statement: str) -> str:
    """The officer's sentence for a write the server refused (SQLSTATE 42501): what was refused,
    by which login of which unit; the transaction was rolled back."""
    who = login.described() if login else f"{session_user}（未在本数据库登记角色）"
    found = _TABLE.search(message)
    what = table_label(found[1]) if found else ""
    if "row-level security" in message:
        if login and login.role is Role.COUNTY:
            return f"本账号 {who}只能写入{login.unit}的{what}，这一条属于其他单位；{UNCHANGED}"
        return f"本账号 {who}不能写入这一条{what}；{UNCHANGED}"
    if found:
        verb = "读取" if statement.lstrip().upper().startswith("SELECT") else "修改"
        return f"本账号 {who}无权{verb}{what}；{UNCHANGED}"
    if _ROLES.search(message):
        return f"本账号 {who}无权管理用户（只有管理员账号可以）；{UNCHANGED}"
    reason = message.strip().splitlines()[0] if message.strip() else "权限不足"
    return f"本账号 {who}无权这样做：{reason}；{UNCHANGED}"


def hidden_duplicate(login: Login, table: str) -> str:
    """The sentence for a county login's write refused as a duplicate: the row it would add is
    there already, most likely in a unit this login may neither see nor change (the server
    names no key to a login under row security)."""
    return (
        f"本账号 {login.described()}要写入的{table_label(table)}已经存在，"
        f"它属于其他单位（本账号看不到也不能修改），或刚由别人写入；{UNCHANGED}"
    )
