"""Subcommands that look after the database itself: backup, restore, log."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from desktop.cli.common import EXIT_OK, CliContext, CliError, positive, print_json, printable
from desktop.models import ChangeRecord
from desktop.roster.history import readable, reference_names
from desktop.store.backups import backup_to, restore_from
from desktop.store.engine import check_file


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup``, ``restore`` and ``log``."""
    p = sub.add_parser("backup", help="把数据库一致地复制到 OUT")
    p.add_argument("out", type=Path)
    p.set_defaults(run=run_backup)
    p = sub.add_parser("restore", help="用备份替换当前数据库（当前文件先另存）")
    p.add_argument("source", type=Path)
    p.set_defaults(run=run_restore)
    p = sub.add_parser("log", help="操作记录，最新的在前")
    p.add_argument("--limit", type=positive, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_log)


def run_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.db  # noqa: B018 - open (check, migrate) before copying
    dest = backup_to(ctx.db_path, args.out)
    print(f"已备份到 {dest}")
    return EXIT_OK


def run_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.close()
    aside = restore_from(ctx.db_path.resolve(), args.source)
    kept = f"；原数据库已另存为 {aside}" if aside else ""
    print(f"已从 {args.source} 恢复到 {ctx.db_path}{kept}")
    if check_file(ctx.db_path) is not None:
        raise CliError(f"恢复后的数据库未通过检查：{ctx.db_path}")
    return EXIT_OK


def log_record_json(r: ChangeRecord) -> dict[str, object]:
    """One change-log line as the ``log --json`` object."""
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
        "new": r.new_value,
    }


def run_log(args: argparse.Namespace, ctx: CliContext) -> int:
    with ctx.db.reader() as s:
        query = select(ChangeRecord).order_by(ChangeRecord.id.desc()).limit(args.limit)
        records = list(s.scalars(query))
        names = reference_names(s)
    if args.json:
        print_json([log_record_json(r) for r in records])
        return EXIT_OK
    for r in records:
        at, operator, source, table, key, action, field, old, new = readable(r, names)
        what = f"{field}：{old} → {new}" if field else f"{action} {new or old or ''}".rstrip()
        print(printable(f"{at}  {operator}  {source}  {table} {key}  {what}"))
    return EXIT_OK
