"""Helpers of the fault suite: a county on disk, its content, and a command killed mid-way."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from sqlalchemy import Table

from desktop.models import Base


def content(
    path: Path, leaving_out: frozenset[str] = frozenset()
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every business table (what "the database unchanged" compares), but the
    columns ``leaving_out``."""

    def columns(table: Table) -> str:
        return ", ".join(c.name for c in table.columns if c.name not in leaving_out)

    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return {
            t.name: conn.execute(f"SELECT {columns(t)} FROM {t.name} ORDER BY 1").fetchall()
            for t in Base.metadata.sorted_tables
        }


def run_killed(args: list[str], rng: random.Random, at_most: float) -> int | None:
    """Run ``relief-desk ARGS`` and SIGKILL it after a random time (None when it finished first)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        child.communicate(timeout=rng.uniform(0, at_most))
        return child.returncode
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.communicate()
        return None


def real_files(folder: Path) -> set[str]:
    """Names in ``folder`` that are not hidden temporaries."""
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}
