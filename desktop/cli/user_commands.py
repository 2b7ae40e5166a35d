"""``users``: the logins of a database on a PostgreSQL server and their roles (TEAM.md).

The password of ``users add`` is never an argument (it would stay in the shell's history and
show in the process list): it is ``$RELIEF_DESK_PASSWORD``, else asked for twice at the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from desktop.cli.common import EXIT_OK, CliContext, CliError, printable
from desktop.store.grants import Role
from desktop.store.location import shown
from desktop.store.roles import NO_USERS, Login, add_user, disable_user, list_users

PASSWORD_ENV = "RELIEF_DESK_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``users add``, ``users list`` and ``users disable``."""
    p = sub.add_parser("users", help="服务器数据库的用户和角色")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser(
        "add", help=f"添加用户（密码取自环境变量 {PASSWORD_ENV}，否则在终端输入）"
    )
    a.add_argument("name", help="登录名：小写字母开头，只含小写字母、数字和下划线")
    a.add_argument("--role", required=True, choices=[r.value for r in Role])
    a.add_argument("--county", help="县级账号所属的县（市、区）")
    a.set_defaults(run=run_add)
    a = actions.add_parser("list", help="列出用户")
    a.set_defaults(run=run_list)
    a = actions.add_parser("disable", help="停用用户（不能再登录）")
    a.add_argument("name")
    a.set_defaults(run=run_disable)


def _on_server(ctx: CliContext) -> None:
    if ctx.db_path is not None:
        raise CliError(NO_USERS)


def _password() -> str:
    """``$RELIEF_DESK_PASSWORD``, else typed twice at the terminal."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise CliError(f"需要新用户的密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行以输入")
    first = getpass.getpass("新用户的密码：")
    if first != getpass.getpass("再输入一次："):
        raise CliError("两次输入的密码不一致，未添加用户")
    return first


def _line(login: Login) -> str:
    state = "启用" if login.enabled else "已停用"
    return printable("  ".join((login.name, login.role.label, login.unit or "—", state)))


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    _on_server(ctx)
    added = add_user(ctx.db, args.name, Role(args.role), args.county, _password())
    where = shown(ctx.location).split("@", 1)[-1]
    print(printable(f"已添加用户 {added.described()}；连接：postgresql://{added.name}@{where}"))
    return EXIT_OK


def run_list(_args: argparse.Namespace, ctx: CliContext) -> int:
    _on_server(ctx)
    print("登录名  角色  所属单位  状态")
    for login in list_users(ctx.db):
        print(_line(login))
    return EXIT_OK


def run_disable(args: argparse.Namespace, ctx: CliContext) -> int:
    _on_server(ctx)
    login = disable_user(ctx.db, args.name)
    print(printable(f"已停用用户 {login.described()}：不能再登录"))
    return EXIT_OK
