"""The mark over results computed from data that has changed since (trust issue, point 7)."""

from __future__ import annotations

from html import escape

from desktop.qt.widgets import QLabel

STALE_TEXT = "数据已变更，请重新测算"


class StaleMark(QLabel):
    """Hidden while the results shown rest on the data as it is; shown once that data changes.

    A computation notes :meth:`started` before it reads; when its results arrive,
    :meth:`finished` says whether the data changed meanwhile (then the mark stays up).
    """

    def __init__(self, hint: str = "F9") -> None:
        super().__init__(f"⚠ {STALE_TEXT}（{hint}）。下面的结论和理由是变更前的数据得出的。")
        self.setStyleSheet(
            "QLabel { background: #fff3cd; color: #8a4b00; border: 1px solid #f0c36d;"
            " padding: 4px; font-weight: bold; }"
        )
        self.setWordWrap(True)
        self.hide()
        self._version = 0
        self.stale = False

    def data_changed(self, results_shown: bool) -> None:
        """The data changed: results shown now, or being computed, are out of date."""
        self._version += 1
        if results_shown:
            self.stale = True
            self.show()

    def started(self) -> int:
        """A computation begins reading the data as it is now."""
        return self._version

    def finished(self, started: int) -> bool:
        """Results computed from the data at ``started`` are shown; True if still current."""
        self.stale = started != self._version
        self.setVisible(self.stale)
        return not self.stale

    def current(self, started: int) -> bool:
        """True if the data has not changed since ``started``."""
        return started == self._version

    def html(self) -> str:
        """The mark as a paragraph to put above text that rests on the data (empty if current)."""
        if not self.stale:
            return ""
        return f"<p style='color:#8a4b00'><b>⚠ {escape(STALE_TEXT)}</b></p>"
