"""Window fixtures: a main window on a fresh (or sample) database, modal-dialog helpers,
screenshots into artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from pytestqt.qtbot import QtBot

from desktop.qt.core import QEvent, QThreadPool, QTimer
from desktop.qt.widgets import QApplication, QDialog, QMessageBox, QWidget
from desktop.store import Database
from desktop.ui.app import load_qt_translations
from desktop.ui.main_window import MainWindow

P = TypeVar("P", bound=QWidget)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
OFFICE_SCREEN = (1366, 768)


@pytest.fixture(autouse=True)
def _nothing_left_behind(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves thread-pool work running or a top-level widget alive (napari's
    ``_dangling_qthread_pool``): it would act on, or be seen by, the tests after it.

    Runs after every other fixture's teardown, so the window fixture has closed its window.
    """
    before = set(QApplication.topLevelWidgets())
    yield
    pool = QThreadPool.globalInstance()
    # A task's last signal may arrive just before its thread returns: a grace of two seconds,
    # then whatever still runs is left behind (and waited for, so the next test starts clean).
    settled = pool.waitForDone(2_000)
    running = pool.activeThreadCount()
    pool.waitForDone(10_000)
    assert settled, f"{running} background task(s) still running two seconds after the test"
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # widgets closed, not gone
    left = [type(w).__name__ for w in QApplication.topLevelWidgets() if w not in before]
    assert not left, f"top-level widgets left behind: {left}"


@pytest.fixture(scope="session", autouse=True)
def _qt_in_chinese(qapp: QApplication) -> Iterator[None]:
    """Qt's own dialogs in Chinese, as ``run_window`` shows them to the officer."""
    translator = load_qt_translations(qapp)
    assert translator is not None, "qtbase_zh_CN.qm is missing from PySide6's translations"
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def window(qtbot: QtBot, sample_db: Database) -> Iterator[MainWindow]:
    """The main window over the sample county, at the office screen size."""
    win = MainWindow(sample_db)
    qtbot.addWidget(win)
    win.resize(*OFFICE_SCREEN)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    yield win
    win.close()
    assert QThreadPool.globalInstance().waitForDone(5000)


def open_page(window: MainWindow, title: str, kind: type[P]) -> P:
    """Show the page ``title`` and return it, checking it is the real page, not a placeholder."""
    window.show_page(title)
    page = window.pages[title]
    assert isinstance(page, kind), f"{title}: {type(page).__name__}"
    return page


def screenshot(widget: QWidget, name: str) -> Path:
    """Save ``widget`` as artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


_TEST_RUN = [0]  # which test is running: a dialog handler left over by an earlier one stops


@pytest.fixture(autouse=True)
def _forget_dialog_handlers() -> Iterator[None]:
    """A handler whose dialog never came must not act on the next test's dialogs."""
    yield
    _TEST_RUN[0] += 1


def when_modal(act: Callable[[QWidget], None], kind: type[QDialog] = QDialog) -> None:
    """Once a modal ``kind`` is up, run ``act`` on it (schedule this before opening it);
    gives up after a few seconds, or when the test that scheduled it ends."""
    tries = iter(range(250))
    run = _TEST_RUN[0]

    def poll() -> None:
        if run != _TEST_RUN[0]:
            return
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            try:
                act(modal)
            except BaseException:
                modal.reject()  # never leave a test waiting on a dialog
                raise
        elif next(tries, None) is not None:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def click_box(text: str, seen: list[str] | None = None) -> None:
    """Click the button labelled ``text`` of the next message box (its text kept in ``seen``)."""

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        if seen is not None:
            seen.append(box.text())
        button = next(b for b in box.buttons() if b.text().replace("&", "").startswith(text))
        button.click()

    when_modal(act, QMessageBox)
