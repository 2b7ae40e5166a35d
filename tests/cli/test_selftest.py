"""``relief-desk selftest``: every step on a scratch database, the officer's own untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main, selftest_command


@pytest.mark.qt
def test_selftest_passes_without_a_display(tmp_path: Path) -> None:
    own = tmp_path / "own.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(own), "selftest"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "自检通过"
    steps = [line.split("：", 1)[0] for line in lines[:-1]]
    assert steps == ["数据库", "示例数据", "测算", "台账", "窗口", "申请表"]
    assert "申请表：打印：2 份" in done.stdout  # the sample county's two white-list awards
    assert not own.exists()  # the officer's database is not opened, let alone created


def test_a_failing_step_is_named_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(db: object) -> None:
        raise OSError("示例文件缺失")

    monkeypatch.setattr(selftest_command, "load_sample", broken)
    assert main(["--db", str(tmp_path / "own.sqlite3"), "selftest"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "自检失败：示例数据：导入：OSError: 示例文件缺失"
    assert "自检通过" not in captured.out
