"""Which other programs have a file open (Linux ``/proc``; elsewhere nobody can be named)."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def holders(path: Path) -> list[str]:
    """「程序名（进程 N）」 for every other process with ``path`` open, where the system says."""
    target = str(path.resolve())
    found: list[str] = []
    if not PROC.is_dir():
        return found
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if any(os.readlink(fd) == target for fd in (entry / "fd").iterdir()):
                name = (entry / "comm").read_text(encoding="utf-8", errors="replace").strip()
                found.append(f"{name}（进程 {entry.name}）")
        except OSError:  # gone, or not ours to look at
            continue
    return found
