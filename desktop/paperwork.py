"""What the filing sheets and the forms share: the one error, the atomic file writer and the
default name of a paper."""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from datetime import date
from pathlib import Path

WHOLE_CITY = "全市"  # in a default file name, for a paper of every county


class PaperworkError(Exception):
    """Nothing was written; ``str()`` is the line the officer reads."""


def default_file_name(title: str, county: str | None, on: date, suffix: str) -> str:
    """What a paper is called until the officer names it: title, county and date, as in
    ``第十二条申报汇总表-忻府区-20261201.xlsx`` (全市 when it covers every county)."""
    return f"{title}-{county or WHOLE_CITY}-{on:%Y%m%d}{suffix}"


def _umask() -> int:
    """The process's umask (read once: setting it back is not atomic across threads)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file: 0644 under umask 022


def _mode_for(target: Path) -> int:
    """The permission bits ``target`` gets: those it had, else a new file's (not mkstemp's 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return _NEW_FILE_MODE


def _prefix(target: Path) -> str:
    return f".{target.stem}-"


def _stale(temporary: Path, prefix: str) -> bool:
    """True when ``temporary`` was left by a writer that is gone (its pid is in the name)."""
    pid = temporary.name[len(prefix) :].split("-", 1)[0]
    if not pid.isdigit() or os.name != "posix":
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def remove_stale_temporaries(target: Path) -> None:
    """Remove the temporaries of ``target`` that a killed writer left beside it."""
    prefix = _prefix(target)
    for temporary in target.parent.glob(f"{prefix}*{target.suffix}"):
        if _stale(temporary, prefix):
            temporary.unlink(missing_ok=True)


def disk_full(exc: BaseException | None) -> bool:
    """True when ``exc`` (or what it arose from) is ENOSPC."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def collect_after_full_disk(exc: BaseException) -> None:
    """After a failure on a full disk has been said, free what the failed writer left open,
    quietly: a workbook's zip and row writers, half written, would each print the same ENOSPC
    again as a traceback when the garbage collector closes them. Anything else: nothing done."""
    if not disk_full(exc):
        return
    hook, sys.unraisablehook = sys.unraisablehook, lambda _unraisable: None
    try:
        failure: BaseException | None = exc
        while failure is not None:
            traceback.clear_frames(failure.__traceback__)  # the finished frames holding them
            failure = failure.__cause__ or failure.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    On any error the temporary file is removed and ``target`` is left as it was; a full disk
    is a :class:`PaperworkError` saying so.
    """
    target = Path(target)
    remove_stale_temporaries(target)
    prefix = f"{_prefix(target)}{os.getpid()}-"
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except (OSError, ValueError) as exc:  # openpyxl reports a full disk as a closed file
        if disk_full(exc):
            raise PaperworkError(f"磁盘空间不足，未写出 {target}；原文件未改动") from exc
        raise
    finally:
        temporary.unlink(missing_ok=True)
