"""A save refused because someone saved the same row meanwhile: the officer chooses per field.

Each field where the officer's value differs from the one stored now is a line: what the officer
typed, what was saved meanwhile and by whom (operator, time), and two choices, 我的 and 已保存的.
The caller saves the chosen values over the row's new version, or keeps editing (取消):
the enterprise editor through its records, the small forms through :func:`commit_over_changes`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.qt.core import Qt
from desktop.qt.widgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from desktop.store.errors import FieldClash, RowChanged, saved_by

HEADERS = ("字段", "您填写的", "已保存的", "保存人", "保留")
MINE, THEIRS = "我的", "已保存的"


def _saved_by(clash: FieldClash) -> str:
    """Who stored the field's value now: 李四（2026-12-01 21:05）, or that no one has since."""
    return saved_by(clash.operator, clash.at) if clash.operator else "（原值，无人改动）"


class StaleDialog(QDialog):
    """Choose, per field of ``refused``, the officer's value or the one saved meanwhile.

    ``edited`` names the fields the officer changed: they start on 我的, the rest on 已保存的.
    """

    def __init__(
        self, refused: RowChanged, edited: Collection[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.refused = refused
        self.setWindowTitle(f"保存冲突 — {refused.table_label} {refused.row_key}")
        self.resize(760, 360)
        who = saved_by(refused.operator, refused.at)
        intro = QLabel(
            f"您编辑期间，{who}已保存了这条记录（{refused.table_label} {refused.row_key}），"
            "您的改动尚未保存。请逐项选择保留哪个值，然后按「按所选保存」；"
            "选「取消」可继续编辑。"
        )
        intro.setWordWrap(True)
        self._mine: dict[str, QRadioButton] = {}
        grid = QGridLayout()
        for column, header in enumerate(HEADERS):
            label = QLabel(f"<b>{header}</b>")
            grid.addWidget(label, 0, column)
        for row, clash in enumerate(refused.fields, start=1):
            self._add_line(grid, row, clash, clash.field in edited)
        grid.setRowStretch(len(refused.fields) + 1, 1)  # the lines packed at the top
        for column, stretch in enumerate((0, 2, 2, 1, 0)):
            grid.setColumnStretch(column, stretch)
        grid.setHorizontalSpacing(16)
        lines = QWidget()
        lines.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(lines)
        box = QDialogButtonBox()
        self.save_button = box.addButton("按所选保存", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(box)

    def _add_line(self, grid: QGridLayout, row: int, clash: FieldClash, edited: bool) -> None:
        texts = (clash.label, clash.mine_text, clash.theirs_text, _saved_by(clash))
        for column, text in enumerate(texts):
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, row, column)
        mine, theirs = QRadioButton(MINE), QRadioButton(THEIRS)
        group = QButtonGroup(self)
        group.addButton(mine)
        group.addButton(theirs)
        (mine if edited else theirs).setChecked(True)
        choice = QWidget()
        choice_layout = QHBoxLayout(choice)
        choice_layout.setContentsMargins(0, 0, 0, 0)
        choice_layout.addWidget(mine)
        choice_layout.addWidget(theirs)
        grid.addWidget(choice, row, len(texts))
        self._mine[clash.field] = mine

    def choose(self, field: str, mine: bool) -> None:
        """Keep the officer's value of ``field`` (``mine``) or the one saved meanwhile."""
        button = self._mine[field]
        if mine:
            button.setChecked(True)
        else:
            other = next(b for b in button.group().buttons() if b is not button)
            other.setChecked(True)

    def kept_mine(self) -> set[str]:
        """The fields where the officer keeps their own value."""
        return {name for name, button in self._mine.items() if button.isChecked()}


def keep_mine(parent: QWidget, refused: RowChanged, edited: Collection[str]) -> set[str] | None:
    """Ask which fields of ``refused`` keep the officer's value: those fields (the rest take the
    value saved meanwhile), or None when they go back to editing. Nothing to ask when no field
    differs: the save goes over the new version as it is."""
    if not refused.fields:
        return set()
    dialog = StaleDialog(refused, edited, parent)
    try:
        return dialog.kept_mine() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


@dataclass
class Correction:
    """What a form correcting one stored row keeps: the ``version`` it read (its commit saves
    over it), the row's values as first shown (``first``, by column), and how to show a value
    saved meanwhile in its field (``show_saved``)."""

    version: int | None
    first: Mapping[str, Any]
    show_saved: Callable[[str, Any], None]


def commit_over_changes(
    parent: QWidget, correction: Correction | None, commit: Callable[[], None]
) -> None:
    """Run ``commit``; when the row was saved meanwhile, ask per field whose value to keep,
    show the choice in the form and run ``commit`` again, over the new version (it reads
    ``correction.version``). RowChanged when the officer goes back to editing (or the form
    corrects no stored row)."""
    while True:
        try:
            commit()
            return
        except RowChanged as refused:
            if correction is None:
                raise
            edited = {f.field for f in refused.fields if f.mine != correction.first.get(f.field)}
            kept = keep_mine(parent, refused, edited)
            if kept is None:
                raise
            for clash in refused.fields:
                if clash.field not in kept:
                    correction.show_saved(clash.field, clash.theirs)
            correction.version = refused.version
