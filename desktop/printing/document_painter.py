"""Painting a document of blocks (``desktop.forms.document``) onto A4 pages: each block is cut
into pieces (a table into its rows), the pieces flow down the pages, then each page is painted.

A heading stays with what follows it; a table going on over a page repeats its header.
Geometry is in device pixels (floats); the figures painted are the documents' own text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from desktop.forms.document import (
    INDENT,
    SPAN,
    Align,
    BarChart,
    Block,
    Document,
    Grid,
    Heading,
    Line,
    Paragraph,
    Title,
    WritingBox,
)
from desktop.forms.layout import page_number
from desktop.printing.fonts import form_font
from desktop.printing.painter import MM_PER_INCH, PAGE_NUMBER_FLAGS, SHADE, WRAP, wrap_flag
from desktop.qt.core import QPointF, QRectF, Qt
from desktop.qt.gui import QColor, QFont, QPainter, QPen

TITLE_PT, HEADING_PT, BODY_PT, TABLE_PT, CHART_PT = 16.0, 12.0, 11.0, 9.0, 8.0
GAP_MM = 2.5  # after each block
PAD_MM = 1.2  # inside a table cell
ROW_MM = 6.5  # the least height of a table row
FOOTER_MM = 8.0
CHART_MM = 72.0
BARS = (QColor(31, 78, 121), QColor(165, 165, 165))
ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}
MIDDLE = Qt.AlignmentFlag.AlignVCenter
TOP = Qt.AlignmentFlag.AlignTop


@dataclass
class _Page:
    """The page's painter and geometry: width, the height pieces may fill, pixels per mm."""

    painter: QPainter
    width: float
    room: float
    px_per_mm: float

    def mm(self, length: float) -> float:
        return length * self.px_per_mm

    def text_height(self, text: str, font: QFont, width: float) -> float:
        self.painter.setFont(font)
        flags = wrap_flag(self.painter, text, width)
        return self.painter.boundingRect(QRectF(0, 0, width, 1e6), flags, text or " ").height()

    def text(self, area: QRectF, text: str, font: QFont, flags: Qt.AlignmentFlag) -> None:
        self.painter.setFont(font)
        self.painter.drawText(area, flags | wrap_flag(self.painter, text, area.width()), text)


Paint = Callable[[float], None]  # paints a piece with its top at the given height


@dataclass
class _Piece:
    """What flows down the pages: a height, how to paint it, and how it sits."""

    height: float
    paint: Paint
    header: _Piece | None = None  # repeated first on a new page (a table's header)
    keep_next: bool = False  # never the last thing on a page (a heading, a table's header)
    fill: float | None = None  # takes the rest of the page, needing at least this much


@dataclass
class _Flow:
    """Pieces placed on pages, as (top, piece)."""

    room: float
    pages: list[list[tuple[float, _Piece]]] = field(default_factory=lambda: [[]])
    y: float = 0.0

    def place(self, piece: _Piece, following: _Piece | None) -> None:
        need = piece.fill if piece.fill is not None else piece.height
        if piece.keep_next and following is not None:
            need += following.height
        if self.y + need > self.room and self.y > 0:
            self.pages.append([])
            self.y = 0.0
            if piece.header is not None:
                self._put(piece.header)
        if piece.fill is not None:
            piece.height = max(piece.fill, self.room - self.y)
        self._put(piece)

    def _put(self, piece: _Piece) -> None:
        self.pages[-1].append((self.y, piece))
        self.y += piece.height


def paint_document(painter: QPainter, document: Document, new_page: Callable[[], object]) -> int:
    """Paint ``document`` from the painter's current page on, within its viewport; ``new_page()``
    starts each further page. Returns the number of pages painted."""
    viewport = painter.viewport()
    px_per_mm = painter.device().logicalDpiY() / MM_PER_INCH
    page = _Page(painter, viewport.width(), 0.0, px_per_mm)
    page.room = viewport.height() - (page.mm(FOOTER_MM) if document.numbered else 0.0)
    pieces = [p for block in document.blocks for p in _pieces(page, block)]
    flow = _Flow(page.room)
    for i, piece in enumerate(pieces):
        flow.place(piece, pieces[i + 1] if i + 1 < len(pieces) else None)
    for number, placed in enumerate(flow.pages, start=1):
        if number > 1:
            new_page()
        for top, piece in placed:
            piece.paint(top)
        if document.numbered:
            painter.setPen(Qt.GlobalColor.black)
            area = QRectF(0, viewport.height() - page.mm(FOOTER_MM), page.width, page.mm(FOOTER_MM))
            page.text(area, page_number(number, len(flow.pages)), form_font(BODY_PT),
                      PAGE_NUMBER_FLAGS)  # fmt: skip
    return len(flow.pages)


