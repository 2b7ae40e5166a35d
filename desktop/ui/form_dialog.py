"""A small form of the window that writes on 保存 and stays open, saying why, when refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from desktop.qt.core import QDate
from desktop.qt.widgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget
from desktop.store import StoreError
from desktop.taskforce.errors import TaskforceError
from desktop.ui.stale_dialog import Correction, commit_over_changes


class FormDialog(QDialog):
    """A form whose save calls ``commit`` and stays open, saying why, when it is refused.

    A form correcting a stored row sets its ``correction``: a save over the row saved
    meanwhile then asks whose value to keep, per field, and saves again over the new version.
    """

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.correction: Correction | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout(self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")

    @property
    def version(self) -> int | None:
        """The version of the row corrected that a save rests on (None: no stored row)."""
        return None if self.correction is None else self.correction.version

    def finish(self, commit: Callable[[], None], save_text: str = "保存") -> None:
        """Add the message line and the buttons; the save button runs ``commit``."""
        self._commit = commit
        self.form.addRow(self.message)
        box = QDialogButtonBox()
        self.save_button = box.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.form.addRow(box)

    def save(self) -> None:
        """Write; a refusal is said in the form, which stays open."""
        try:
            commit_over_changes(self, self.correction, self._commit)
        except (TaskforceError, StoreError) as exc:
            self.message.setText(str(exc))
            return
        self.accept()


def date_edit(day: date) -> QDateEdit:
    """A calendar date field showing ``day`` as 2026-12-01."""
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def date_of(edit: QDateEdit) -> date:
    """The day a date field shows."""
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())
