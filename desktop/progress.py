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
