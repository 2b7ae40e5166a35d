"""Running a parser in a child process with a memory cap and a timeout.

python-calamine aborts its whole process on some inputs and other parsers stall; in a child
neither can take the application down. The child is started with 'spawn' (safe next to Qt and
identical on Windows, where the memory cap is not available and only the timeout applies).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]


class ChildFailed(Exception):
    """The child died, ran out of memory or time; ``str()`` says which, in Chinese."""


def _cap_memory(memory_bytes: int) -> None:
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _child_main(
    sender: Connection, memory_bytes: int, target: Callable[..., Any], args: tuple[Any, ...]
) -> None:
    _cap_memory(memory_bytes)
    try:
        outcome: tuple[str, Any] = ("ok", target(*args))
    except MemoryError:
        outcome = ("failed", "读取时占用内存超过上限，已中止（文件可能过大或被恶意构造）")
    except Exception as exc:  # handed to the parent, which re-raises it
        outcome = ("raised", exc)
    sender.send(outcome)
    sender.close()


def run_isolated(target: Callable[..., Any], *args: Any, memory_bytes: int, timeout: float) -> Any:
    """``target(*args)`` in a child process; its exceptions are re-raised here.

    ``target`` and ``args`` must be picklable (a module-level function). Raises ``ChildFailed``
    when the child exceeds ``timeout`` seconds or dies (a native abort, the memory cap).
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child_main, args=(sender, memory_bytes, target, args), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ChildFailed(
                f"读取超过 {timeout:.0f} 秒仍未完成，已中止（文件可能过大或被恶意构造）"
            )
        status, payload = receiver.recv()
    except EOFError:
        process.join(5)
        raise ChildFailed(
            f"读取进程异常终止（代码 {process.exitcode}），文件可能已损坏、过大或被恶意构造"
        ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "raised":
        raise payload
    if status == "failed":
        raise ChildFailed(payload)
    return payload
