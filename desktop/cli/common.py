"""What every subcommand shares: the context (database, operator), errors and JSON output."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop import values
from desktop.store import Database, open_database
from desktop.store.paths import default_db_path

EXIT_OK = 0
EXIT_PARTIAL = 1  # done, but some rows were rejected or some results are incomplete
EXIT_NOTHING_DONE = 2


class CliError(Exception):
    """Nothing was done; ``str()`` is the one line for standard error."""


@dataclass
class CliContext:
    """The global options, and the database opened on first use."""

    db_path: Path
    operator: str | None
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        path = Path(args.db).expanduser() if args.db else default_db_path()
        return cls(db_path=path, operator=args.operator)

    @property
    def db(self) -> Database:
        """The open database (created and migrated when missing)."""
        if self._db is None:
            self._db = open_database(self.db_path, self.operator)
        return self._db

    def close(self) -> None:
        """Release the database, if it was opened."""
        if self._db is not None:
            self._db.close()
            self._db = None


def print_json(payload: Any) -> None:
    """Write ``payload`` as one JSON document on standard output (UTF-8, Chinese kept)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=None) + "\n")


# C0 and C1 controls and the bidirectional overrides: a name read from a file may carry them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(line: str) -> str:
    """``line`` for a terminal: each control character shown as its escape (``\\x1b``), so a
    name cannot colour, move or clear the screen (JSON output stays exact)."""
    return _CONTROLS.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), line)


def positive(text: str) -> int:
    """An argparse type: a whole number from 1 to ``values.MAX_COUNT`` (a batch, a limit)."""
    try:
        found = values.integer(text)
    except values.ValueProblem as problem:
        raise argparse.ArgumentTypeError(f"「{text}」{problem}") from None
    if found < 1:
        raise argparse.ArgumentTypeError(f"「{text}」应为正整数")
    return found
