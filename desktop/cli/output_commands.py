"""Subcommands that produce paperwork: export, print-forms."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from desktop.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliContext,
    CliError,
    add_force,
    output_path,
    terminal_progress,
)
from desktop.filing.operations import ExportOutcome, export_filing_sheet, export_ledger
from desktop.paperwork import PaperworkError
from desktop.rules.catalogue import CATALOGUE, ScopeError, measure
from desktop.values import money_text

MEASURE_KEYS = "、".join(CATALOGUE)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``export`` and ``print-forms``."""
    p = sub.add_parser("export", help="导出申报汇总表或台账")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--measure", help=f"申报汇总表的措施（{MEASURE_KEYS}）")
    what.add_argument("--ledger", action="store_true", help="台账：全部企业、全部措施")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--county", help="只列出该县（市、区）的企业")
    add_force(p)
    p.set_defaults(run=run_export)
    p = sub.add_parser("print-forms", help="打印符合条件企业的申请表（PDF）")
    p.add_argument("--measure", required=True, help=f"措施（{MEASURE_KEYS}）")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--uscc", action="append", default=[], help="只打印该企业（可重复）")
    add_force(p)
    p.set_defaults(run=run_print_forms)


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    """``export --measure N`` (the filing sheet) or ``export --ledger``."""
    out = output_path(args.output, ctx, force=args.force)
    with ctx.working(), ctx.db.reader() as session, _paperwork():
        if args.ledger:
            progress = terminal_progress("导出台账")
            outcome = export_ledger(session, out, county=args.county, progress=progress)
            what = "台账，测算结果"
        else:
            progress = terminal_progress("导出申报汇总表")
            outcome = export_filing_sheet(
                session, args.measure, out, county=args.county, progress=progress
            )
            what = f"{measure(args.measure).clause}申报汇总表，符合条件企业"
    print(f"已写出 {out}：{what} {outcome.listed} 条，金额合计 {money_text(outcome.total)} 元")
    return _report(outcome, left_out=not args.ledger)


def run_print_forms(args: argparse.Namespace, ctx: CliContext) -> int:
    """``print-forms``: the application forms of the eligible enterprises, one page each."""
    from desktop.printing.operations import print_forms  # Qt only for this subcommand

    out = output_path(args.output, ctx, force=args.force)
    with ctx.db.reader() as session, _paperwork():
        outcome = print_forms(
            session, args.measure, out, args.uscc, terminal_progress("生成申请表")
        )
    print(f"已写出 {out}：申请表 {outcome.printed} 份")
    for line in outcome.skipped:
        print(line, file=sys.stderr)
    if outcome.sample_warning:
        print(outcome.sample_warning, file=sys.stderr)
    return EXIT_PARTIAL if outcome.skipped else EXIT_OK


@contextlib.contextmanager
def _paperwork() -> Iterator[None]:
    """Turns a PaperworkError or ScopeError into the command line's one-line error."""
    try:
        yield
    except (PaperworkError, ScopeError) as exc:
        raise CliError(str(exc)) from exc


def _report(outcome: ExportOutcome, *, left_out: bool) -> int:
    """Print what needs the officer's eye (sample enterprises listed among it); the exit code
    of CLI.md (1 when something was changed to fit a cell, or, with ``left_out``, when undecided
    results were not listed)."""
    for warning in outcome.warnings:
        print(warning, file=sys.stderr)
    if left_out and outcome.incomplete:
        line = f"{outcome.incomplete} 家企业资料不全，未列入申报汇总表（原因见台账）"
        print(line, file=sys.stderr)
    if outcome.sample_warning:  # said, not refused: the sample is there to try exports on
        print(outcome.sample_warning, file=sys.stderr)
    return EXIT_PARTIAL if outcome.warnings or (left_out and outcome.incomplete) else EXIT_OK
