"""Exported files get a normal file's permissions, not the temporary's 0600 (issue 17)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desktop.paperwork import replacing

pytestmark = pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_what_open_would_give(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # the mode any program of this user would give a new file
    target = tmp_path / "台账.xlsx"
    with replacing(target) as temporary:
        temporary.write_bytes(b"data")
    assert target.read_bytes() == b"data"
    assert _mode(target) == _mode(plain)
    assert _mode(target) & 0o044  # readable by others under the usual umask, unlike mkstemp's


def test_a_replaced_file_keeps_its_own_mode(tmp_path: Path) -> None:
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with replacing(target) as temporary:
        temporary.write_bytes(b"new")
    assert _mode(target) == 0o640
