"""scripts/start.sh installs once, then only starts (issue 17: it reinstalled on every run)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the script is bash")


def _executable(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/usr/bin/env bash\n{body}\n", "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the scripts and packaging files, with a stand-in for an installed .venv and a
    ``python3`` on PATH that only records that an install was attempted."""
    for name in ("scripts", "pyproject.toml", "setup.py"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy2
        copy(source, tmp_path / name)
    _executable(tmp_path / ".venv/bin/relief-desk", 'echo "started $*"')
    _executable(tmp_path / "bin/python3", f'echo install >>"{tmp_path}/installs"; exit 1')
    # system-packages.sh must find nothing to do: pretend dpkg knows every package
    _executable(tmp_path / "bin/dpkg-query", 'echo "install ok installed"')
    return tmp_path


def _start(checkout: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{checkout / 'bin'}:{os.environ['PATH']}"}
    script = checkout / "scripts/start.sh"
    return subprocess.run(
        ["bash", str(script), "--version"], env=env, capture_output=True, text=True, check=False
    )


def _stamp(checkout: Path) -> None:
    """Record the present packaging files as installed, the way the script does after a run."""
    first = _start(checkout)  # fails at the stand-in python3: nothing is stamped
    assert first.returncode != 0 and not (checkout / ".venv/.relief-desk-installed").exists()
    done = subprocess.run(
        "cat pyproject.toml setup.py | sha256sum | cut -d' ' -f1",
        shell=True, cwd=checkout, capture_output=True, text=True, check=True,
    )  # fmt: skip
    (checkout / ".venv/.relief-desk-installed").write_text(done.stdout, "utf-8")
    (checkout / "installs").unlink()


def test_an_installed_checkout_just_starts(checkout: Path) -> None:
    _stamp(checkout)
    done = _start(checkout)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "started --version"
    assert not (checkout / "installs").exists()
    assert done.stderr == ""


def test_changed_packaging_installs_again(checkout: Path) -> None:
    _stamp(checkout)
    with (checkout / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write("\n# a new dependency\n")
    done = _start(checkout)
    assert (checkout / "installs").read_text().split() == ["install"]
    assert done.returncode != 0  # the stand-in install failed: it does not start half-installed
    assert "started" not in done.stdout
