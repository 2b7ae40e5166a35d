"""The one progress and cancel vocabulary of long operations (import, export, printing,
evaluation), Qt-free: the window's background helper and the command line both speak it.

An operation takes ``progress: Progress | None`` and calls ``progress(done, total)`` as it goes;
the caller stops it by raising :class:`Cancelled` from that call. The operation lets it through
(or catches it to roll back and say so); nothing else ends a long operation early.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The officer stopped the operation (raised from a ``progress`` call)."""


STAGE_STEPS = 1000  # the steps of one stage, as a stage reports its share of the whole


def stage(progress: Progress | None, index: int, count: int) -> Progress | None:
    """The ``index``-th (from 0) of ``count`` stages of one operation (evaluate, then write):
    its ``(done, total)`` reported as a share of the whole, which is done only when the last
    stage is (a progress dialog closes when it sees the end)."""
    if progress is None:
        return None
    whole = count * STAGE_STEPS

    def report(done: int, total: int) -> None:
        part = STAGE_STEPS * done // total if total else STAGE_STEPS
        progress(index * STAGE_STEPS + part, whole)

    return report


class Steps:
    """Counts the steps of a loop and reports every ``every`` of them, and the end."""

    def __init__(self, progress: Progress | None, total: int, every: int = 500) -> None:
        self._progress, self._total, self._every = progress, total, every
        self.done = 0

    def advance(self) -> None:
        """One more step done (reported at every ``every``-th and the last)."""
        self.done += 1
        if self._progress is not None and (
            self.done % self._every == 0 or self.done == self._total
        ):
            self._progress(self.done, self._total)
