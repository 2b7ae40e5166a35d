"""Long work with a progress dialog: cancel button, result or error back on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.progress import Progress
from desktop.qt.core import Qt
from desktop.qt.widgets import QProgressDialog, QWidget
from desktop.ui.background import BackgroundOp
from desktop.ui.messages import show_error


def run_with_progress(
    parent: QWidget,
    title: str,
    work: Callable[[Progress], Any],
    on_success: Callable[[Any], None],
    *,
    cancellable: bool = True,
) -> BackgroundOp:
    """Start ``work`` off the UI thread behind a window-modal progress dialog.

    ``on_success`` gets the result (also of work that, cancelled, returns what it did before);
    a failure is shown as a dialog saying what to do next; a cancel otherwise just closes the
    dialog. Work that cannot stop half-way (one transaction that does not report progress) is
    not ``cancellable``: its dialog has no cancel button. The operation is returned (tests
    wait on it).
    """
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    op = BackgroundOp(work, dialog)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))

    def finished() -> None:
        dialog.reset()
        dialog.deleteLater()

    op.progressed.connect(progressed)
    op.succeeded.connect(on_success)
    op.failed.connect(lambda exc: show_error(parent, f"{title}未完成", exc))
    op.finished.connect(finished)
    if cancellable:
        dialog.canceled.connect(op.cancel)
    else:
        dialog.setCancelButton(None)  # type: ignore[arg-type]
    op.start()
    return op
