"""Dialogs that tell the officer what happened and what to do next."""

from __future__ import annotations

from enum import Enum

from desktop.cases.errors import CaseError
from desktop.oserrors import os_error_text
from desktop.paperwork import PaperworkError
from desktop.qt.widgets import QAbstractButton, QMessageBox, QWidget
from desktop.rules.catalogue import ScopeError
from desktop.rules.policy import PolicyError
from desktop.sheets.errors import SheetFileError
from desktop.store import StoreError
from desktop.sync.package import PackageRefused
from desktop.taskforce.errors import TaskforceError


def next_step(exc: BaseException) -> str:
    """The officer's text for a failure: what went wrong, then what to do."""
    errors = StoreError | PaperworkError | PolicyError | ScopeError | CaseError | TaskforceError
    if isinstance(exc, errors | PackageRefused):
        return f"{exc}\n\n请按提示修改后重试。"
    if isinstance(exc, SheetFileError):
        return f"{exc}\n\n请检查这个文件（可在 Excel/WPS 中另存为 .xlsx 后重试）。"
    if isinstance(exc, PermissionError):
        return f"没有权限读写文件：{exc.filename}\n\n请换一个文件夹，或请管理员开放权限。"
    if isinstance(exc, OSError):
        return (
            f"读写文件失败：{exc.filename or ''} {os_error_text(exc)}\n\n"
            "请确认文件没有被 Excel/WPS 等程序打开，磁盘有空间，然后重试。"
        )
    return (
        f"意外错误：{type(exc).__name__}: {exc}\n\n"
        "请重试一次；如果仍然出错，请把这段文字发给维护人员。"
    )


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """A modal warning naming the failure and the next step."""
    QMessageBox.warning(parent, title, next_step(exc))


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask yes or no (default no); True for yes."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class Unsaved(Enum):
    """What the officer chose for changes not saved."""

    SAVE = "保存"
    DROP = "不保存"
    STAY = "取消"


def ask_unsaved(parent: QWidget | None, title: str, what: str) -> Unsaved:
    """``what`` was changed and not saved: save it, drop it, or stay (default: save)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, f"{what}已修改但尚未保存。", parent=parent)
    box.setInformativeText("要保存这些修改吗？")
    roles = {
        Unsaved.SAVE: QMessageBox.ButtonRole.AcceptRole,
        Unsaved.DROP: QMessageBox.ButtonRole.DestructiveRole,
        Unsaved.STAY: QMessageBox.ButtonRole.RejectRole,
    }
    made = [(box.addButton(answer.value, role), answer) for answer, role in roles.items()]
    box.setDefaultButton(made[0][0])
    buttons: dict[QAbstractButton, Unsaved] = dict(made)
    box.exec()
    return buttons.get(box.clickedButton(), Unsaved.STAY)
