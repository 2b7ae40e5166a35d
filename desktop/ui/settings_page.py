"""设置: operator, filing unit and phone, backups kept, the database (a file or a server, and
changing it), the sample county, the zones and the key chains; leaving it with changes not
saved asks first."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.changes import Changes
from desktop.qt.core import QUrl, Signal
from desktop.qt.gui import QDesktopServices
from desktop.qt.widgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from desktop.roster.fields import ZONE_FIELDS
from desktop.roster.reference import (
    ZoneRow,
    list_chains,
    list_zones,
    save_chains,
    save_zones,
)
from desktop.store import Database, StoreError
from desktop.store.settings import get_setting, set_setting
from desktop.ui.choice_delegate import use_choices
from desktop.ui.database_dialog import DatabaseDialog
from desktop.ui.first_run import LOGIN_NOTE
from desktop.ui.holiday_box import HolidayBox
from desktop.ui.icons import with_icon
from desktop.ui.messages import Unsaved, ask_unsaved, show_error
from desktop.ui.page import Page
from desktop.ui.row_list_model import Column, RowListModel

ZONE_COLUMNS = tuple(map(Column.of, ZONE_FIELDS.values()))


@dataclass
class ChainRow:
    """A key chain in the settings table."""

    name: str
    id: int | None = None


def _table(model: RowListModel) -> tuple[QTableView, QHBoxLayout]:
    view = QTableView()
    view.setModel(model)
    use_choices(view, model)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().setVisible(False)
    add = with_icon(QPushButton("添加"), "add")
    remove = with_icon(QPushButton("删除所选"), "delete")
    add.clicked.connect(lambda: view.edit(model.index(model.append_row(), 0)))

    def remove_selected() -> None:
        for row in sorted({i.row() for i in view.selectionModel().selectedIndexes()}, reverse=True):
            model.remove_row(row)

    remove.clicked.connect(remove_selected)
    buttons = QHBoxLayout()
    buttons.addWidget(add)
    buttons.addWidget(remove)
    buttons.addStretch()
    return view, buttons


class SettingsPage(Page):
    """Edit the settings and reference lists; publishes what a save changed."""

    remove_sample_requested = Signal()  # the window removes the sample county (after asking)
    database_chosen = Signal(object)  # a Database opened in 更换数据库…: the window switches to it

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.operator, self.filing_unit, self.filing_phone = QLineEdit(), QLineEdit(), QLineEdit()
        self.filing_unit.setPlaceholderText("填报单位，如 忻府区工业和信息化局")
        self.filing_phone.setPlaceholderText("填报单位的联系电话，如 0350-3036001")
        self.backup_keep = QSpinBox(minimum=1, maximum=500)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.zones = RowListModel(ZONE_COLUMNS, lambda _rows: ZoneRow(""), self)
        self.chains = RowListModel(
            (Column("name", "重点产业链名称"),), lambda _rows: ChainRow(""), self
        )
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        for model in (self.zones, self.chains):
            model.rejected.connect(self.message.setText)
        self.save_button = with_icon(QPushButton("保存设置"), "save")
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self._general_box())
        lists = QHBoxLayout()
        lists.addWidget(
            self._list_box("开发区（省级 + 工业类 = 第十一条的工业类省级开发区）", self.zones), 3
        )
        lists.addWidget(self._list_box("重点产业链（第十三条）", self.chains), 2)
        self.holidays = HolidayBox(lambda: self.db, self.publish)
        lists.addWidget(self.holidays, 2)
        layout.addLayout(lists, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        layout.addLayout(bottom)
        self.set_database(db)

    def _general_box(self) -> QGroupBox:
        box = QGroupBox("一般设置")
        form = QFormLayout(box)
        form.addRow("操作人（记入操作记录）", self.operator)
        form.addRow("填报单位（申报表抬头）", self.filing_unit)
        form.addRow("联系电话（申报表、公示名单）", self.filing_phone)
        form.addRow("自动备份保留份数", self.backup_keep)
        self.open_folder = with_icon(QPushButton("打开数据文件夹"), "open")
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.file.parent)))
        )
        self.change_database = with_icon(QPushButton("更换数据库…"), "open")
        self.change_database.setToolTip("改用另一个数据库文件，或团队共用的数据库服务器")
        self.change_database.clicked.connect(self.choose_database)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.open_folder)
        row.addWidget(self.change_database)
        form.addRow("数据库", row)
        remove_sample = with_icon(QPushButton("删除示例数据…"), "delete")
        remove_sample.setToolTip("删除示例企业及其全部数据、示例开发区和产业链（记入操作记录）")
        remove_sample.clicked.connect(self.remove_sample_requested)
        sample_row = QHBoxLayout()
        sample_row.addWidget(QLabel("虚构企业，名称以「示例」开头；正式使用前删除"), 1)
        sample_row.addWidget(remove_sample)
        form.addRow("示例数据", sample_row)
        return box

    def choose_database(self) -> None:
        """Ask which database to use (a file or a server) and hand the one opened to the window."""
        dialog = DatabaseDialog(self.db.location, self)
        if dialog.exec() and dialog.opened is not None:
            self.database_chosen.emit(dialog.opened)

    @staticmethod
    def _list_box(title: str, model: RowListModel) -> QGroupBox:
        box = QGroupBox(title)
        view, buttons = _table(model)
        layout = QVBoxLayout(box)
        layout.addWidget(view)
        layout.addLayout(buttons)
        return box

    def set_database(self, db: Database) -> None:
        """Show the settings of ``db``."""
        self.db = db
        with db.reader() as s:
            self.filing_unit.setText(get_setting(s, "filing_unit"))
            self.filing_phone.setText(get_setting(s, "filing_phone"))
            self.backup_keep.setValue(int(get_setting(s, "backup_keep") or 20))
        self.operator.setText(db.operator)
        self.operator.setReadOnly(db.on_server)
        self.operator.setToolTip(LOGIN_NOTE if db.on_server else "")
        where = "服务器" if db.on_server else "本机文件"
        self.folder.setText(f"{where}：{db.where}")
        self.open_folder.setEnabled(not db.on_server)
        self.zones.set_rows(list_zones(db))
        self.chains.set_rows([ChainRow(name, chain_id) for chain_id, name in list_chains(db)])
        self.holidays.reload()
        self.message.clear()
        self._saved = self._shown()

    def _shown(self) -> tuple[object, ...]:
        """Everything the page shows that a save would write."""
        texts = (self.operator, self.filing_unit, self.filing_phone)
        lists = (self.zones.rows(), self.chains.rows())
        return (*(e.text().strip() for e in texts), self.backup_keep.value(), *lists)

    def may_leave(self) -> bool:
        """With changes not saved, ask: save them, drop them, or stay."""
        if self._shown() == self._saved:
            return True
        answer = ask_unsaved(self, "设置", "设置")
        if answer is Unsaved.SAVE:
            return self.save()
        if answer is Unsaved.DROP:
            self.set_database(self.db)  # show what is saved
            return True
        return False

    def on_changes(self, changes: Changes) -> None:
        """Read the settings and lists again when they changed (an import may add zones)."""
        if changes.touches(Changes.SETTINGS | Changes.ZONES | Changes.CHAINS):
            self.set_database(self.db)
        elif changes.touches(Changes.CASES):
            self.holidays.reload()

    def save(self) -> bool:
        """Save the settings, then each list (a list with a problem is not saved at all);
        True when everything was saved."""
        operator = self.operator.text().strip()
        if not operator:
            self.message.setText("操作人不能为空")
            return False
        with self.db.session(source="window") as s:
            if not self.db.on_server:  # there the operator is the login
                set_setting(s, "operator", operator)
            set_setting(s, "filing_unit", self.filing_unit.text().strip())
            set_setting(s, "filing_phone", self.filing_phone.text().strip())
            set_setting(s, "backup_keep", str(self.backup_keep.value()))
        self.db.operator = operator  # the list changes below are logged under the new name
        changes = Changes.SETTINGS
        try:
            changes |= save_zones(self.db, self.zones.rows())
            changes |= save_chains(self.db, [(c.id, c.name) for c in self.chains.rows()])
        except StoreError as exc:
            show_error(self, "开发区或产业链未保存", exc)
            self.changed.emit(changes)  # the others learn what was saved; the lists stay as typed
            return False
        self.publish(changes)
        self.window().statusBar().showMessage("设置已保存", 5000)
        return True
