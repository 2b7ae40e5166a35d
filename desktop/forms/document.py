"""A printed document as a flow of blocks (Qt-free): titles, lines, headings, paragraphs,
tables, bar charts and boxes to write in. ``desktop.printing`` lays them out on A4 pages.

The task force's papers are built of them: the bulletin, the policy card, the supervision notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Align = Literal["left", "center", "right"]
INDENT = "\u3000\u3000"  # a paragraph's first line, as Chinese documents set it
LABEL_WIDTH, VALUE_WIDTH = 7, 11
LONG_VALUE = 16  # characters: a value longer takes the whole row
SPAN = "\u0000"  # a cell merged into the one before it


@dataclass(frozen=True)
class Title:
    """The document's title, large and centred."""

    text: str


@dataclass(frozen=True)
class Line:
    """One line of body text (a document number, a date, a signature), aligned."""

    text: str
    align: Align = "left"


@dataclass(frozen=True)
class Heading:
    """A section's heading: 一、报送情况."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text, wrapped, its first line indented."""

    text: str


@dataclass(frozen=True)
class GridColumn:
    """A table column: its header, relative width and how its cells align."""

    header: str
    width: int
    align: Align = "left"


@dataclass(frozen=True)
class Grid:
    """A ruled table; ``labels`` are the columns shaded as labels (a form's field names), a
    table without ``header`` prints no header row, and a cell :data:`SPAN` widens the cell
    before it. A long table goes on over pages, its header
    repeated."""

    columns: tuple[GridColumn, ...]
    rows: tuple[tuple[str, ...], ...]
    header: bool = True
    labels: frozenset[int] = frozenset()


@dataclass(frozen=True)
class BarChart:
    """Bars by group (a county), one per series (本期, 上年同期), with the values' unit."""

    caption: str
    unit: str
    series: tuple[str, ...]
    groups: tuple[tuple[str, tuple[Decimal, ...]], ...]


@dataclass(frozen=True)
class WritingBox:
    """A ruled box to write in: its label at the top, a footer (seal, date) at the bottom; it
    takes the rest of the page when ``fill``, else ``height_mm``."""

    label: str
    footer: str = ""
    height_mm: float = 30.0
    fill: bool = False


Block = Title | Line | Heading | Paragraph | Grid | BarChart | WritingBox


@dataclass(frozen=True)
class Document:
    """One document: its name (the PDF's title) and blocks; ``numbered`` puts 第x页／共y页 under
    each page."""

    name: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    numbered: bool = False


def numbered_heading(number: int, text: str) -> Heading:
    """一、text … 十、text (up to ten sections)."""
    return Heading(f"{'一二三四五六七八九十'[number - 1]}、{text}")


def field_grid(pairs: list[tuple[str, str]], per_row: int = 2) -> Grid:
    """Label–value pairs as a ruled form table, ``per_row`` pairs a row (a pair alone on its row
    when its value is long)."""
    columns = tuple(
        GridColumn("", width) for _ in range(per_row) for width in (LABEL_WIDTH, VALUE_WIDTH)
    )
    rows: list[tuple[str, ...]] = []
    pending: list[str] = []
    for label, value in pairs:
        if len(value) > LONG_VALUE and per_row > 1:
            rows.extend(_flush(pending, per_row))
            pending = []
            rows.append((label, value, *[SPAN] * (2 * per_row - 2)))
            continue
        pending += [label, value]
        if len(pending) == 2 * per_row:
            rows.extend(_flush(pending, per_row))
            pending = []
    rows.extend(_flush(pending, per_row))
    labels = frozenset(range(0, 2 * per_row, 2))
    return Grid(columns, tuple(rows), header=False, labels=labels)


def _flush(cells: list[str], per_row: int) -> list[tuple[str, ...]]:
    if not cells:
        return []
    return [tuple(cells) + (SPAN,) * (2 * per_row - len(cells))]
