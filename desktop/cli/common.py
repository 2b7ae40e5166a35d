"""What every subcommand shares: the context (database, operator), errors and JSON output."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from desktop import values
from desktop.oserrors import os_error_text
from desktop.paperwork import PaperworkError, replacing
from desktop.progress import Progress
from desktop.store import Database, StoreError, open_database
from desktop.store.location import Location, parse_location
from desktop.store.paths import default_location
from desktop.store.presence import Registration, working
from desktop.store.protected import check_output

EXIT_OK = 0
EXIT_PARTIAL = 1  # done, but some rows were rejected or some results are incomplete
EXIT_NOTHING_DONE = 2


class CliError(Exception):
    """Nothing was done; ``str()`` is the one line for standard error."""


@dataclass
class CliContext:
    """The global options, and the database opened on first use."""

    location: Location
    operator: str | None
    _db: Database | None = field(default=None, repr=False)
    _scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        try:
            location = parse_location(args.db) if args.db else default_location()
        except StoreError as exc:
            raise CliError(str(exc)) from exc
        return cls(location=location, operator=args.operator)

    @property
    def db_path(self) -> Path | None:
        """The database file (None for a database on a server)."""
        return self.location if isinstance(self.location, Path) else None

    @property
    def db(self) -> Database:
        """The open database (created and migrated when missing)."""
        if self._db is None:
            self._db = open_database(self.location, self.operator)
        return self._db

    def working(self) -> AbstractContextManager[Registration]:
        """Shown to the others working on the database while a long command runs (import,
        undo-import, export)."""
        return working(self.db, "command")

    def trial_db(self) -> Database:
        """The database a dry run works on: the real one, or, where no file exists yet, a new
        one in a temporary folder (a dry run creates no database)."""
        path = self.db_path
        if self._db is not None or path is None or path.expanduser().exists():
            return self.db
        self._scratch = tempfile.TemporaryDirectory(prefix="relief-desk-dry-run-")
        self._db = open_database(Path(self._scratch.name) / path.name, self.operator)
        return self._db

    def close(self) -> None:
        """Release the database, if it was opened (and the dry run's scratch folder)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


FORCE_HELP = "输出文件已存在时覆盖它（数据库和备份从不覆盖）"


def add_force(parser: argparse.ArgumentParser) -> None:
    """The ``--force`` option of a command that writes a file."""
    parser.add_argument("--force", action="store_true", help=FORCE_HELP)


def output_path(path: Path, ctx: CliContext, *, force: bool) -> Path:
    """Where a command may write: never the database, its WAL or a backup; an existing file
    only with ``--force``; refused early when its folder does not exist."""
    path = path.expanduser()
    if not path.parent.is_dir():
        raise CliError(f"输出文件夹不存在：{path.parent}")
    return check_output(path, ctx.location, force=force)


@contextlib.contextmanager
def written(out: Path, what: str) -> Iterator[Path]:
    """A temporary beside ``out`` that replaces it when the block succeeds: a failure (a full
    disk above all) leaves ``out`` as it was and is the one line of a CliError."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with replacing(out) as temporary:
            yield temporary
    except PaperworkError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"无法写出{what} {out}：{os_error_text(exc)}") from exc


def _unwrapped(stream: TextIO) -> TextIO:
    """The stream under the terminal-safe wrapper (our own text, written exactly)."""
    return stream.stream if isinstance(stream, TerminalSafe) else stream


def on_terminal() -> bool:
    """True when standard error is a terminal (a person watching, not a pipe or a test)."""
    return _unwrapped(sys.stderr).isatty()


def terminal_progress(what: str) -> Progress | None:
    """A long command's progress on standard error as one line redrawn (「正在测算… 40%」), only
    when that is a terminal: standard output (JSON) and logs stay as they were."""
    if not on_terminal():
        return None
    shown = -1

    def report(done: int, total: int) -> None:
        nonlocal shown
        percent = 100 * done // total if total else 100
        if percent != shown:
            shown = percent
            end = "\n" if done >= total else ""
            err = _unwrapped(sys.stderr)  # the \r that redraws the line is meant
            err.write(f"\r正在{what}… {percent}%{end}")
            err.flush()

    return report


def print_json(payload: Any) -> None:
    """Write ``payload`` as one JSON document on standard output (UTF-8, Chinese kept; its
    strings exact, past the terminal-safe wrapper)."""
    _unwrapped(sys.stdout).write(json.dumps(payload, ensure_ascii=False, indent=None) + "\n")


# C0 and C1 controls and the bidirectional overrides: a name read from a file may carry them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return match[0].encode("unicode_escape").decode("ascii")


class TerminalSafe(io.TextIOBase):
    """A text stream that shows every control character but newline and tab escaped: the
    backstop under every line a subcommand prints (a file, sheet or column name included)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(_LINE_CONTROLS.sub(_escaped, text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()


@contextlib.contextmanager
def terminal_safe() -> Iterator[None]:
    """Standard output and error made :class:`TerminalSafe` for the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(out), TerminalSafe(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def printable(line: str) -> str:
    """``line`` for a terminal: each control character shown as its escape (``\\x1b``), so a
    name cannot colour, move or clear the screen (JSON output stays exact)."""
    return _CONTROLS.sub(_escaped, line)


def positive(text: str) -> int:
    """An argparse type: a whole number from 1 to ``values.MAX_COUNT`` (a batch, a limit)."""
    try:
        found = values.integer(text)
    except values.ValueProblem as problem:
        raise argparse.ArgumentTypeError(f"「{text}」{problem}") from None
    if found < 1:
        raise argparse.ArgumentTypeError(f"「{text}」应为正整数")
    return found
