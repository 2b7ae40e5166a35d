"""What every subcommand shares: the context (database, operator), errors and JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
