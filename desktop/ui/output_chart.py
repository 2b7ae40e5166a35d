"""A small painted bar chart: monthly output of one year against the year before."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from desktop.qt.core import QRectF, QSize, Qt
from desktop.qt.gui import QColor, QPainter, QPaintEvent
from desktop.qt.widgets import QSizePolicy, QWidget
from desktop.roster.records import MonthlyRow

THIS_YEAR = QColor("#2f6fb3")
LAST_YEAR = QColor("#b9c7d6")
WAN = Decimal(10000)


def chart_years(rows: Sequence[MonthlyRow]) -> tuple[int, dict[int, Decimal], dict[int, Decimal]]:
    """The latest year with output, and per month its output and the year before's."""
    years = [r.year for r in rows if r.output is not None]
    year = max(years) if years else 0
    now = {r.month: r.output for r in rows if r.year == year and r.output is not None}
    before = {r.month: r.output for r in rows if r.year == year - 1 and r.output is not None}
    return year, now, before


class OutputChart(QWidget):
    """Twelve pairs of bars (万元): the year before in grey, the latest year in blue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._year = 0
        self._now: dict[int, Decimal] = {}
        self._before: dict[int, Decimal] = {}

    def sizeHint(self) -> QSize:
        return QSize(520, 200)

    def set_rows(self, rows: Sequence[MonthlyRow]) -> None:
        self._year, self._now, self._before = chart_years(rows)
        self.update()

    def caption(self) -> str:
        """What the chart shows, in words (also its accessible description)."""
        if not self._now:
            return "尚无月度产值"
        return f"{self._year}年（蓝）与{self._year - 1}年（灰）各月工业总产值，万元"

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.drawText(
            QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, self.caption()
        )
        peak = max([*self._now.values(), *self._before.values()], default=Decimal(0))
        if peak <= 0:
            painter.end()
            return
        left, top = metrics.horizontalAdvance("00000") + 6, line * 1.5
        bottom = self.height() - line - 4
        plot_h = bottom - top
        painter.drawText(QRectF(0, top - line / 2, left - 4, line), Qt.AlignmentFlag.AlignRight,
                         f"{peak / WAN:.0f}")  # fmt: skip
        painter.drawLine(int(left), int(bottom), self.width(), int(bottom))
        slot = (self.width() - left) / 12
        bar = slot * 0.36
        for month in range(1, 13):
            x = left + (month - 1) * slot + slot * 0.12
            for offset, values, color in (
                (0, self._before, LAST_YEAR),
                (bar, self._now, THIS_YEAR),
            ):
                value = values.get(month)
                if value is not None and value > 0:
                    h = float(value / peak) * plot_h
                    painter.fillRect(QRectF(x + offset, bottom - h, bar, h), color)
            painter.drawText(QRectF(x - slot * 0.12, bottom + 2, slot, line),
                             Qt.AlignmentFlag.AlignHCenter, f"{month}月")  # fmt: skip
        painter.end()
