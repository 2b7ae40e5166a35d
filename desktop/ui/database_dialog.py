"""Choosing the database: a file on this computer or a PostgreSQL server shared by the team.

A server's password is never stored by the program: it is asked for when the server wants
one, each time the database is opened (libpq's own password file, ``PGPASSFILE`` — by default
``~/.pgpass``, on Windows ``%APPDATA%\\postgresql\\pgpass.conf`` — is read first, so an
officer who keeps one there is not asked)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from desktop.qt.core import Qt
from desktop.qt.gui import QGuiApplication
from desktop.qt.widgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from desktop.store import Database, StoreError, open_database
from desktop.store.errors import PasswordNeeded
from desktop.store.location import EXPECTED, Location, parse_location, shown, without_password
from desktop.ui.icons import with_icon

PASSWORD_TRIES = 3
URL_HINT = "postgresql://用户@主机[:端口]/库名"


def ask_password(parent: QWidget | None, url: URL, why: str) -> str | None:
    """The password for the server at ``url``, typed in a dialog that hides it; None when
    cancelled."""
    text, ok = QInputDialog.getText(
        parent,
        "数据库服务器密码",
        f"{why}\n\n{shown(without_password(url))} 的密码（不会保存）：",
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None


def open_asking_password(
    parent: QWidget | None, location: Location, operator: str | None
) -> Database | None:
    """Open the database at ``location``, asking for the server's password as long as it wants
    one (a few times at most); None when the officer cancels. Other problems raise."""
    for _ in range(PASSWORD_TRIES):
        try:
            return _opened(location, operator)
        except PasswordNeeded as needed:
            if not isinstance(location, URL):
                raise
            password = ask_password(parent, location, str(needed))
            if password is None:
                return None
            location = location.set(password=password)
    return _opened(location, operator)


def _opened(location: Location, operator: str | None) -> Database:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a server may take seconds
    try:
        return open_database(location, operator)
    finally:
        QGuiApplication.restoreOverrideCursor()


class DatabaseDialog(QDialog):
    """A file (the one open now, or another) or a server's address; 「打开」 opens it here, and
    ``opened`` holds it once the dialog is accepted."""

    def __init__(self, current: Location, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("更换数据库")
        self.opened: Database | None = None
        self.file_choice = QRadioButton("本机数据库文件（一台电脑单独使用）")
        self.server_choice = QRadioButton("数据库服务器（PostgreSQL，团队共用）")
        group = QButtonGroup(self)
        for button in (self.file_choice, self.server_choice):
            group.addButton(button)
        self.file = QLineEdit()
        self.file.setPlaceholderText("如 D:\\兑现\\relief-desk.sqlite3（不存在时新建）")
        self.server = QLineEdit()
        self.server.setPlaceholderText(URL_HINT)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        browse = with_icon(QPushButton("浏览…"), "open")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.file_choice)
        form.addRow("文件", file_row)
        form.addRow(self.server_choice)
        form.addRow("地址", self.server)
        note = QLabel(
            "服务器的密码在打开时询问，程序不保存；也可由管理员写入 PostgreSQL 的密码文件"
            "（PGPASSFILE）。不要把数据库文件放在共享文件夹中多人同时打开。"
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Open).setText("打开")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.file.textEdited.connect(lambda: self.file_choice.setChecked(True))
        self.server.textEdited.connect(lambda: self.server_choice.setChecked(True))
        if isinstance(current, URL):
            self.server.setText(shown(without_password(current)))  # asked again, if need be
            self.server_choice.setChecked(True)
        else:
            self.file.setText(str(current))
            self.file_choice.setChecked(True)
        self.resize(self.fontMetrics().horizontalAdvance("中") * 56, self.sizeHint().height())

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "数据库文件",
            self.file.text(),
            "数据库文件 (*.sqlite3 *.db);;所有文件 (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if name:
            self.file.setText(name)
            self.file_choice.setChecked(True)

    def chosen(self) -> Location:
        """What the officer chose; StoreError when the address cannot be read."""
        if self.server_choice.isChecked():
            return parse_location(self.server.text())  # a file's path would not be a server
        text = self.file.text().strip()
        if not text:
            raise StoreError("请填写数据库文件的位置")
        return Path(text)

    def accept(self) -> None:
        """Open what was chosen; the dialog stays, saying why, when it cannot be opened."""
        try:
            location = self.chosen()
            if self.server_choice.isChecked() and isinstance(location, Path):
                raise StoreError(f"服务器地址{EXPECTED}")
            self.opened = open_asking_password(self, location, None)
        except StoreError as exc:
            self.message.setText(str(exc))
            return
        if self.opened is not None:
            super().accept()
