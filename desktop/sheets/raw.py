"""Cells as a reader returns them, before any recognition, and the limits every reader enforces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Limits:
    """How big a file may be, and what the reading child process may take."""

    max_file_bytes: int = 200 * 2**20
    max_rows: int = 999_999  # rows < 1,000,000
    max_columns: int = 199  # columns < 200
    max_sheets: int = 100
    max_zip_members: int = 1000
    max_member_bytes: int = 512 * 2**20
    max_total_bytes: int = 1024 * 2**20
    max_ratio: int = 200  # uncompressed : compressed, for members above ratio_floor_bytes
    ratio_floor_bytes: int = 2 * 2**20
    memory_bytes: int = 2 * 2**30
    timeout_seconds: float = 120.0


LIMITS = Limits()


@dataclass(slots=True)
class RawSheet:
    """One sheet's cells: ``rows[i][j]`` is spreadsheet row ``first_row + i`` (1-based) and
    column ``first_col + j`` (0-based). Empty cells are ``""``.

    ``merged`` holds merged ranges as ((row, col), (row, col)) relative to ``rows``; ``bad_cells``
    maps (row, col), relative too, to why a cell that looks empty is not (a formula without a
    cached value, an error value).
    """

    name: str
    first_row: int
    first_col: int
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)

    def flag_cells(self, cells: dict[tuple[int, int], str]) -> None:
        """Record unreadable cells given by absolute 0-based (row, column)."""
        top = self.first_row - 1
        for (r, c), why in cells.items():
            self.bad_cells[(r - top, c - self.first_col)] = why


class LimitExceeded(Exception):
    """A file beyond ``Limits``; ``str()`` is the Chinese reason (without the file's name)."""
