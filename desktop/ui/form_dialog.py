"""A small form of the window that writes on 保存 and stays open, saying why, when refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from desktop.qt.core import QDate
from desktop.qt.widgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget
from desktop.store import RowChanged, StoreError
from desktop.taskforce.errors import TaskforceError
from desktop.ui.stale_dialog import keep_mine


class FormDialog(QDialog):
    """A form whose save calls ``commit`` and stays open, saying why, when it is refused.

    A form correcting a stored row keeps the ``version`` it read (its commit saves over it) and
    the row's values as first shown (``first``, by column), and shows a value saved meanwhile
    in its field (:meth:`show_saved`): a save over a row saved meanwhile asks whose value to
    keep, per field, and saves again over the new version.
    """

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.version: int | None = None
        self.first: dict[str, Any] = {}
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout(self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")

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
        while True:
            try:
                self._commit()
            except RowChanged as refused:
                if self.version is None or not self._merge(refused):
                    self.message.setText(str(refused))
                    return
                continue
            except (TaskforceError, StoreError) as exc:
                self.message.setText(str(exc))
                return
            self.accept()
            return

    def _merge(self, refused: RowChanged) -> bool:
        """The officer's choice per field saved meanwhile, shown in the form, over the new
        version; False when they go back to editing."""
        edited = {f.field for f in refused.fields if f.mine != self.first.get(f.field)}
        kept = keep_mine(self, refused, edited)
        if kept is None:
            return False
        for clash in refused.fields:
            if clash.field not in kept:
                self.show_saved(clash.field, clash.theirs)
        self.version = refused.version
        return True

    def show_saved(self, column: str, value: Any) -> None:
        """Show ``value``, saved meanwhile in ``column``, in its field (forms that correct)."""
        raise NotImplementedError(column)


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
