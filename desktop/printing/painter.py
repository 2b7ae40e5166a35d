"""Painting one application form onto pages of any paint device, fitted to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from desktop.forms.content import ApplicationForm
from desktop.forms.layout import (
    ATTACHMENT,
    CONTINUED,
    GRID,
    TALL_MM,
    Box,
    Kind,
    Row,
    continuation_rows,
    form_rows,
    page_number,
)
from desktop.printing.fonts import form_font
from desktop.qt.core import QRectF, Qt
from desktop.qt.gui import QColor, QPainter, QPen

MM_PER_INCH = 25.4
BODY_PT = 10.5  # every box, the computation included: legible as printed
TITLE_PT = 18.0
PADDING_MM = 1.5
TITLE_MM = 12.0
DATE_MM = 7.0
TITLE_GAP_MM = 4.0
FOOTER_MM = 7.0  # room kept at the bottom of every page for its number
SHADE = QColor(238, 238, 238)
WRAP = Qt.TextFlag.TextWordWrap  # keeps Chinese line-breaking rules (no line opens with ）)
WRAP_ANYWHERE = Qt.TextFlag.TextWrapAnywhere  # for a long code or name without break points
FLAGS = {
    Kind.SECTION: Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    Kind.LABEL: Qt.AlignmentFlag.AlignCenter,
    Kind.VALUE: Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
}
TOP_FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
FOOTER_FLAGS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
PAGE_NUMBER_FLAGS = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom


def wrap_flag(painter: QPainter, text: str, width: float) -> Qt.TextFlag:
    """How ``text`` wraps in the painter's font: at word breaks, unless some run is too long."""
    bounds = painter.boundingRect(QRectF(0, 0, width, 1e6), WRAP, text or " ")
    return WRAP if bounds.width() <= width else WRAP_ANYWHERE


@dataclass
class _Sheet:
    """The painter, the page's size in device pixels and how many pixels make a millimetre."""

    painter: QPainter
    width: float
    height: float
    px_per_mm: float

    def mm(self, length: float) -> float:
        return length * self.px_per_mm

    def wrap(self, text: str, width: float) -> Qt.TextFlag:
        return wrap_flag(self.painter, text, width)

    def text_height(self, text: str, width: float, bold: bool) -> float:
        self.painter.setFont(form_font(BODY_PT, bold=bold))
        area = QRectF(0, 0, width, 1e6)
        return self.painter.boundingRect(area, self.wrap(text, width), text or " ").height()

    @property
    def top(self) -> float:
        """Where the table starts, below the title and the date line."""
        return self.mm(TITLE_MM + DATE_MM + TITLE_GAP_MM / 2)

    @property
    def room(self) -> float:
        """The height the rows of one page may take."""
        return self.height - self.top - self.mm(FOOTER_MM)


@dataclass(frozen=True)
class _Page:
    """One page of a form: its title, whether it carries the date line, and its rows."""

    title: str
    rows: list[Row]
    dated: bool


def paint_form(painter: QPainter, form: ApplicationForm, new_page: Callable[[], object]) -> int:
    """Paint ``form`` from ``painter``'s current page on, within its viewport (the printable
    area); ``new_page()`` starts each further page. Returns the number of pages painted.

    Everything is set at one legible size. A computation too long for the first page goes on
    as attachment pages (附页); a form of several pages numbers them 第x页／共y页.
    """
    viewport = painter.viewport()
    sheet = _Sheet(
        painter, viewport.width(), viewport.height(), painter.device().logicalDpiY() / MM_PER_INCH
    )
    pages = _paginate(sheet, form)
    for number, page in enumerate(pages, start=1):
        if number > 1:
            new_page()
        footer = page_number(number, len(pages)) if len(pages) > 1 else ""
        _paint_page(sheet, page, footer)
    return len(pages)


def _paginate(sheet: _Sheet, form: ApplicationForm) -> list[_Page]:
    """The form's pages: the first with as many computation lines as fit, then attachments."""
    lines = form.explanation_lines
    first = form_rows(form)
    if _fits(sheet, first):
        return [_Page(form.title, first, dated=True)]
    kept = _most_lines(lines, lambda n: _fits(sheet, form_rows(form, _continued(lines[:n]))))
    pages = [_Page(form.title, form_rows(form, _continued(lines[:kept])), dated=True)]
    rest = lines[kept:]
    while rest:
        n = max(1, _most_lines(rest, partial(_attachment_fits, sheet, form, rest)))
        pages.append(_Page(form.title + ATTACHMENT, _attachment(form, rest[:n]), dated=False))
        rest = rest[n:]
    return pages


