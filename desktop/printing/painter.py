"""Painting one application form onto the current page of any paint device, fitted to it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop.forms.content import ApplicationForm
from desktop.forms.layout import GRID, TALL_MM, Box, Kind, Row, form_rows
from desktop.printing.fonts import form_font
from desktop.qt.core import QRectF, Qt
from desktop.qt.gui import QColor, QPainter, QPen

MM_PER_INCH = 25.4
BODY_PT = 10.5
TITLE_PT = 18.0
SHRINK_PT = (10.5, 9.5, 8.5, 7.5, 6.5)  # sizes tried for the shrinkable box, largest first
PADDING_MM = 1.5
TITLE_GAP_MM = 4.0
CUT_NOTE = "……（以下从略，完整测算过程见台账）"
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
        """How ``text`` wraps in the current font: at word breaks, unless some run is too long."""
        bounds = self.painter.boundingRect(QRectF(0, 0, width, 1e6), WRAP, text or " ")
        return WRAP if bounds.width() <= width else WRAP_ANYWHERE

    def text_height(self, text: str, width: float, point_size: float, bold: bool) -> float:
        self.painter.setFont(form_font(point_size, bold=bold))
        area = QRectF(0, 0, width, 1e6)
        return self.painter.boundingRect(area, self.wrap(text, width), text or " ").height()


def paint_form(painter: QPainter, form: ApplicationForm) -> None:
    """Paint ``form`` on ``painter``'s current page, within its viewport (the printable area).

    Everything fits on the one page: when the computation is long its text is set smaller, and
    when even the smallest size will not do, its last lines give way to a note.
    """
    viewport = painter.viewport()
    sheet = _Sheet(
        painter, viewport.width(), viewport.height(), painter.device().logicalDpiY() / MM_PER_INCH
    )
    top = _paint_title(sheet, form.title)
    rows, shrunk_pt, heights = _fit(sheet, form_rows(form), sheet.height - top)
    heights[-1] = max(heights[-1], sheet.height - top - sum(heights[:-1]))
    painter.setPen(QPen(Qt.GlobalColor.black, sheet.mm(0.3)))
    for row, height in zip(rows, heights, strict=True):
        _paint_row(sheet, row, top, height, shrunk_pt)
        top += height


def _paint_title(sheet: _Sheet, title: str) -> float:
    """The title and the date line; returns where the table starts."""
    painter = sheet.painter
    painter.setPen(Qt.GlobalColor.black)
    painter.setFont(form_font(TITLE_PT, bold=True))
    title_box = QRectF(0, 0, sheet.width, sheet.mm(12))
    painter.drawText(title_box, Qt.AlignmentFlag.AlignCenter, title)
    painter.setFont(form_font(BODY_PT))
    date_box = QRectF(0, title_box.bottom(), sheet.width, sheet.mm(7))
    flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    painter.drawText(date_box, flags, "填表日期：        年    月    日")
    return date_box.bottom() + sheet.mm(TITLE_GAP_MM) / 2


def _fit(sheet: _Sheet, rows: list[Row], room: float) -> tuple[list[Row], float, list[float]]:
    """The rows (the shrinkable text cut if need be), its point size and the row heights."""
    for shrunk_pt in SHRINK_PT:
        heights = [_row_height(sheet, row, shrunk_pt) for row in rows]
        if sum(heights) <= room:
            return rows, shrunk_pt, heights
    at = next(i for i, row in enumerate(rows) if any(box.shrinkable for box in row))
    box_room = room - sum(heights) + heights[at]
    lines = _shrinkable(rows[at]).text.split("\n")
    low, high = 0, len(lines)  # the most lines kept that still fit lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        trial = _with_text(rows[at], "\n".join([*lines[:middle], CUT_NOTE]))
        if _row_height(sheet, trial, shrunk_pt) <= box_room:
            low = middle
        else:
            high = middle
    rows = [*rows[:at], _with_text(rows[at], "\n".join([*lines[:low], CUT_NOTE])), *rows[at + 1 :]]
    return rows, shrunk_pt, [_row_height(sheet, row, shrunk_pt) for row in rows]


def _shrinkable(row: Row) -> Box:
    return next(box for box in row if box.shrinkable)


def _with_text(row: Row, text: str) -> Row:
    return tuple(replace(box, text=text) if box.shrinkable else box for box in row)


def _point_size(box: Box, shrunk_pt: float) -> float:
    return shrunk_pt if box.shrinkable else BODY_PT


def _box_width(sheet: _Sheet, box: Box) -> float:
    return sheet.width * box.span / GRID


def _row_height(sheet: _Sheet, row: Row, shrunk_pt: float) -> float:
    pad = sheet.mm(PADDING_MM)
    needed = sheet.mm(max(box.height for box in row))
    for box in row:
        inner = _box_width(sheet, box) - 2 * pad
        bold = box.kind is Kind.SECTION
        text = sheet.text_height(box.text, inner, _point_size(box, shrunk_pt), bold)
        footer = sheet.text_height(box.footer, inner, BODY_PT, False) if box.footer else 0
        needed = max(needed, text + footer + 2 * pad)
    return needed


def _paint_row(sheet: _Sheet, row: Row, top: float, height: float, shrunk_pt: float) -> None:
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
        painter.setFont(form_font(_point_size(box, shrunk_pt), bold=box.kind is Kind.SECTION))
        flags = TOP_FLAGS if box.height >= TALL_MM else FLAGS[box.kind]
        painter.drawText(inner, flags | sheet.wrap(box.text, inner.width()), box.text)
        if box.footer:
            painter.setFont(form_font(BODY_PT))
            painter.drawText(inner, FOOTER_FLAGS, box.footer)
        left += width
