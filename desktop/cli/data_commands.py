"""Subcommands that bring data in: template, import, batches, undo-import."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import not_yet


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``template``, ``import``, ``batches`` and ``undo-import``."""
    p = sub.add_parser("template", help="写出导入模板")
    p.add_argument("out", type=Path)
    p.set_defaults(run=lambda a, c: not_yet("template"))
    p = sub.add_parser("import", help="导入名录与数据表")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--report", type=Path)
    p.set_defaults(run=lambda a, c: not_yet("import"))
    p = sub.add_parser("batches", help="已导入的批次")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=lambda a, c: not_yet("batches"))
    p = sub.add_parser("undo-import", help="整批撤销一次导入")
    p.add_argument("batch", type=int)
    p.set_defaults(run=lambda a, c: not_yet("undo-import"))