def _continued(lines: list[str]) -> str:
    return "\n".join([*lines, CONTINUED])


def _attachment(form: ApplicationForm, lines: list[str]) -> list[Row]:
    return continuation_rows(form, "\n".join(lines))


def _attachment_fits(sheet: _Sheet, form: ApplicationForm, lines: list[str], n: int) -> bool:
    return _fits(sheet, _attachment(form, lines[:n]))


def _most_lines(lines: list[str], fits: Callable[[int], bool]) -> int:
    """The most leading lines (0 … all) for which ``fits`` holds (it holds for fewer)."""
    low, high = 0, len(lines) + 1  # fits(low) is taken to hold; the answer lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


def _fits(sheet: _Sheet, rows: list[Row]) -> bool:
    return sum(_row_height(sheet, row) for row in rows) <= sheet.room


def _paint_page(sheet: _Sheet, page: _Page, footer: str) -> None:
    """Title, rows (the last takes what is left of the page) and the page number."""
    _paint_title(sheet, page.title, page.dated)
    heights = [_row_height(sheet, row) for row in page.rows]
    top = sheet.top
    heights[-1] = max(heights[-1], sheet.room - sum(heights[:-1]))
    sheet.painter.setPen(QPen(Qt.GlobalColor.black, sheet.mm(0.3)))
    for row, height in zip(page.rows, heights, strict=True):
        _paint_row(sheet, row, top, height)
        top += height
    if footer:
        sheet.painter.setPen(Qt.GlobalColor.black)
        sheet.painter.setFont(form_font(BODY_PT))
        area = QRectF(0, sheet.height - sheet.mm(FOOTER_MM), sheet.width, sheet.mm(FOOTER_MM))
        sheet.painter.drawText(area, PAGE_NUMBER_FLAGS, footer)


def _paint_title(sheet: _Sheet, title: str, dated: bool) -> None:
    """The title, and on the first page the date line."""
    painter = sheet.painter
    painter.setPen(Qt.GlobalColor.black)
    painter.setFont(form_font(TITLE_PT, bold=True))
    title_box = QRectF(0, 0, sheet.width, sheet.mm(TITLE_MM))
    painter.drawText(title_box, Qt.AlignmentFlag.AlignCenter, title)
    if dated:
        painter.setFont(form_font(BODY_PT))
        date_box = QRectF(0, title_box.bottom(), sheet.width, sheet.mm(DATE_MM))
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(date_box, flags, "填表日期：        年    月    日")


def _box_width(sheet: _Sheet, box: Box) -> float:
    return sheet.width * box.span / GRID


def _row_height(sheet: _Sheet, row: Row) -> float:
    pad = sheet.mm(PADDING_MM)
    needed = sheet.mm(max(box.height for box in row))
    for box in row:
        inner = _box_width(sheet, box) - 2 * pad
        text = sheet.text_height(box.text, inner, box.kind is Kind.SECTION)
        footer = sheet.text_height(box.footer, inner, False) if box.footer else 0
        needed = max(needed, text + footer + 2 * pad)
    return needed


def _paint_row(sheet: _Sheet, row: Row, top: float, height: float) -> None:
    painter = sheet.painter
    pad = sheet.mm(PADDING_MM)
    left = 0.0
    for box in row:
        width = _box_width(sheet, box)
        outline = QRectF(left, top, width, height)
        if box.kind is not Kind.VALUE:
            painter.fillRect(outline, SHADE)
        painter.drawRect(outline)
        inner = outline.adjusted(pad, pad, -pad, -pad)
        painter.setFont(form_font(BODY_PT, bold=box.kind is Kind.SECTION))
        tall = box.height >= TALL_MM or box.computation
        flags = TOP_FLAGS if tall else FLAGS[box.kind]
        painter.drawText(inner, flags | sheet.wrap(box.text, inner.width()), box.text)
        if box.footer:
            painter.setFont(form_font(BODY_PT))
            painter.drawText(inner, FOOTER_FLAGS, box.footer)
        left += width
