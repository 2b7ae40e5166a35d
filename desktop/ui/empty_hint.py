"""A grey line over an empty table (or preview) saying why it is empty and what fills it."""

from __future__ import annotations

from collections.abc import Callable

from desktop.qt.core import QEvent, QObject, Qt
from desktop.qt.widgets import QAbstractItemView, QLabel, QWidget


class EmptyHint(QObject):
    """``text`` centred over ``host`` while ``is_empty()``; ``refresh()`` after a change."""

    def __init__(self, host: QWidget, text: str, is_empty: Callable[[], bool]) -> None:
        super().__init__(host)
        self.host, self.is_empty = host, is_empty
        self.label = QLabel(text, host)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("QLabel { color: #555; padding: 24px; background: transparent; }")
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        host.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        self.label.setGeometry(self.host.rect())
        self.label.setVisible(self.is_empty())
        self.label.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.label.setGeometry(self.host.rect())
        return False


def hint_when_empty(view: QAbstractItemView, text: str) -> EmptyHint:
    """``text`` over ``view`` whenever its model has no rows."""
    model = view.model()
    hint = EmptyHint(view.viewport(), text, lambda: model.rowCount() == 0)
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
        signal.connect(hint.refresh)
    return hint
