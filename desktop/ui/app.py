"""``run_window``: the Qt application, its translations, opening the database, the window."""

from __future__ import annotations

import os
import sys

from desktop import APP_NAME
from desktop.qt.core import QLibraryInfo, QLocale, QTranslator
from desktop.qt.widgets import QApplication, QMessageBox
from desktop.store import Database, DatabaseDamaged, StoreError, open_database
from desktop.store.backups import restore_from
from desktop.store.database import OPERATOR_ENV
from desktop.store.location import Location, shown
from desktop.store.paths import default_db_path
from desktop.ui.database_dialog import open_asking_password
from desktop.ui.first_run import ask_first_run
from desktop.ui.main_window import MainWindow
from desktop.ui.messages import confirm
from desktop.ui.remembered import remembered_database

EXIT_NOTHING_DONE = 2


def load_qt_translations(app: QApplication) -> QTranslator | None:
    """Qt's own dialogs in Chinese (``qtbase_zh_CN``), when the file is installed."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder
    ):
        return None
    app.installTranslator(translator)
    return translator


def offer_restore(damaged: DatabaseDamaged) -> bool:
    """Explain the damaged file; True when the officer chose to restore the newest backup."""
    box = QMessageBox(QMessageBox.Icon.Critical, "数据库文件已损坏", str(damaged))
    box.setInformativeText("损坏的文件没有被改动。")
    restore = None
    if damaged.newest_backup is not None:
        restore = box.addButton("用最新备份恢复", QMessageBox.ButtonRole.AcceptRole)
        box.setInformativeText(
            f"损坏的文件没有被改动；恢复时它会被移到备份文件夹另存。\n最新可用备份：{damaged.newest_backup}"
        )
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return restore is not None and box.clickedButton() is restore


def open_with_dialogs(db_path: Location, operator: str | None) -> Database | None:
    """Open the database, asking for a server's password when it wants one, explaining any
    problem; None when the window cannot open."""
    try:
        return open_asking_password(None, db_path, operator)
    except DatabaseDamaged as damaged:
        if not offer_restore(damaged) or damaged.newest_backup is None:
            return None
        try:
            restore_from(damaged.path, damaged.newest_backup)
            return open_database(db_path, operator)
        except StoreError as exc:
            QMessageBox.critical(None, "恢复失败", f"{exc}\n\n请联系维护人员。")
            return None
    except StoreError as exc:
        QMessageBox.critical(None, "无法打开数据库", f"{exc}\n\n请检查文件位置和权限后重试。")
        return None


def open_and_close(db: Database) -> str:
    """Build the main window on ``db``, show it, let it settle and close it (``selftest``)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(db, remember=False)  # the officer's remembered window stays as it was
    window.show()
    app.processEvents()
    title = window.windowTitle()
    window.close()
    window.deleteLater()
    app.processEvents()
    return f"完成（{title}）"


def starting_location(given: Location | None) -> Location:
    """``given`` (``--db``, ``$RELIEF_DESK_DB``), else the database chosen in 设置 last time,
    else the per-user file."""
    return given or remembered_database() or default_db_path()


def open_at_start(given: Location | None, operator: str | None) -> Database | None:
    """Open :func:`starting_location`; when the database chosen in 设置 last time cannot be
    opened (a server down, a password not given), offer this computer's own file instead."""
    location = starting_location(given)
    db = open_with_dialogs(location, operator)
    own = default_db_path()
    if db is not None or given is not None or location == own:
        return db
    question = (
        f"上次在设置中选择的数据库 {shown(location)} 未能打开。\n"
        f"改为打开本机的数据库文件 {own} 吗？（之后可在 设置 →「更换数据库…」重新选择）"
    )
    return open_with_dialogs(own, operator) if confirm(None, "改用本机数据库", question) else None


def run_window(given: Location | None, operator: str | None) -> int:
    """Open the main window on ``given`` (``--db`` or ``$RELIEF_DESK_DB``: a file, or a
    server's URL), else on the database chosen in 设置 last time, else on the per-user file;
    returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    load_qt_translations(app)  # type: ignore[arg-type]
    db = open_at_start(given, operator)
    if db is None:
        return EXIT_NOTHING_DONE
    if not ask_first_run(db, operator or os.environ.get(OPERATOR_ENV)):
        db.close()
        return EXIT_NOTHING_DONE
    window = MainWindow(db)
    window.show()
    return app.exec()
