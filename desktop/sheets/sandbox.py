"""Running a parser in a child process with a memory cap and a timeout.

python-calamine aborts its whole process on some inputs and other parsers stall; in a child
neither can take the application down. The child is started with 'spawn' (safe next to Qt and
identical on Windows, where the memory cap is not available and only the timeout applies).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from types import GeneratorType, TracebackType
from typing import Any

from desktop.gcpause import gc_paused

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]


class ChildFailed(Exception):
    """The child died, ran out of memory or time; ``str()`` says which, in Chinese."""


def _cap_memory(memory_bytes: int) -> None:
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _silence_stderr() -> None:
    """A native abort prints pages to stderr; the parent says what happened in one line."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _send_all(sender: Connection, outbox: queue.SimpleQueue[memoryview | None]) -> None:
    """Send what is put in ``outbox``, in order, until None."""
    while (data := outbox.get()) is not None:
        sender.send_bytes(data)


def _child_main(
    sender: Connection, memory_bytes: int, target: Callable[..., Any], args: tuple[Any, ...]
) -> None:
    """Run ``target`` and send its outcome; a generator's parts are sent by a thread of their
    own as they come, so that the reading goes on while the parent is busy with a part."""
    _silence_stderr()
    _cap_memory(memory_bytes)
    gc.disable()  # a short-lived process building many small objects
    outbox: queue.SimpleQueue[memoryview | None] = queue.SimpleQueue()
    thread = threading.Thread(target=_send_all, args=(sender, outbox), daemon=True)
    thread.start()
    try:
        found = target(*args)
        if isinstance(found, GeneratorType):
            for part in found:
                outbox.put(ForkingPickler.dumps(("part", part)))
            found = None
        outcome: tuple[str, Any] = ("ok", found)
    except MemoryError:
        outcome = ("failed", "读取时占用内存超过上限，已中止（文件可能过大或被恶意构造）")
    except Exception as exc:  # handed to the parent, which re-raises it
        outcome = ("raised", exc)
    outbox.put(ForkingPickler.dumps(outcome))
    outbox.put(None)
    thread.join()
    sender.close()


def _death_reason(exitcode: int | None) -> str:
    if exitcode == -signal.SIGABRT:  # a native allocation beyond the cap aborts
        return "读取时占用内存超过上限而中止：文件过大或被恶意构造"
    return f"读取进程异常终止（退出码 {exitcode}）：文件可能已损坏、过大或被恶意构造"


class IsolatedCall:
    """``target(*args)`` running in a child process from construction on.

    Use as a context manager (the child is killed on leaving if still running) and collect the
    answer with ``result()``, or, ``target`` a generator, what it yields with ``parts()``; the
    parent may do other work meanwhile. ``target`` and ``args`` must be picklable (a
    module-level function). The child has ``timeout`` seconds, not counting the time the parent
    spends between taking one part and asking for the next.
    """

    def __init__(
        self, target: Callable[..., Any], *args: Any, memory_bytes: int, timeout: float
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child_main, args=(sender, memory_bytes, target, args), daemon=True
        )
        self._deadline = time.monotonic() + timeout
        self._timeout = timeout
        self._taken: float | None = None  # when the parent took the last part
        self._process.start()
        sender.close()

    def result(self) -> Any:
        """The child's return value; its exception re-raised; ``ChildFailed`` if it died."""
        return self._outcome(*self._receive())

    def parts(self) -> Iterator[Any]:
        """Each part the child's generator yields, as it comes; then raises as ``result()``."""
        while True:
            status, payload = self._receive()
            if status != "part":
                self._outcome(status, payload)
                return
            yield payload

    def _receive(self) -> tuple[str, Any]:
        if self._taken is not None:  # the parent's own time since then is not the child's
            self._deadline += time.monotonic() - self._taken
        try:
            if not self._receiver.poll(max(self._deadline - time.monotonic(), 0)):
                raise ChildFailed(
                    f"读取超过 {self._timeout:.0f} 秒仍未完成，已中止（文件可能过大或被恶意构造）"
                )
            with gc_paused():
                found: tuple[str, Any] = self._receiver.recv()
        except EOFError:
            self._process.join(5)
            raise ChildFailed(_death_reason(self._process.exitcode)) from None
        self._taken = time.monotonic()
        return found

    @staticmethod
    def _outcome(status: str, payload: Any) -> Any:
        if status == "raised":
            raise payload
        if status == "failed":
            raise ChildFailed(payload)
        return payload

    def __enter__(self) -> IsolatedCall:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receiver.close()
