"""The forms of 包联服务: a person, a service team and its members, an enterprise's 包联."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop.models import Person, ServiceTeam
from desktop.qt.core import Qt
from desktop.qt.widgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)
from desktop.taskforce.teams import PersonEntry
from desktop.ui.form_dialog import FormDialog
from desktop.ui.stale_dialog import Correction
from desktop.values.choices import PERSON_KIND

LEADER_KINDS = frozenset({"市领导", "县领导"})


class PersonDialog(FormDialog):
    """A new person, or ``person`` changed; ``commit`` gets the entry."""

    def __init__(
        self,
        person: Person | None,
        commit: Callable[[PersonEntry], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("编辑人员" if person else "新增人员", parent)
        self.name, self.post, self.unit, self.phone = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.name.setPlaceholderText("同名的请注明单位，如 张伟（工信局）")
        self.kind = QComboBox()
        self.kind.addItems(list(PERSON_KIND.words))
        if person is not None:
            first = {c: getattr(person, c) for c in ("name", "kind", "post", "unit", "phone")}
            for column, value in first.items():
                self.show_saved(column, value)
            self.correction = Correction(person.version, first, self.show_saved)
        for label, field in (("姓名*", self.name), ("类别*", self.kind), ("职务", self.post),
                             ("单位", self.unit), ("联系电话", self.phone)):  # fmt: skip
            self.form.addRow(label, field)
        self.finish(lambda: commit(self.entry()))

    def show_saved(self, column: str, value: str | None) -> None:
        """A name, kind, post, unit or phone (saved meanwhile), in its field."""
        if column == "kind":
            self.kind.setCurrentText(value or "")
        else:
            fields = {"name": self.name, "post": self.post, "unit": self.unit}
            fields.get(column, self.phone).setText(value or "")

    def entry(self) -> PersonEntry:
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return PersonEntry(self.name.text(), self.kind.currentText(), text(self.post),
                           text(self.unit), text(self.phone))  # fmt: skip


class TeamDialog(FormDialog):
    """A new service team, or ``team`` changed: its name and the people in it."""

    def __init__(
        self,
        team: ServiceTeam | None,
        people: Sequence[Person],
        commit: Callable[[str, list[int]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("编辑服务小组" if team else "新增服务小组", parent)
        self.name = QLineEdit(team.name if team else "")
        self.name.setPlaceholderText("如 第一服务小组")
        members = {m.person_id for m in team.members} if team else set()
        self.members = QListWidget()
        for person in people:
            item = QListWidgetItem(
                f"{person.name}（{person.kind}{'，' + person.unit if person.unit else ''}）"
            )
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = person.id in members
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.members.addItem(item)
        self.form.addRow("小组名称*", self.name)
        self.form.addRow("小组成员（勾选）", self.members)
        self.finish(lambda: commit(self.name.text(), self.member_ids()))

    def member_ids(self) -> list[int]:
        items = [self.members.item(i) for i in range(self.members.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items
                if i.checkState() == Qt.CheckState.Checked]  # fmt: skip


def _choice(items: Sequence[tuple[int, str]], chosen: int | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("（无）", None)
    for item_id, text in items:
        combo.addItem(text, item_id)
    combo.setCurrentIndex(max(combo.findData(chosen), 0))
    return combo


class AssignDialog(FormDialog):
    """An enterprise's responsible leader and service team (both 无: off the 包联 list)."""

    def __init__(
        self,
        enterprise: QWidget,
        people: Sequence[Person],
        teams: Sequence[ServiceTeam],
        chosen: tuple[int | None, int | None],
        commit: Callable[[int | None, int | None], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("设置包联", parent)
        leaders = [(p.id, f"{p.name}（{p.kind}）") for p in people if p.kind in LEADER_KINDS]
        self.leader = _choice(leaders, chosen[0])
        self.team = _choice([(t.id, t.name) for t in teams], chosen[1])
        self.form.addRow("企业*", enterprise)
        self.form.addRow("包联领导", self.leader)
        self.form.addRow("服务小组", self.team)
        hint = QLabel("包联领导和服务小组都选「无」即从包联名单中移出。")
        hint.setStyleSheet("color: #555")
        self.form.addRow(hint)
        self.finish(lambda: commit(self.leader.currentData(), self.team.currentData()))
