"""Building parsed files by hand (as the reader would give them) and looking at the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, text
from stdnum.cn import uscc as uscc_code

from desktop.importing import importer
from desktop.models import Base
from desktop.sheets.fields import SPECS, ValueType
from desktop.sheets.parsed import ParsedFile, ParsedRow, ParsedSheet, SheetKind
from desktop.sheets.read import ReadStream
from desktop.store import Database
from desktop.store.backups import list_backups

AUDIT_TABLES = ("change_log", "import_line", "import_batch")


def code(n: int, division: str = "140902") -> str:
    """A valid credit code for fictional enterprise ``n``."""
    body = f"91{division}MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def sheet(kind: SheetKind, rows: list[dict[str, Any]], name: str | None = None) -> ParsedSheet:
    """A recognised sheet whose header is row 1 and whose data rows are 2, 3, …

    As the reader does, every row gets every field any row has: a cell left out is blank
    (False for a yes/no column).
    """
    fields = list(dict.fromkeys(f for r in rows for f in r))
    specs = {f.name: f for f in SPECS[kind].fields}
    columns = {f: specs[f].header if f in specs else f for f in fields if f != "year"}
    flags = {f for f in fields if f in specs and specs[f].type is ValueType.flag}
    parsed = [
        ParsedRow(i, {f: r.get(f, False if f in flags else None) for f in fields})
        for i, r in enumerate(rows, start=2)
    ]
    return ParsedSheet(name or SPECS[kind].title, kind, 1, columns, parsed, 0)


def parsed_file(*sheets: ParsedSheet, name: str = "名录.xlsx") -> ParsedFile:
    return ParsedFile(Path(name), "0" * 64, list(sheets))


def roster_row(n: int, **extra: Any) -> dict[str, Any]:
    return {"name": f"企业{n}", "uscc": code(n), "county": "忻府区", **extra}


def _columns(table: Table, versions: bool) -> str:
    return ", ".join(c.name for c in table.columns if versions or c.name != "version")


def dump(db: Database, *, audit: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table; unless ``audit`` is False, the change log, the batches and the
    rows' versions too (without them, the facts: an undo puts them back, counting versions up)."""
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(
                text(f"SELECT {_columns(t, audit)} FROM {t.name} ORDER BY 1")
            ).all()
            for t in Base.metadata.sorted_tables
            if audit or t.name not in AUDIT_TABLES
        }


def backups_of(db: Database) -> list[Path]:
    """The automatic backups of the database's file (a server's are not files beside it)."""
    return [] if db.path is None else list_backups(db.path)


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[ParsedFile], Path]]:
    """Register a parsed file under its path; ``import_files`` then 'reads' it from there."""
    known: dict[Path, ParsedFile] = {}

    def read(path: Path, *, part_rows: int, **_kwargs: Any) -> ReadStream:
        return ReadStream.of(known[Path(path)], part_rows)

    def register(parsed: ParsedFile) -> Path:
        known[parsed.path] = parsed
        return parsed.path

    monkeypatch.setattr(importer, "read_stream", read)
    yield register
