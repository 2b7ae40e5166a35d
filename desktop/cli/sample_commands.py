"""``sample load`` and ``sample remove``: the bundled sample county (示例数据) in and out."""

from __future__ import annotations

import argparse

from desktop.cli.common import EXIT_OK, CliContext
from desktop.samples import load_sample, remove_sample


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``sample load`` and ``sample remove``."""
    p = sub.add_parser("sample", help="示例数据（虚构企业）：载入或删除")
    what = p.add_subparsers(
        dest="sample_command", metavar="load|remove", required=True, parser_class=type(p)
    )
    what.add_parser("load", help="载入内置的示例数据").set_defaults(run=run_load)
    what.add_parser(
        "remove", help="删除示例数据：示例企业及其全部数据、示例开发区和产业链（记入操作记录）"
    ).set_defaults(run=run_remove)


def run_load(args: argparse.Namespace, ctx: CliContext) -> int:
    print(f"已载入示例数据：{load_sample(ctx.db)} 家企业")
    return EXIT_OK


def run_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    print(remove_sample(ctx.db))
    return EXIT_OK
