"""Subcommands that look after the database itself: backup, restore, check, log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Row

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
from desktop.roster.history import readable, reference_names, walked_back
from desktop.store import safekeeping
from desktop.store.changelog import newest
from desktop.store.engine import check_file
from desktop.store.location import shown


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup``, ``restore``, ``check`` and ``log``."""
    p = sub.add_parser("backup", help="把数据库一致地复制到 OUT")
    p.add_argument("out", type=Path)
    add_force(p)
    p.set_defaults(run=run_backup)
    p = sub.add_parser("restore", help="用备份替换当前数据库（当前数据库先另存）")
    p.add_argument("source", type=Path)
    p.set_defaults(run=run_restore)
    checks = "文件：integrity_check、数据表、外键；服务器：连接、数据表、amcheck"
    p = sub.add_parser("check", help=f"完整检查数据库（{checks}）")
    p.set_defaults(run=run_check)
    p = sub.add_parser("log", help="操作记录，最新的在前")
    p.add_argument("--limit", type=positive, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_log)


def run_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    out = output_path(args.out, ctx, force=args.force)
    db = ctx.db  # open (check, migrate) before copying
    warning = db.backup_warning(automatic=False)
    if warning:
        print(warning, file=sys.stderr)
    dest = db.backup_to(out, replace=args.force)
    print(f"已备份到 {dest}")
    return EXIT_OK


def run_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    """``restore FROM``: without opening the database first (a damaged file is restored so)."""
    ctx.close()
    aside = safekeeping.restore(ctx.location, args.source)
    kept = f"；原数据库已另存为 {aside}" if aside else ""
    print(f"已从 {args.source} 恢复到 {shown(ctx.location)}{kept}")
    if ctx.db_path is not None and check_file(ctx.db_path) is not None:
        raise CliError(f"恢复后的数据库未通过检查：{ctx.db_path}")
    return EXIT_OK


def run_check(_args: argparse.Namespace, ctx: CliContext) -> int:
    """``check``: the full check of the database, read only."""
    print(safekeeping.check(ctx.location))
    return EXIT_OK


def log_record_json(r: Row[Any], walked: Mapping[int, str]) -> dict[str, object]:
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
        records = list(s.execute(newest(args.limit)))
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
