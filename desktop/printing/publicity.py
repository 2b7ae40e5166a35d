"""The publicity list (公示名单) painted onto A4 portrait pages of a PDF: the title and preface,
the table (its header repeated on every page), the total, the notice, the office and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.cases.publicity import AMOUNT_HEADER, PublicityList, publicity_list
from desktop.filing.cells import CellWarning
from desktop.filing.publicity import write_publicity_workbook
from desktop.forms.layout import page_number
from desktop.oserrors import os_error_text
from desktop.paperwork import PaperworkError, replacing
from desktop.printing.fonts import form_font
from desktop.printing.painter import MM_PER_INCH
from desktop.printing.render import A4_PORTRAIT, PDF_RESOLUTION, ensure_gui_application
from desktop.qt.core import QRectF, Qt
from desktop.qt.gui import QPainter, QPdfWriter, QPen

BODY_PT = 10.5
TITLE_PT = 16.0
PADDING_MM = 1.5
GAP_MM = 4.0
FOOTER_MM = 7.0
UNBROKEN = frozenset({"统一社会信用代码", AMOUNT_HEADER})  # as wide as their widest text
# the other columns' shares of what is left of the table's width, by header
SHARES = {"序号": 6, "企业名称": 28, "所属县（市、区）": 11, "支持事项": 30, "公示期": 22}
WRAP = Qt.TextFlag.TextWordWrap
CENTER = Qt.AlignmentFlag.AlignCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
JUSTIFY = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
FOOT = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom


@dataclass
class _Pen:
    """The painter, where it is on the page, and the page's size.

    A ``dry`` pen only measures (to count the pages); a pen knowing the ``total`` of pages
    numbers each page at its foot when there are several.
    """

    painter: QPainter
    writer: QPdfWriter
    width: float
    height: float
    px_per_mm: float
    dry: bool = False
    total: int = 0
    y: float = 0.0
    pages: int = 1

    def mm(self, length: float) -> float:
        return length * self.px_per_mm

    @property
    def bottom(self) -> float:
        return self.height - self.mm(FOOTER_MM)

    def text_height(self, text: str, width: float, point: float = BODY_PT) -> float:
        self.painter.setFont(form_font(point))
        bounds = self.painter.boundingRect(QRectF(0, 0, width, 1e6), WRAP, text or " ")
        return bounds.height()

    def paragraph(self, text: str, flags: Qt.AlignmentFlag, point: float = BODY_PT) -> None:
        """``text`` across the page at ``y`` (a new page first when it does not fit)."""
        height = self.text_height(text, self.width, point)
        if self.y + height > self.bottom:
            self.new_page()
        self.painter.setFont(form_font(point, bold=point > BODY_PT))
        self.text(QRectF(0, self.y, self.width, height), flags, text)
        self.y += height + self.mm(GAP_MM / 2)

    def text(self, box: QRectF, flags: Qt.AlignmentFlag, text: str) -> None:
        """``text`` wrapped in ``box`` in the current font (nothing when dry)."""
        if not self.dry:
            self.painter.drawText(box, flags | WRAP, text)

    def box(self, box: QRectF) -> None:
        """A cell's outline (nothing when dry)."""
        if not self.dry:
            self.painter.drawRect(box)

    def foot(self) -> None:
        """The page's number at its foot, when the list takes several pages."""
        if self.dry or self.total < 2:
            return
        self.painter.setFont(form_font(BODY_PT))
        area = QRectF(0, self.bottom, self.width, self.mm(FOOTER_MM))
        self.painter.drawText(area, FOOT, page_number(self.pages, self.total))

    def new_page(self) -> None:
        self.foot()
        if not self.dry:
            self.writer.newPage()
        self.pages += 1
        self.y = 0.0


def _texts(headers: tuple[str, ...], values: tuple[object, ...]) -> tuple[str, ...]:
    """A row's cells as printed: amounts with thousands separators."""
    return tuple(
        f"{v:,.2f}" if h == AMOUNT_HEADER and not isinstance(v, str) else str(v)
        for v, h in zip(values, headers, strict=True)
    )


