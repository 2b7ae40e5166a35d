"""Values into cells: facts with their number formats, text kept text, and whatever a cell
cannot hold reported."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from desktop.rules.fact_text import fact_text, is_rate
from desktop.rules.labels import enterprise_label
from desktop.rules.result import FactValue
from desktop.values import money_text, text_width

# the columns naming the enterprise, first on every sheet of results
IDENTITY_HEADERS = ("序号", *map(enterprise_label, ("name", "uscc", "county_id")))
MAX_TEXT = 32767  # the most characters an Excel cell holds
REPLACEMENT = "\ufffd"
TRUNCATION_MARK = "…（已截断）"
MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
COUNT_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
LINE_HEIGHT = 14.5  # points, one line of 11-point text


@dataclass(frozen=True)
class CellWarning:
    """A value written differently from the data, and why; ``str()`` is the officer's line."""

    file: str
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}，工作表「{self.sheet}」第{self.row}行「{self.column}」：{self.message}"


def clean_text(value: str) -> tuple[str, list[str]]:
    """``value`` as a cell can hold it, and what had to change (empty when nothing did)."""
    changes = []
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
        changes.append(f"含不能写入表格的控制字符，已替换为“{REPLACEMENT}”")
    if len(value) > MAX_TEXT:
        value = value[: MAX_TEXT - len(TRUNCATION_MARK)] + TRUNCATION_MARK
        changes.append(f"超过单元格上限{MAX_TEXT}个字符，已截断")
    return value, changes


def needs_text_type(value: str) -> bool:
    """True when openpyxl would not type ``value`` as text by itself (formula or error code)."""
    return value.startswith("=") or value in ERROR_CODES


@dataclass
class TextGuard:
    """Cleans the text written into one workbook file and collects what had to change."""

    file: str
    warnings: list[CellWarning] = field(default_factory=list)

    def clean(self, value: str, sheet: str, row: int, column: str) -> str:
        """``value`` cleaned, with a warning recorded for each change."""
        cleaned, changes = clean_text(value)
        self.warnings.extend(CellWarning(self.file, sheet, row, column, c) for c in changes)
        return cleaned

    def put(self, cell: Cell, value: object, column: str) -> None:
        """Set ``cell`` (a normal worksheet's) to ``value``; text is typed as text."""
        if isinstance(value, str):
            cell.value = self.clean(value, cell.parent.title, cell.row, column)
            cell.data_type = "s"
        else:
            cell.value = value

    def streamed(
        self, sheet: WriteOnlyWorksheet, value: str, row: int, column: str
    ) -> str | WriteOnlyCell:
        """Text for a write-only ``sheet``: a plain str where openpyxl types it as text itself,
        else a cell typed as text."""
        if len(value) > MAX_TEXT or ILLEGAL_CHARACTERS_RE.search(value):
            value = self.clean(value, sheet.title, row, column)
        if not needs_text_type(value):
            return value
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell


def fact_cell(label: str, value: FactValue) -> tuple[Decimal | int | date | str | None, str | None]:
    """The fact as a cell value and its number format (None: text or blank, no format)."""
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return fact_text(label, value), None
    if isinstance(value, date):
        return value, DATE_FORMAT
    if isinstance(value, Decimal):
        return value, RATE_FORMAT if is_rate(label) else MONEY_FORMAT
    return value, COUNT_FORMAT


def display_width(value: object, number_format: str = "General") -> float:
    """How many character widths ``value`` takes in a cell (CJK counts double)."""
    if value is None:
        return 0
    if isinstance(value, Decimal) and number_format == MONEY_FORMAT:
        text = money_text(value)
    else:
        text = str(value)
    return text_width(text)


def wrapped_lines(value: object, width: float) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` characters wide."""
    parts = str(value).split("\n") if value is not None else [""]
    return sum(max(math.ceil(display_width(part) / max(width - 1, 1)), 1) for part in parts)


def wrapped_height(cells: Iterable[tuple[object, float]]) -> float:
    """The height (points) of a row whose (value, column width) cells wrap their text."""
    lines = max((wrapped_lines(value, width) for value, width in cells), default=1)
    return LINE_HEIGHT * lines + 4


A4 = 9  # openpyxl's paper size code


def print_on_a4(
    ws: Worksheet | WriteOnlyWorksheet,
    *,
    landscape: bool,
    header_row: int | None = None,
    pages_wide: int | None = 1,
) -> None:
    """Every sheet's print set-up: A4, scaled to ``pages_wide`` pages across (None: not scaled)
    and as many down as it takes, the header row (if given) repeated on every page."""
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if pages_wide is not None:
        ws.page_setup.fitToWidth = pages_wide
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
