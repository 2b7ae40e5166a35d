"""Subcommands that bring data in: template, import, batches, undo-import."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from desktop.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliContext,
    CliError,
    add_force,
    output_path,
    positive,
    print_json,
    printable,
    written,
)
from desktop.importing import (
    FileReport,
    import_files,
    list_batches,
    undo_batch,
    write_rejects_report,
)
from desktop.importing.batches import BatchInfo
from desktop.importing.mapping import corrections_for
from desktop.importing.memory import ColumnMemory
from desktop.importing.summary import skipped_text
from desktop.sheets.fields import SPECS
from desktop.sheets.template import write_template
from desktop.store.protected import check_output

SHOWN_REJECTIONS = 20  # per sheet in the text output; --report has them all


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``template``, ``import``, ``batches`` and ``undo-import``."""
    p = sub.add_parser("template", help="写出导入模板")
    p.add_argument("out", type=Path)
    add_force(p)
    p.set_defaults(run=run_template)
    p = sub.add_parser("import", help="导入名录与数据表")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--json", action="store_true")
    p.add_argument("--report", type=Path, help="把被拒绝的行写入此 .xlsx，改正后可再导入")
    p.add_argument(
        "--no-memory", action="store_true", help="不沿用在窗口中记住的表头、类型和表头行修改"
    )
    add_force(p)
    p.set_defaults(run=run_import)
    p = sub.add_parser("batches", help="已导入的批次")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_batches)
    p = sub.add_parser("undo-import", help="整批撤销一次导入")
    p.add_argument("batch", type=positive)
    p.set_defaults(run=run_undo)


def run_template(args: argparse.Namespace, ctx: CliContext) -> int:
    out = output_path(args.out, ctx, force=args.force)
    with written(out, "模板") as temporary:
        write_template(temporary)
    print(f"已写出导入模板：{args.out}")
    return EXIT_OK


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    out = args.report and check_output(args.report, ctx.location, force=args.force)
    db = ctx.trial_db() if args.dry_run else ctx.db
    memory = None if args.no_memory else ColumnMemory()
    corrections = corrections_for(memory, {}, {})
    with nullcontext() if args.dry_run else ctx.working():
        report = import_files(db, args.files, dry_run=args.dry_run, corrections=corrections)
    if report.space_warning:
        print(report.space_warning, file=sys.stderr)
    if out:
        with written(out, "问题行报告") as temporary:
            write_rejects_report(report, temporary)
    if args.json:
        print_json(report.to_json())
    else:
        for file in report.files:
            _print_file(file, dry_run=args.dry_run)
    refused = [f.error for f in report.files if f.error]
    if report.nothing_done:
        raise CliError("；".join(refused))
    for line in refused:
        print(line, file=sys.stderr)
    return EXIT_OK if report.complete else EXIT_PARTIAL


def _print_file(file: FileReport, *, dry_run: bool) -> None:
    if file.error:
        print(f"{file.path.name}：未导入")
        return
    done = "试导入（未写入）" if dry_run else f"已导入，批次 {file.batch_id}"
    print(f"{file.path.name}：{done}")
    for sheet in file.sheets:
        where = f"，表头在第 {sheet.header_row} 行" if sheet.header_row else ""
        print(
            printable(
                f"  {sheet.sheet}（{SPECS[sheet.kind].title}{where}）：新增 {sheet.created}，"
                f"更新 {sheet.updated}，未变 {sheet.unchanged}，跳过 {sheet.skipped}，"
                f"拒绝 {len(sheet.rejected_rows)} 行"
            )
        )
        if sheet.county_from_sheet:
            print(f"    所属县（市、区）取自工作表名：{sheet.county_from_sheet}")
        if sheet.unused_columns:
            print(f"    未使用的列：{'、'.join(sheet.unused_columns)}")
        reasons = sheet.rejected
        for r in reasons[:SHOWN_REJECTIONS]:
            print(printable(f"    第 {r.row} 行「{r.column}」{r.value}：{r.message}"))
        if len(reasons) > SHOWN_REJECTIONS:
            print(f"    ……另有 {len(reasons) - SHOWN_REJECTIONS} 处，全部见 --report")
        if sheet.skipped:
            print(f"    跳过的行：{skipped_text(sheet)}")
    for unread in file.unrecognised:
        print(f"  未识别：工作表「{unread.sheet}」{unread.reason}")
    for note in file.notes:
        print(printable(f"  说明：{note}"))


def run_batches(args: argparse.Namespace, ctx: CliContext) -> int:
    batches = list_batches(ctx.db)
    if args.json:
        print_json([b.to_json() for b in batches])
    else:
        for b in batches:
            print(_batch_line(b))
    return EXIT_OK


def _batch_line(b: BatchInfo) -> str:
    when = b.imported_at.astimezone().strftime("%Y-%m-%d %H:%M")
    t = b.totals()
    undone = ""
    if b.undone_at is not None:
        undone = (
            f"  已于 {b.undone_at.astimezone().strftime('%Y-%m-%d %H:%M')} 由 {b.undone_by} 撤销"
        )
    return (
        f"批次 {b.id}  {when}  {b.operator}  {b.file_name}  新增 {t['created']} 更新 {t['updated']}"
        f" 未变 {t['unchanged']} 跳过 {t['skipped']} 拒绝 {t['rejected']}{undone}"
    )


def run_undo(args: argparse.Namespace, ctx: CliContext) -> int:
    warning = ctx.db.backup_warning()  # undo backs the database up first
    if warning:
        print(warning, file=sys.stderr)
    with ctx.working():
        result = undo_batch(ctx.db, args.batch)
    print(result.text())
    return EXIT_OK