def _widths(pen: _Pen, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[float]:
    """Each column's width: the code and amount columns as wide as their widest text (never
    broken), the others sharing the rest by SHARES."""
    pen.painter.setFont(form_font(BODY_PT, bold=True))  # the widest a cell is set
    metrics, pad = pen.painter.fontMetrics(), pen.mm(3 * PADDING_MM)
    fitted = {
        h: max(metrics.horizontalAdvance(row[i]) for row in rows) + pad
        for i, h in enumerate(headers)
        if h in UNBROKEN
    }
    rest = pen.width - sum(fitted.values())
    shares = sum(SHARES[h] for h in headers if h not in fitted)
    return [fitted[h] if h in fitted else rest * SHARES[h] / shares for h in headers]


def _table_row(
    pen: _Pen, widths: list[float], cells: tuple[str, ...], headers: tuple[str, ...], bold: bool
) -> float:
    """Paint one row at ``y``; returns its height."""
    pad, height = pen.mm(PADDING_MM), _row_height(pen, widths, cells)
    left = 0.0
    pen.painter.setFont(form_font(BODY_PT, bold=bold))
    for text, width, header in zip(cells, widths, headers, strict=True):
        box = QRectF(left, pen.y, width, height)
        pen.box(box)
        flags = RIGHT if header == AMOUNT_HEADER and not bold else CENTER
        if header in ("企业名称", "支持事项") and not bold:
            flags = LEFT
        pen.text(box.adjusted(pad, pad, -pad, -pad), flags, text)
        left += width
    return height


def _row_height(pen: _Pen, widths: list[float], cells: tuple[str, ...]) -> float:
    """As tall as its tallest wrapped cell."""
    pad = pen.mm(PADDING_MM)
    inner = (pen.text_height(c, w - 2 * pad) for c, w in zip(cells, widths, strict=True))
    return max(inner) + 2 * pad


def _paint(pen: _Pen, notice: PublicityList) -> None:
    """The whole notice from the first page on, numbering the pages at the end."""
    pen.paragraph(notice.title, CENTER, TITLE_PT)
    pen.y += pen.mm(GAP_MM / 2)
    pen.paragraph("　　" + notice.preface, JUSTIFY)
    headers = notice.headers
    values = [notice.cells(n, r) for n, r in enumerate(notice.rows, start=1)]
    rows = [_texts(headers, v) for v in [*values, notice.total_cells]]
    widths = _widths(pen, headers, rows)
    pen.painter.setPen(QPen(Qt.GlobalColor.black, pen.mm(0.3)))
    pen.y += _table_row(pen, widths, headers, headers, bold=True)
    for number, cells in enumerate(rows, start=1):
        if pen.y + _row_height(pen, widths, cells) > pen.bottom:
            pen.new_page()
            pen.y += _table_row(pen, widths, headers, headers, bold=True)
        pen.y += _table_row(pen, widths, cells, headers, bold=number == len(rows))
    pen.y += pen.mm(GAP_MM)
    for line in notice.notice:
        pen.paragraph("　　" + line, JUSTIFY)
    pen.y += pen.mm(GAP_MM * 2)
    for line in notice.signature:
        pen.paragraph(line, RIGHT)
    pen.foot()


def write_publicity_pdf(notice: PublicityList, out: Path) -> None:
    """Paint ``notice`` onto the A4 PDF ``out`` (replaced atomically), the font embedded."""
    ensure_gui_application()
    with replacing(Path(out)) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(PDF_RESOLUTION)
        writer.setTitle(notice.title)
        writer.setCreator("Relief Desk")
        writer.setPageLayout(A4_PORTRAIT)
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError("无法开始绘制公示名单（文件不可用）")
        try:
            viewport = painter.viewport()
            page = (painter, writer, viewport.width(), viewport.height(),
                    writer.logicalDpiY() / MM_PER_INCH)  # fmt: skip
            counted = _Pen(*page, dry=True)
            _paint(counted, notice)
            _paint(_Pen(*page, total=counted.pages), notice)
        finally:
            painter.end()
        del writer


def write_publicity(
    session: Session, measure: str, out: Path, county: str | None, today: date
) -> list[CellWarning]:
    """The publicity list of ``measure`` (of ``county``) dated ``today``, to ``out`` (see
    :func:`write_notice`). CaseError when no case is in publicity, ScopeError for a wrong
    measure or county."""
    return write_notice(publicity_list(session, measure, county, today), out)


def write_notice(notice: PublicityList, out: Path) -> list[CellWarning]:
    """``notice`` to ``out``: a PDF for ``.pdf``, else a workbook. Returns what a workbook's
    cells had to change (none for a PDF)."""
    try:
        if Path(out).suffix.lower() != ".pdf":
            return write_publicity_workbook(notice, out)
        write_publicity_pdf(notice, out)
    except OSError as exc:
        raise PaperworkError(f"无法写入 {out}：{os_error_text(exc)}") from exc
    return []
