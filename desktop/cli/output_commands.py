"""Subcommands that produce paperwork: export, print-forms."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import not_yet


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``export`` and ``print-forms``."""
    p = sub.add_parser("export", help="导出申报汇总表或台账")
    p.add_argument("--measure")
    p.add_argument("--ledger", action="store_true")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--county")
    p.set_defaults(run=lambda a, c: not_yet("export"))
    p = sub.add_parser("print-forms", help="打印符合条件企业的申请表（PDF）")
    p.add_argument("--measure", required=True)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--uscc", action="append", default=[])
    p.set_defaults(run=lambda a, c: not_yet("print-forms"))
