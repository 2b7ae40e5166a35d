"""A failed file operation is said in Chinese, not in the system's English."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.oserrors import os_error_text


@pytest.mark.parametrize(("number", "text"), [
    (errno.ENOENT, "文件不存在"), (errno.EACCES, "没有权限"), (errno.ENOSPC, "磁盘空间不足"),
    (errno.EROFS, "所在位置只读"), (errno.EISDIR, "这是一个文件夹"),
])  # fmt: skip
def test_common_failures_in_the_officers_words(number: int, text: str) -> None:
    assert os_error_text(OSError(number, "English words", "/x.xlsx")) == text


def test_an_uncommon_failure_keeps_the_systems_words() -> None:
    assert os_error_text(OSError(errno.EXDEV, "Invalid cross-device link")) == (
        "Invalid cross-device link"
    )


def test_a_missing_file_to_import_is_one_line_in_chinese(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "import", str(tmp_path / "没有.xlsx")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["文件「没有.xlsx」无法打开：文件不存在"]
