"""The officer's choice of how a sheet is read: its kind and where its header is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SheetChoice:
    """The officer's choice for a sheet: its kind (a ``SheetKind`` value) and the spreadsheet
    row number of its (first) header row; None leaves it to recognition."""

    kind: str | None = None
    header_row: int | None = None

    def __bool__(self) -> bool:
        return self.kind is not None or self.header_row is not None


NO_CHOICE = SheetChoice()  # leave kind and header row to recognition
