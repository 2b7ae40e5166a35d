"""The background helper: result, error and cancel arrive on the UI thread; nothing leaks."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from desktop.progress import Cancelled, Progress
from desktop.qt.core import QThread
from desktop.store import StoreError
from desktop.ui.background import BackgroundOp, running, stop_all
from desktop.ui.messages import next_step


def _counting(total: int, gate: threading.Event | None = None):
    def work(progress: Progress) -> int:
        for done in range(1, total + 1):
            if gate is not None:
                gate.wait(5)
            progress(done, total)
        return total * 2

    return work


def test_result_and_progress_on_the_ui_thread(qtbot: QtBot) -> None:
    op = BackgroundOp(_counting(1000))
    threads: list[bool] = []
    seen: list[tuple[int, int]] = []
    op.progressed.connect(lambda d, t: seen.append((d, t)))
    op.succeeded.connect(lambda _r: threads.append(QThread.currentThread() is op.thread()))
    with qtbot.waitSignal(op.succeeded, timeout=5000) as result:
        op.start()
    assert result.args == [2000]
    assert threads == [True]
    assert seen[-1] == (1000, 1000) and len(seen) < 1000  # throttled
    assert op.wait(5)


def test_error_arrives_as_the_exception(qtbot: QtBot) -> None:
    def fail(_progress: Progress) -> None:
        raise StoreError("数据库被占用")

    op = BackgroundOp(fail)
    with qtbot.waitSignal(op.failed, timeout=5000) as failure:
        op.start()
    assert isinstance(failure.args[0], StoreError)
    assert next_step(failure.args[0]).startswith("数据库被占用\n\n请")
    assert op.wait(5)


def test_cancel_stops_at_the_next_progress_report(qtbot: QtBot) -> None:
    gate = threading.Event()
    op = BackgroundOp(_counting(10, gate))
    with qtbot.waitSignal(op.cancelled, timeout=5000):
        op.start()
        op.cancel()
        gate.set()
    assert op.wait(5) and op.is_done()


def _rolling_back(gate: threading.Event):
    """Work that, like an import, catches the cancel and returns what it did before it."""

    def work(progress: Progress) -> str:
        try:
            for done in range(1, 11):
                gate.wait(5)
                progress(done, 10)
        except Cancelled:
            return f"stopped after {done - 1}"
        return "all"

    return work


def test_work_that_catches_the_cancel_delivers_what_it_did(qtbot: QtBot) -> None:
    gate = threading.Event()
    op = BackgroundOp(_rolling_back(gate))
    with qtbot.waitSignal(op.succeeded, timeout=5000) as result:
        op.start()
        op.cancel()
        gate.set()
    assert result.args == ["stopped after 0"]


def test_an_abandoned_operation_delivers_nothing(qtbot: QtBot) -> None:
    gate = threading.Event()
    op = BackgroundOp(_rolling_back(gate))
    delivered: list[object] = []
    op.succeeded.connect(delivered.append)
    with qtbot.waitSignal(op.cancelled, timeout=5000):
        op.start()
        op.abandon()  # as stop_all does when the window closes
        gate.set()
        assert stop_all(5000)
    qtbot.waitUntil(lambda: running() == 0)
    assert delivered == []


@pytest.mark.parametrize(
    ("exc", "start"),
    [(PermissionError(13, "denied", "/x.xlsx"), "没有权限读写文件：/x.xlsx"),
     (ValueError("boom"), "意外错误：ValueError: boom")],
)  # fmt: skip
def test_next_step_names_the_way_forward(exc: Exception, start: str) -> None:
    assert next_step(exc).startswith(start)


def test_stop_all_cancels_and_waits(qtbot: QtBot) -> None:
    gate = threading.Event()
    op = BackgroundOp(_counting(10, gate))
    with qtbot.waitSignal(op.cancelled, timeout=5000):
        op.start()
        threading.Timer(0.1, gate.set).start()  # the work reaches its next progress report
        assert stop_all(5000)
        assert op.is_done()
    qtbot.waitUntil(lambda: running() == 0)
