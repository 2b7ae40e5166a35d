"""What reading a workbook yields: typed rows per sheet, before anything touches the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class SheetKind(StrEnum):
    """The kinds of sheet TEMPLATE.md describes, recognised by their header row."""

    roster = "roster"
    monthly = "monthly"
    annual = "annual"
    leases = "leases"
    zones = "zones"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One cell that could not be read: its row, column header, raw value and a Chinese message."""

    row: int
    column: str
    value: str
    message: str


@dataclass(slots=True)
class ParsedRow:
    """One data row (the spreadsheet's own 1-based row number) as field → normalised value.

    Every row of a sheet has the same fields. A field whose column is absent is absent from
    ``values``; a present but empty cell is None (flags False, except ``chain_role_confirmed``).
    A wide monthly row yields one ParsedRow per month. ``problems`` is an empty tuple, not a
    list per row, for the rows without any (300,000 empty lists would cost 17 MB); give a new
    sequence to add one.
    """

    row: int
    values: dict[str, Any]
    problems: Sequence[CellProblem] = ()


@dataclass(slots=True)
class ParsedSheet:
    """One sheet: its recognised kind (None when nothing matched, with ``message`` saying why).

    ``header_row`` is the spreadsheet's row number of the (first) header row; ``columns`` maps
    field → header text as found, each month column of the wide monthly layout appearing as
    ``output:2023-01``. For a recognised sheet ``message``, if any, names columns not used.
    ``skipped`` counts blank, total (合计/小计/总计), note and repeated header rows.
    """

    name: str
    kind: SheetKind | None
    header_row: int | None
    columns: dict[str, str]
    rows: list[ParsedRow]
    skipped: int
    message: str | None = None


@dataclass(slots=True)
class ParsedFile:
    """A whole file: its path, the SHA-256 of its bytes, and its sheets in workbook order."""

    path: Path
    sha256: str
    sheets: list[ParsedSheet]
