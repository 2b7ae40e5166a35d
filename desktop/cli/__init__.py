"""The ``relief-desk`` command: the window without a subcommand, the same work with one."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desktop import PRODUCT_NAME, __version__
from desktop.cli import (
    admin_commands,
    case_commands,
    case_paper_commands,
    data_commands,
    output_commands,
    rule_commands,
    sample_commands,
    selftest_command,
    taskforce_commands,
    user_commands,
)
from desktop.cli.common import (
    EXIT_NOTHING_DONE,
    EXIT_OK,
    CliContext,
    CliError,
    terminal_safe,
)
from desktop.paperwork import collect_after_full_disk
from desktop.store import StoreError
from desktop.store.paths import given_location

COMMAND_GROUPS = (
    data_commands,
    rule_commands,
    output_commands,
    case_commands,
    case_paper_commands,
    taskforce_commands,
    admin_commands,
    user_commands,
    sample_commands,
    selftest_command,
)


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments in one line with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"参数错误：{message}")


def build_parser() -> argparse.ArgumentParser:
    """The parser for the global options and every subcommand."""
    description = f"{PRODUCT_NAME}：忻州市工业企业复工复产十八条措施的兑现"
    parser = _Parser(prog="relief-desk", description=description)
    parser.add_argument("--version", action="version", version=f"relief-desk {__version__}")
    parser.add_argument(
        "--db",
        help="数据库文件，或服务器 postgresql://用户@主机[:端口]/库名"
        "（默认：用户数据目录；环境变量 RELIEF_DESK_DB）",
    )
    parser.add_argument("--operator", help="操作人（默认：已保存的设置，否则为登录名）")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code of CLI.md. Every line it prints shows
    control characters escaped (JSON stays exact)."""
    with terminal_safe():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except CliError as exc:
        print(exc, file=sys.stderr)
        return EXIT_NOTHING_DONE
    ctx = CliContext.from_args(args)
    try:
        if args.command is None:
            from desktop.ui.app import run_window  # Qt only when a window is wanted

            return run_window(given_location(args.db), ctx.operator)
        code = int(args.run(args, ctx))
        sys.stdout.flush()  # here, where a reader that went away can be told apart
        return code
    except BrokenPipeError:  # the output was piped to a reader that stopped (| head)
        _discard_stdout()
        return EXIT_OK
    except (CliError, StoreError) as exc:
        print(exc, file=sys.stderr)
        collect_after_full_disk(exc)
        return EXIT_NOTHING_DONE
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return EXIT_NOTHING_DONE
    finally:
        ctx.close()


def _discard_stdout() -> None:
    """Point standard output at the null device, so that the exit's flush finds no closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
