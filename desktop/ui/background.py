"""Run an operation off the UI thread with progress and cancel (after Anki's ``QueryOp``).

The operation is a plain callable taking ``progress(done, total)``; calling ``progress`` after
:meth:`BackgroundOp.cancel` raises :class:`Cancelled`, which ends the operation. The result or
the error arrives on the UI thread through the ``succeeded`` / ``failed`` / ``cancelled`` signals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Progress = Callable[[int, int], None]
PROGRESS_INTERVAL = 0.05  # seconds between progress signals (the UI need not see every row)


class Cancelled(Exception):
    """The officer cancelled the operation."""


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
        self._done = threading.Event()
        self._last_report = 0.0
        self._runner = _Runner(self)

    def start(self) -> None:
        """Begin on a pool thread."""
        QThreadPool.globalInstance().start(self._runner)

    def cancel(self) -> None:
        """Ask the operation to stop at its next progress report."""
        self._cancel.set()

    def is_done(self) -> bool:
        """True once the operation has ended (its outcome signal may still be queued)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the operation ends on its thread (tests, shutdown); True if it did."""
        return self._done.wait(timeout)

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        now = time.monotonic()
        if done >= total or now - self._last_report >= PROGRESS_INTERVAL:
            self._last_report = now
            self.progressed.emit(done, total)

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # every failure reaches the officer as a dialog
            self.failed.emit(exc)
        else:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self._done.set()
            self.finished.emit()
