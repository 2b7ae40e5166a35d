"""Subcommands that decide: evaluate, calc."""

from __future__ import annotations

import argparse

from desktop.cli.common import not_yet


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``evaluate`` and ``calc``."""
    p = sub.add_parser("evaluate", help="按措施测算全部企业")
    p.add_argument("--measure")
    p.add_argument("--county")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=lambda a, c: not_yet("evaluate"))
    p = sub.add_parser("calc", help="逐案计算器（第二、六、七、九、十四条）")
    p.add_argument("name")
    p.add_argument("params", nargs=argparse.REMAINDER)
    p.set_defaults(run=lambda a, c: not_yet("calc"))