def _pieces(page: _Page, block: Block) -> list[_Piece]:
    """``block`` cut into pieces, the gap after it added to the last."""
    if isinstance(block, Grid):
        pieces = _grid(page, block)
    elif isinstance(block, BarChart):
        pieces = [_Piece(page.mm(CHART_MM), lambda y: _chart(page, block, y))]
    elif isinstance(block, WritingBox):
        pieces = [_writing_box(page, block)]
    else:
        pieces = [_text_piece(page, block)]
    pieces[-1].height += page.mm(GAP_MM)
    return pieces


def _text_piece(page: _Page, block: Title | Line | Heading | Paragraph) -> _Piece:
    align: Align = "left"
    if isinstance(block, Title):
        font, text, align = form_font(TITLE_PT, bold=True), block.text, "center"
    elif isinstance(block, Heading):
        font, text = form_font(HEADING_PT, bold=True), block.text
    elif isinstance(block, Line):
        font, text, align = form_font(BODY_PT), block.text, block.align
    else:
        font, text = form_font(BODY_PT), INDENT + block.text
    height = page.text_height(text, font, page.width) + page.mm(1.0)

    def paint(y: float) -> None:
        page.painter.setPen(Qt.GlobalColor.black)
        page.text(QRectF(0, y, page.width, height), text, font, ALIGN[align] | MIDDLE)

    return _Piece(height, paint, keep_next=isinstance(block, Heading))


def _grid(page: _Page, grid: Grid) -> list[_Piece]:
    """A piece for the header and one for each row; every row knows the header."""
    total = sum(c.width for c in grid.columns)
    widths = [page.width * c.width / total for c in grid.columns]
    aligns = [c.align for c in grid.columns]
    header = None
    pieces = []
    if grid.header:
        cells = tuple(c.header for c in grid.columns)
        header = _row(page, cells, widths, ["center"] * len(widths), frozenset(range(len(widths))),
                      bold=True)  # fmt: skip
        header.keep_next = True
        pieces.append(header)
    for cells in grid.rows:
        row = _row(page, cells, widths, aligns, grid.labels, bold=False)
        row.header = header
        pieces.append(row)
    return pieces


def _spans(cells: tuple[str, ...], widths: list[float]) -> list[tuple[int, float, str]]:
    """(first column, width, text) of each cell, a :data:`SPAN` widening the one before."""
    spans: list[tuple[int, float, str]] = []
    for i, (text, width) in enumerate(zip(cells, widths, strict=True)):
        if text == SPAN and spans:
            first, wide, kept = spans[-1]
            spans[-1] = (first, wide + width, kept)
        else:
            spans.append((i, width, text))
    return spans


def _row(
    page: _Page,
    cells: tuple[str, ...],
    widths: list[float],
    aligns: list[Align],
    shaded: frozenset[int],
    *,
    bold: bool,
) -> _Piece:
    font = form_font(TABLE_PT, bold=bold)
    pad = page.mm(PAD_MM)
    spans = _spans(cells, widths)
    height = max(
        page.mm(ROW_MM),
        *(page.text_height(text, font, width - 2 * pad) + 2 * pad for _, width, text in spans),
    )

    def paint(y: float) -> None:
        painter = page.painter
        left = 0.0
        for first, width, text in spans:
            box = QRectF(left, y, width, height)
            if first in shaded:
                painter.fillRect(box, SHADE)
            painter.setPen(QPen(Qt.GlobalColor.black, page.mm(0.25)))
            painter.drawRect(box)
            inner = box.adjusted(pad, pad, -pad, -pad)
            page.text(inner, text, font, ALIGN[aligns[first]] | MIDDLE)
            left += width

    return _Piece(height, paint)


def _writing_box(page: _Page, box: WritingBox) -> _Piece:
    least = page.mm(box.height_mm)
    piece = _Piece(least, lambda y: None, fill=least if box.fill else None)
    pad = page.mm(2.0)

    def paint(y: float) -> None:
        painter = page.painter
        outline = QRectF(0, y, page.width, piece.height - page.mm(GAP_MM))
        painter.setPen(QPen(Qt.GlobalColor.black, page.mm(0.3)))
        painter.drawRect(outline)
        inner = outline.adjusted(pad, pad, -pad, -pad)
        page.text(inner, box.label, form_font(BODY_PT, bold=True), ALIGN["left"] | TOP)
        if box.footer:
            flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
            page.text(inner, box.footer, form_font(BODY_PT), flags)

    piece.paint = paint
    return piece


