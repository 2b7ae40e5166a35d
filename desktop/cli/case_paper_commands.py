"""Subcommands over the money and the paperwork of cases (CASES.md): funds, fund set, publicity
(the 公示名单), progress (the 兑现进度表)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cases.funds import approved_total, fund_name
from desktop.cases.funds import set_fund as record_fund
from desktop.cases.progress import MeasureProgress, progress_board, yuan_json
from desktop.cases.publicity import publicity_list
from desktop.cli import case_commands
from desktop.cli.case_commands import MEASURES, SOURCE, measure_of, refusals, yuan_argument
from desktop.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliContext,
    CliError,
    add_force,
    output_path,
    print_json,
    printable,
    written,
)
from desktop.filing.progress_sheet import write_progress_board
from desktop.filing.publicity import write_publicity_workbook
from desktop.models import LEVELS, Fund
from desktop.rules.catalogue import CATALOGUE


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``funds``, ``fund set``, ``publicity`` and ``progress``."""
    p = sub.add_parser("funds", help="资金（各措施、各级预算）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_funds)
    fund = sub.add_parser("fund", help="登记资金")
    p = fund.add_subparsers(dest="action", required=True).add_parser(
        "set", help="登记或修改一项资金的预算"
    )
    p.add_argument("--measure", required=True, help=f"措施（{MEASURES}）")
    p.add_argument("--level", required=True, help=f"资金级别（{'、'.join(LEVELS)}）")
    p.add_argument("--budget", required=True, type=yuan_argument, help="预算金额（元，可写 300万）")
    p.add_argument("--document", help="资金文件")
    p.add_argument("--pre-allocated", action="store_true", help="预拨（默认：清算）")
    p.set_defaults(run=run_fund_set)
    p = sub.add_parser("publicity", help="公示名单（.xlsx 或 .pdf）")
    p.add_argument("--measure", required=True, help=f"措施（{MEASURES}）")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--county", help="只列出该县（市、区）的企业")
    add_force(p)
    p.set_defaults(run=run_publicity)
    p = sub.add_parser("progress", help="兑现进度表")
    p.add_argument("-o", "--output", type=Path)
    p.add_argument("--json", action="store_true")
    add_force(p)
    p.set_defaults(run=run_progress)


def fund_json(session: Session, fund: Fund) -> dict[str, Any]:
    """One fund as ``funds --json`` prints it."""
    approved = approved_total(session, fund.measure, fund.level)
    return {
        "measure": fund.measure, "level": fund.level, "budget": yuan_json(fund.budget),
        "document": fund.document, "pre_allocated": fund.pre_allocated,
        "approved": yuan_json(approved), "remaining": yuan_json(fund.budget - approved),
    }  # fmt: skip


def run_funds(args: argparse.Namespace, ctx: CliContext) -> int:
    """``funds``: every fund with what the approvals hold of it."""
    order = list(CATALOGUE)
    with ctx.db.reader() as session:
        funds = sorted(
            session.scalars(select(Fund)),
            key=lambda f: (
                order.index(f.measure) if f.measure in order else len(order),
                LEVELS.index(f.level),
            ),
        )
        found = [fund_json(session, f) for f in funds]
    if args.json:
        print_json(found)
        return EXIT_OK
    for f in found:
        kind = "预拨" if f["pre_allocated"] else "清算"
        figures = f"预算 {f['budget']}，已审核 {f['approved']}，剩余 {f['remaining']}"
        document = f["document"] or "未填资金文件"
        print(printable(f"{fund_name(f['measure'], f['level'])}：{figures}，{kind}，{document}"))
    if not found:
        print("尚未登记资金")
    return EXIT_OK


def run_fund_set(args: argparse.Namespace, ctx: CliContext) -> int:
    """``fund set``: record or change a fund."""
    info = measure_of(args.measure)
    with ctx.db.session(source=SOURCE) as session, refusals():
        fund = record_fund(
            session,
            info.key,
            args.level,
            args.budget,
            document=args.document,
            pre_allocated=args.pre_allocated,
        )
        line = f"已登记{fund_name(fund.measure, fund.level)}：预算 {fund.budget:,.2f} 元"
    print(line)
    return EXIT_OK


def run_publicity(args: argparse.Namespace, ctx: CliContext) -> int:
    """``publicity``: the 公示名单 as a workbook, or a PDF for ``.pdf``."""
    out = output_path(args.output, ctx, force=args.force)
    pdf = out.suffix.lower() == ".pdf"
    if not pdf and out.suffix.lower() != ".xlsx":
        raise CliError(f"公示名单应写为 .xlsx 或 .pdf：{out.name}")
    with ctx.db.reader() as session, refusals():
        notice = publicity_list(session, args.measure, args.county, case_commands.today())
    with written(out, "公示名单") as temporary:
        if pdf:
            from desktop.printing.publicity import write_publicity_pdf  # Qt only for a PDF

            warnings = []
            write_publicity_pdf(notice, temporary)
        else:
            warnings = write_publicity_workbook(notice, temporary)
    print(f"已写出 {out}：公示名单 {len(notice.rows)} 户，拟支持金额合计 {notice.total:,.2f} 元")
    for warning in warnings:
        print(warning, file=sys.stderr)
    return EXIT_PARTIAL if warnings else EXIT_OK


def run_progress(args: argparse.Namespace, ctx: CliContext) -> int:
    """``progress``: the 兑现进度表 written to ``-o`` and/or printed as JSON."""
    if args.output is None and not args.json:
        raise CliError("参数错误：请用 -o OUT.xlsx 写出兑现进度表，或用 --json 输出")
    out = args.output and output_path(args.output, ctx, force=args.force)
    on = case_commands.today()
    with ctx.db.reader() as session, refusals():
        board = progress_board(session, on)
    if out:
        with written(out, "兑现进度表") as temporary:
            write_progress_board(board, temporary, on)
        said = sum(m.total.cases for m in board)
        print(
            f"已写出 {out}：兑现进度表，兑现事项 {said} 项", file=sys.stderr if args.json else None
        )
    if args.json:
        print_json(progress_json(board, on))
    return EXIT_OK


def progress_json(board: Sequence[MeasureProgress], on: date) -> dict[str, Any]:
    """``progress --json``: ``{"date", "measures": [MEASURE]}``."""
    return {"date": on.isoformat(), "measures": [m.to_json() for m in board]}
