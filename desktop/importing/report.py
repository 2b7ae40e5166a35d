"""What an import did, per file and sheet: the ``import --json`` object of CLI.md."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.changes import Changes
from desktop.sheets.parsed import SheetKind, SkippedRow

# What a written sheet of each kind changes (a roster or lease row may add the zone or chain it
# names); a committed file also made a batch, and a backup before it.
SHEET_CHANGES = {
    SheetKind.roster: Changes.ENTERPRISES | Changes.ZONES | Changes.CHAINS,
    SheetKind.monthly: Changes.FIGURES,
    SheetKind.annual: Changes.FIGURES,
    SheetKind.leases: Changes.LEASES | Changes.ZONES,
    SheetKind.zones: Changes.ZONES,
    SheetKind.payments: Changes.CASES,
    **dict.fromkeys(
        (SheetKind.assignments, SheetKind.visits, SheetKind.problems, SheetKind.monitoring),
        Changes.TASKFORCE,
    ),
}
FILE_CHANGES = Changes.BATCHES | Changes.BACKUPS


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why one row was not imported: its row, the column header, the cell's text, a message."""

    row: int
    column: str
    value: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class RejectedRow:
    """A rejected row with its values as read, for the report the officer fixes and re-imports."""

    row: int
    values: dict[str, Any]
    reasons: list[Rejection]


@dataclass(slots=True)
class SheetReport:
    """The outcome of one recognised sheet; ``columns`` maps its fields to its own headers,
    ``unused_columns`` names the columns not read, ``county_from_sheet`` the county a roster
    without a county column takes from the sheet's name (said in the text and the window; not
    a key of CLI.md's JSON)."""

    sheet: str
    kind: SheetKind
    header_row: int | None
    skipped: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    unused_columns: list[str] = field(default_factory=list)
    county_from_sheet: str | None = None
    skipped_rows: list[SkippedRow] = field(default_factory=list)  # the first, with the reason

    @property
    def rejected(self) -> list[Rejection]:
        """Every reason, row by row (a row may have several)."""
        return [r for row in self.rejected_rows for r in row.reasons]

    def _tallies(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }

    def counts(self) -> dict[str, Any]:
        """The counts kept with the batch (rejected as a number of rows)."""
        return {"sheet": self.sheet, "kind": str(self.kind), **self._tallies(),
                "rejected": len(self.rejected_rows)}  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "kind": str(self.kind), "header_row": self.header_row,
                **self._tallies(), "rejected": [r.to_json() for r in self.rejected],
                "unused_columns": self.unused_columns}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unrecognised:
    """A sheet no kind fits, and why (in Chinese)."""

    sheet: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class FileReport:
    """The outcome of one file: committed as batch ``batch_id``, or refused with ``error``.

    ``unrecognised`` are the sheets no kind fits; ``notes`` say what else happened (zones or
    chains created); ``written`` what was changed beside the sheets' own tables (a monitoring
    sheet's monthly output, a visit's problem).
    """

    path: Path
    sha256: str | None = None
    committed: bool = False
    batch_id: int | None = None
    sheets: list[SheetReport] = field(default_factory=list)
    unrecognised: list[Unrecognised] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    written: Changes = Changes.NONE

    @property
    def rejected_count(self) -> int:
        return sum(len(s.rejected_rows) for s in self.sheets)

    @property
    def changes(self) -> Changes:
        """What writing the file changed (nothing unless it was committed)."""
        if not self.committed:
            return Changes.NONE
        found = FILE_CHANGES | self.written
        for s in self.sheets:
            if s.created or s.updated:
                found |= SHEET_CHANGES[s.kind]
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path.name,
            "committed": self.committed,
            "sheets": [s.to_json() for s in self.sheets],
            "unrecognised": [u.to_json() for u in self.unrecognised],
        }


@dataclass(slots=True)
class ImportReport:
    """Every file of one import, in the order given; ``cancelled`` when the officer stopped it."""

    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False
    cancelled: bool = False
    space_warning: str | None = None  # the backups before each file would leave under 1 GB

    @property
    def nothing_done(self) -> bool:
        """True when no file could be read and written (or checked, in a dry run)."""
        return all(f.error is not None for f in self.files)

    @property
    def changes(self) -> Changes:
        """What the import changed, file by file (nothing in a dry run)."""
        found = Changes.NONE
        for f in self.files:
            found |= f.changes
        return found

    @property
    def complete(self) -> bool:
        """True when every file went in whole: nothing refused, no row rejected."""
        return all(f.error is None and f.rejected_count == 0 for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {"files": [f.to_json() for f in self.files]}
