"""The page shown where a capability another engineer builds has not landed yet."""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def available(*names: str) -> bool:
    """True when every ``module:attribute`` imports (its engineer has delivered it)."""
    for name in names:
        module, _, attribute = name.partition(":")
        try:
            found = importlib.import_module(module)
        except Exception:  # work in progress elsewhere must not stop the window opening
            return False
        if attribute and not hasattr(found, attribute):
            return False
    return True


class PendingPage(QWidget):
    """「…尚未提供」: says what the page will do once its part is delivered."""

    def __init__(self, title: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(f"「{title}」尚未提供")
        heading.setStyleSheet("font-size: 18px; font-weight: bold")
        body = QLabel(detail)
        body.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for label in (heading, body):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch()
