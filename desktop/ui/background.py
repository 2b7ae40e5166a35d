"""Run an operation off the UI thread with progress and cancel (after Anki's ``QueryOp``).

The operation is a plain callable taking a :data:`~desktop.progress.Progress`: once
:meth:`BackgroundOp.cancel` was called, its next ``progress(done, total)`` raises
:class:`~desktop.progress.Cancelled`, which ends the operation. The result or the error arrives
on the UI thread through the ``succeeded`` / ``failed`` / ``cancelled`` signals. An operation
that catches the cancel and returns what it did (an import keeps the files written before it)
succeeds with that; once :func:`stop_all` abandoned it (the window closing), nothing but
``cancelled`` arrives.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from desktop.progress import Cancelled, Progress
from desktop.qt.core import QObject, QRunnable, QThreadPool, Signal, SignalInstance

PROGRESS_INTERVAL = 0.05  # seconds between progress signals (the UI need not see every row)
# Started operations and their runnables, kept until the UI thread has seen them finish, so
# the last reference always drops (and the QObject is deleted) on the UI thread.
_RUNNING: dict[BackgroundOp, QRunnable] = {}


def running() -> int:
    """How many operations have started and not yet ended."""
    return len(_RUNNING)


def stop_all(timeout_ms: int = 10_000) -> bool:
    """Abandon every running operation and wait for the threads (before the window closes)."""
    for op in list(_RUNNING):
        op.abandon()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


class _Reporter:
    """The operation's ``progress``: passes reports on (throttled), raises once cancelled."""

    def __init__(self, op: BackgroundOp) -> None:
        self._op = op
        self._last_report = 0.0

    def __call__(self, done: int, total: int) -> None:
        if self._op._cancel.is_set():
            raise Cancelled
        now = time.monotonic()
        if done >= total or now - self._last_report >= PROGRESS_INTERVAL:
            self._last_report = now
            self._op.progressed.emit(done, total)


class _Runner(QRunnable):
    def __init__(self, op: BackgroundOp) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._op = op

    def run(self) -> None:
        self._op._run()


class BackgroundOp(QObject):
    """One run of ``work(progress)`` on the global thread pool."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._abandoned = threading.Event()
        self._done = threading.Event()
        self.finished.connect(self._release)  # queued: runs on the UI thread

    def start(self) -> None:
        """Begin on a pool thread."""
        runner = _Runner(self)
        _RUNNING[self] = runner
        QThreadPool.globalInstance().start(runner)

    def cancel(self) -> None:
        """Ask the operation to stop at its next progress report."""
        self._cancel.set()

    def abandon(self) -> None:
        """Cancel, and deliver no result: whoever asked for it is going away."""
        self._abandoned.set()
        self.cancel()

    def is_done(self) -> bool:
        """True once the operation has ended (its outcome signal may still be queued)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the operation ends on its thread (tests, shutdown); True if it did."""
        return self._done.wait(timeout)

    def _run(self) -> None:
        try:
            result = self._work(_Reporter(self))
        except Cancelled:
            self._end(self.cancelled)
        except Exception as exc:  # every failure reaches the officer as a dialog
            self._end(self.failed, exc)
        else:
            if self._abandoned.is_set():
                self._end(self.cancelled)
            else:
                self._end(self.succeeded, result)

    def _end(self, outcome: SignalInstance, *args: object) -> None:
        """Done first, then the outcome: whoever receives it sees the operation ended."""
        self._done.set()
        outcome.emit(*args)
        self.finished.emit()

    def _release(self) -> None:
        _RUNNING.pop(self, None)
