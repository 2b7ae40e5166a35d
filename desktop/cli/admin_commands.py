"""Subcommands that look after the database itself: backup, restore, check, log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select

from desktop.cli.common import (
    EXIT_OK,
    CliContext,
    CliError,
    add_force,
    output_path,
    positive,
    print_json,
    printable,
)
from desktop.models import ChangeRecord
from desktop.roster.history import readable, reference_names, walked_back
from desktop.store.backups import backup_to, file_problem, low_space_warning, restore_from
from desktop.store.engine import check_file
from desktop.store.location import shown


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup``, ``restore``, ``check`` and ``log``."""
    p = sub.add_parser("backup", help="把数据库一致地复制到 OUT")
    p.add_argument("out", type=Path)
    add_force(p)
    p.set_defaults(run=run_backup)
    p = sub.add_parser("restore", help="用备份替换当前数据库（当前文件先另存）")
    p.add_argument("source", type=Path)
    p.set_defaults(run=run_restore)
    p = sub.add_parser("check", help="完整检查数据库（integrity_check、数据表、外键）")
    p.set_defaults(run=run_check)
    p = sub.add_parser("log", help="操作记录，最新的在前")
    p.add_argument("--limit", type=positive, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_log)


def _file(ctx: CliContext) -> Path:
    """The database file a file command (backup, restore, check) works on."""
    if ctx.db_path is None:
        raise CliError(f"数据库在服务器上（{shown(ctx.location)}），此命令只用于本机数据库文件")
    return ctx.db_path


def run_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    out = output_path(args.out, ctx, force=args.force)
    path = _file(ctx)
    ctx.db  # noqa: B018 - open (check, migrate) before copying
    warning = low_space_warning(path.expanduser())
    if warning:
        print(warning, file=sys.stderr)
    dest = backup_to(path, out, replace=args.force)
    print(f"已备份到 {dest}")
    return EXIT_OK


def run_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    path = _file(ctx)
    ctx.close()
    aside = restore_from(path.resolve(), args.source)
    kept = f"；原数据库已另存为 {aside}" if aside else ""
    print(f"已从 {args.source} 恢复到 {path}{kept}")
    if check_file(path) is not None:
        raise CliError(f"恢复后的数据库未通过检查：{path}")
    return EXIT_OK


def run_check(_args: argparse.Namespace, ctx: CliContext) -> int:
    """``check``: the full check of the database file, read only."""
    path = _file(ctx).expanduser().resolve()
    if not path.exists():
        raise CliError(f"数据库不存在：{path}")
    problem = file_problem(path)
    if problem:
        raise CliError(f"数据库未通过完整检查（{path}）：{problem}")
    print(f"数据库完整检查通过：{path}")
    return EXIT_OK


def log_record_json(r: ChangeRecord, walked: Mapping[int, str]) -> dict[str, object]:
    """One change-log line as the ``log --json`` object (an inserted row as ``walked`` holds it)."""
    return {
        "id": r.id,
        "at": r.at.isoformat(),
        "operator": r.operator,
        "source": r.source,
        "batch": r.batch_id,
        "source_row": r.source_row,
        "table": r.table_name,
        "key": r.row_key,
        "action": r.action,
        "field": r.field,
        "old": r.old_value,
        "new": walked.get(r.id, r.new_value),
    }


def run_log(args: argparse.Namespace, ctx: CliContext) -> int:
    with ctx.db.reader() as s:
        query = select(ChangeRecord).order_by(ChangeRecord.id.desc()).limit(args.limit)
        records = list(s.scalars(query))
        names = reference_names(s)
        walked = walked_back(s, records)
    if args.json:
        print_json([log_record_json(r, walked) for r in records])
        return EXIT_OK
    for r in records:
        at, operator, source, table, key, action, field, old, new = readable(r, names, walked)
        what = f"{field}：{old} → {new}" if field else f"{action} {new or old or ''}".rstrip()
        print(printable(f"{at}  {operator}  {source}  {table} {key}  {what}"))
    return EXIT_OK
