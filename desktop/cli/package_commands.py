"""Packages between the counties and the city: ``package export|import`` and ``conflicts``."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import (
    EXIT_NOTHING_DONE,
    EXIT_OK,
    EXIT_PARTIAL,
    CliContext,
    CliError,
    add_force,
    output_path,
    positive,
    print_json,
    printable,
)
from desktop.paperwork import PaperworkError
from desktop.sync.conflicts import Conflict, ConflictError, list_conflicts, resolve_conflict
from desktop.sync.export import export_package
from desktop.sync.package import PackageRefused, unit_name
from desktop.sync.receive import REFUSED, WAITING, Received, import_packages


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``package export``, ``package import``, ``conflicts`` and ``conflicts resolve``."""
    package = sub.add_parser("package", help="数据包：县与市之间交换数据")
    what = package.add_subparsers(dest="action", required=True)
    p = what.add_parser("export", help="导出自上次发给该单位以来的变更")
    p.add_argument("-o", "--out", type=Path, required=True)
    p.add_argument("--to", help="接收单位（默认：忻州市）")
    p.add_argument("--from", dest="sender", help="本库所属单位（首次导出时指明，之后记住）")
    add_force(p)
    p.set_defaults(run=run_export)
    p = what.add_parser("import", help="导入数据包（按序号，已导入的不再导入）")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_import)
    conflicts = sub.add_parser("conflicts", help="数据包留下的冲突")
    conflicts.add_argument("--json", action="store_true")
    conflicts.add_argument("--all", action="store_true", help="包括已处理的")
    conflicts.set_defaults(run=run_conflicts)
    resolve = conflicts.add_subparsers(dest="action").add_parser("resolve", help="处理一项冲突")
    resolve.add_argument("id", type=positive)
    resolve.add_argument("--take", required=True, help="mine（本方）、theirs（对方）或一个值")
    resolve.set_defaults(run=run_resolve)


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    out = output_path(args.out, ctx, force=args.force)
    try:
        to = unit_name(args.to) if args.to else None
        done = export_package(ctx.db, out, to, args.sender)
    except (PackageRefused, PaperworkError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    print(
        f"已导出 {done.sender} → {done.destination} 第 {done.sequence} 号数据包，"
        f"{done.rows} 行：{done.path}"
    )
    return EXIT_OK


def _line(r: Received) -> str:
    if r.status == REFUSED:
        return f"{r.file}：拒绝导入。{r.reason}"
    head = f"{r.file}（{r.sender} 第 {r.sequence} 号）："
    if r.status == WAITING:
        missing = "、".join(str(n) for n in r.missing) or "前序"
        return f"{head}等待第 {missing} 号数据包，收到后自动导入"
    if r.status == "already":
        return f"{head}已导入过，未重复导入"
    c = r.counts
    text = (
        f"{head}应用 {c.applied} 行，合并 {c.merged} 行，相同 {c.dropped} 行，冲突 {c.conflicts} 项"
    )
    for number, more in r.released:
        text += f"；随后导入等待中的第 {number} 号（应用 {more.applied}，冲突 {more.conflicts}）"
    return text


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    outcomes = import_packages(ctx.trial_db() if args.dry_run else ctx.db, args.files,
                               dry_run=args.dry_run)  # fmt: skip
    if args.json:
        print_json({"dry_run": args.dry_run, "files": [r.to_json() for r in outcomes]})
    else:
        for r in outcomes:
            print(printable(("（试导入）" if args.dry_run else "") + _line(r)))
    if all(r.status == REFUSED for r in outcomes):
        return EXIT_NOTHING_DONE
    partial = any(
        r.status in (REFUSED, WAITING)
        or r.counts.conflicts
        or any(c.conflicts for _, c in r.released)
        for r in outcomes
    )
    return EXIT_PARTIAL if partial else EXIT_OK


def _shown(c: Conflict) -> str:
    def side(value: str | None, by: str | None, at: object) -> str:
        when = at.astimezone().strftime("%Y-%m-%d %H:%M") if at else ""  # type: ignore[attr-defined]
        return f"{value if value is not None else '（空/已删除）'}（{by or '?'} {when}）"

    return (
        f"#{c.id} {c.label} {c.what}：原值 {c.base if c.base is not None else '（空）'}；"
        f"本方 {side(c.mine, c.mine_by, c.mine_at)}；"
        f"对方 {side(c.theirs, c.theirs_by, c.theirs_at)}"
        + (f"；已处理：{c.resolution} {c.resolved_value} {c.resolved_by}" if c.resolution else "")
    )


def run_conflicts(args: argparse.Namespace, ctx: CliContext) -> int:
    found = list_conflicts(ctx.db, everything=args.all)
    if args.json:
        print_json({"conflicts": [c.to_json() for c in found]})
        return EXIT_OK
    for c in found:
        print(printable(_shown(c)))
    if not found:
        print("没有待处理的冲突")
    return EXIT_OK


def run_resolve(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        done = resolve_conflict(ctx.db, args.id, args.take)
    except ConflictError as exc:
        raise CliError(str(exc)) from exc
    kept = done.value if done.value is not None else "（空/删除）"
    print(printable(f"冲突 #{done.conflict} 已处理，采用：{kept}"))
    return EXIT_OK
