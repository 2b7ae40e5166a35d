"""The officer's corrections to how a sheet is read: its kind, where its header is, which
column holds which field; given for a sheet by name, or remembered for a layout by its key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SheetChoice:
    """The officer's choice for a sheet: its kind (a ``SheetKind`` value) and the spreadsheet
    row number of its (first) header row; None leaves it to recognition."""

    kind: str | None = None
    header_row: int | None = None

    def __bool__(self) -> bool:
        return self.kind is not None or self.header_row is not None


NO_CHOICE = SheetChoice()  # leave kind and header row to recognition


@dataclass(frozen=True)
class Correction:
    """How one sheet is to be read: ``{field: header text}`` forced, and the sheet choice."""

    columns: Mapping[str, str] = field(default_factory=dict)
    choice: SheetChoice = NO_CHOICE

    def __bool__(self) -> bool:
        return bool(self.columns) or bool(self.choice)


NO_CORRECTION = Correction()


def layout_key(kind: str, headers: Iterable[str]) -> str:
    """The key a layout is remembered by: its kind and the set of headers recognised in it."""
    return kind + "|" + "|".join(sorted(set(headers)))


@dataclass(frozen=True)
class Corrections:
    """Every correction for one import: the officer's ``overrides`` (``{field: header}``) and
    ``choices`` by sheet name, and the corrections ``remembered`` by layout key."""

    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    choices: Mapping[str, SheetChoice] = field(default_factory=dict)
    remembered: Mapping[str, Correction] = field(default_factory=dict)

    def for_sheet(self, sheet: str, key: str) -> Correction:
        """The correction for sheet ``sheet`` whose plain layout has ``key`` ("" when none):
        the officer's columns and choice, each where given, else the remembered ones."""
        recalled = self.remembered.get(key, NO_CORRECTION) if key else NO_CORRECTION
        columns = self.overrides.get(sheet, recalled.columns)
        choice = self.choices.get(sheet, recalled.choice)
        return Correction(dict(columns), choice)


NO_CORRECTIONS = Corrections()
