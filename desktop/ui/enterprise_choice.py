"""Choosing an enterprise of the roster by typing part of its name or code."""

from __future__ import annotations

from sqlalchemy import select

from desktop.models import Enterprise
from desktop.qt.core import Qt
from desktop.qt.widgets import QComboBox, QCompleter, QWidget
from desktop.store import Database


class EnterpriseChoice(QComboBox):
    """Every enterprise as 名称（信用代码）, its code as the item's data; typing filters."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        with db.reader() as s:
            rows = s.execute(select(Enterprise.name, Enterprise.uscc).order_by(Enterprise.name))
            for name, uscc in rows:
                self.addItem(f"{name}（{uscc}）", uscc)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText("输入企业名称或信用代码的一部分")
        self.setCurrentIndex(-1)

    def uscc(self) -> str | None:
        """The code of the enterprise chosen (None while the text names none)."""
        index = self.findText(self.currentText())
        return self.itemData(index) if index >= 0 else None

    def choose(self, uscc: str) -> None:
        self.setCurrentIndex(self.findData(uscc))