def nice_top(largest: Decimal) -> tuple[Decimal, Decimal]:
    """The axis' top and step: five or so steps of 1, 2, 2.5 or 5 × 10ⁿ covering ``largest``."""
    if largest <= 0:
        return Decimal(1), Decimal("0.2")
    raw = largest / 5
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    steps = (m * magnitude for m in map(Decimal, ("1", "2", "2.5", "5", "10")))
    step = next(s for s in steps if s >= raw)
    return (largest / step).to_integral_value(rounding=ROUND_CEILING) * step, step


def _chart(page: _Page, chart: BarChart, y: float) -> None:
    """Caption, legend, axis with gridlines, and the bars of each group with their values."""
    painter, mm = page.painter, page.mm
    small = form_font(CHART_PT)
    painter.setPen(Qt.GlobalColor.black)
    page.text(QRectF(0, y, page.width, mm(6)), chart.caption, form_font(BODY_PT, bold=True),
              ALIGN["center"] | MIDDLE)  # fmt: skip
    _legend(page, chart, y + mm(6))
    left, top = mm(18), y + mm(16)
    width, height = page.width - left - mm(2), mm(CHART_MM - 16 - 12)
    largest = max((v for _, values in chart.groups for v in values), default=Decimal(0))
    axis_top, step = nice_top(largest)
    page.text(QRectF(0, top - mm(5), left - mm(1), mm(4)), f"（{chart.unit}）", small,
              ALIGN["right"] | MIDDLE)  # fmt: skip
    tick = Decimal(0)
    while tick <= axis_top:
        at = top + height - height * float(tick / axis_top)
        painter.setPen(QPen(QColor(200, 200, 200), mm(0.15)))
        painter.drawLine(QPointF(left, at), QPointF(left + width, at))
        painter.setPen(Qt.GlobalColor.black)
        page.text(QRectF(0, at - mm(2), left - mm(1.5), mm(4)), f"{tick.normalize():,f}", small,
                  ALIGN["right"] | MIDDLE)  # fmt: skip
        tick += step
    painter.setPen(QPen(Qt.GlobalColor.black, mm(0.25)))
    painter.drawLine(QPointF(left, top + height), QPointF(left + width, top + height))
    if not chart.groups:
        return
    slot = width / len(chart.groups)
    bar = slot * 0.7 / len(chart.series)
    for g, (label, values) in enumerate(chart.groups):
        x = left + g * slot + slot * 0.15
        for s, value in enumerate(values):
            tall = height * float(value / axis_top)
            box = QRectF(x + s * bar, top + height - tall, bar, tall)
            painter.fillRect(box, BARS[s % len(BARS)])
            _value_label(page, box, f"{value:,.2f}", small)
        painter.setPen(Qt.GlobalColor.black)
        page.text(QRectF(left + g * slot, top + height + mm(1), slot, mm(10)), label, small,
                  ALIGN["center"] | TOP)  # fmt: skip


def _value_label(page: _Page, bar: QRectF, text: str, font: QFont) -> None:
    """The value above its bar, where it fits the bar's width."""
    page.painter.setFont(font)
    wide = page.painter.boundingRect(QRectF(0, 0, 1e6, 1e6), WRAP, text).width()
    if wide > bar.width() + page.mm(2):
        return
    page.painter.setPen(Qt.GlobalColor.black)
    area = QRectF(bar.center().x() - wide, bar.top() - page.mm(4), 2 * wide, page.mm(4))
    page.painter.drawText(area, ALIGN["center"] | MIDDLE, text)


def _legend(page: _Page, chart: BarChart, y: float) -> None:
    painter, mm = page.painter, page.mm
    font = form_font(CHART_PT)
    x = page.width - mm(30) * len(chart.series)
    for s, name in enumerate(chart.series):
        painter.fillRect(QRectF(x, y + mm(1.5), mm(4), mm(3)), BARS[s % len(BARS)])
        painter.setPen(Qt.GlobalColor.black)
        page.text(QRectF(x + mm(5), y, mm(24), mm(6)), name, font, ALIGN["left"] | MIDDLE)
        x += mm(30)
