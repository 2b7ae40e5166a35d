"""The first-run dialog: who works here and for which office, asked before anything is written
(else the change log would name the login, and filing sheets a blank 填报单位)."""

from __future__ import annotations

from desktop import APP_NAME_ZH
from desktop.qt.widgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from desktop.store import Database
from desktop.store.settings import get_setting, set_setting
from desktop.ui.icons import icon

# setting key, label, placeholder; the first two must be filled in
FIELDS = (
    ("operator", "操作人姓名", "如 张三（记入每一条操作记录）"),
    ("filing_unit", "填报单位", "如 忻府区工业和信息化局（印在申报表上）"),
    ("filing_phone", "联系电话", "如 0350-3036001（印在申报表和公示名单上，可不填）"),
)
REQUIRED = ("operator", "filing_unit")
LOGIN_NOTE = (
    "服务器上的操作记录记登录名（或启动时 --operator 所给的名字）；每位操作人用自己的账号登录"
)


class FirstRunDialog(QDialog):
    """Asks for the operator's name, the filing unit and its phone; 开始使用 once the first two
    are filled in, 退出 leaves without writing anything."""

    def __init__(
        self, operator: str = "", parent: QWidget | None = None, *, fixed: bool = False
    ) -> None:
        """``fixed``: on a server, where ``operator`` (the login) is shown and not asked."""
        super().__init__(parent)
        self.setWindowTitle(f"欢迎使用{APP_NAME_ZH}")
        self.setWindowIcon(icon("app"))
        intro = QLabel(
            "第一次使用，请先填写以下信息。操作人姓名记入每一条操作记录；"
            "填报单位和联系电话印在申报汇总表上。以后可在「设置」中修改。"
        )
        intro.setWordWrap(True)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, placeholder in FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(placeholder)
            edit.textChanged.connect(self._check)
            self.edits[key] = edit
            form.addRow(label + ("（必填）" if key in REQUIRED else ""), edit)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("开始使用", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 36)
        self.edits["operator"].setText(operator)
        if fixed:
            self.edits["operator"].setReadOnly(True)
            self.edits["operator"].setToolTip(LOGIN_NOTE)
        self._check()

    def _check(self) -> None:
        self.start_button.setEnabled(all(self.values()[key] for key in REQUIRED))

    def values(self) -> dict[str, str]:
        """What was typed, by setting key, stripped."""
        return {key: edit.text().strip() for key, edit in self.edits.items()}


def needs_first_run(db: Database) -> bool:
    """True until an operator's name is saved in ``db`` (on a server, where the operator is the
    login, until the filing unit is)."""
    with db.reader() as s:
        return not get_setting(s, "filing_unit" if db.on_server else "operator")


def save_first_run(db: Database, values: dict[str, str]) -> None:
    """Keep the answers as settings; ``db`` acts as the named operator from now on (on a
    server it stays the login: the saved settings are the whole team's)."""
    kept = {k: v for k, v in values.items() if not (db.on_server and k == "operator")}
    with db.session() as s:
        for key, value in kept.items():
            set_setting(s, key, value)
    if not db.on_server:
        db.operator = values["operator"]


def ask_first_run(db: Database, operator: str | None = None) -> bool:
    """On a first run, ask and save (the name offered: ``operator``, as given to the command,
    never the login); False when the officer chose to leave instead."""
    if not needs_first_run(db):
        return True
    if db.on_server:
        dialog = FirstRunDialog(db.operator, fixed=True)
    else:
        dialog = FirstRunDialog(operator or "")
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        save_first_run(db, dialog.values())
        return True
    finally:
        dialog.deleteLater()
