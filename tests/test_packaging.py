"""The wheel (a non-editable install) carries resources/ and the migrations, and they work."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built once a run: the pytest-xdist workers share it (a build writes the
    checkout's build/ and egg-info, so two at once trip over each other)."""
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent  # every worker's folder is in the run's
    out = run / "wheel"
    with (run / "wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for the one building
        if not any(out.glob("relief_desk-*.whl")):
            subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                 "-w", str(out), str(ROOT)],
                check=True,
                capture_output=True,
            )  # fmt: skip
    (found,) = out.glob("relief_desk-*.whl")
    return found


def test_wheel_holds_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "desktop/resources/samples/sample_county.json" in names
    assert "desktop/store/migrations/env.py" in names
    assert any(n.startswith("desktop/store/migrations/versions/0001") for n in names)
    assert "desktop/resources/policies/xinzhou-2022-86.toml" in names
    assert any(n.startswith("desktop/resources/fonts/") for n in names)
    assert "desktop/resources/icons/roster.svg" in names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_installed_wheel_opens_a_database_and_loads_the_sample(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    script = (
        "import sys, desktop; from pathlib import Path;"
        "from desktop.store import open_database; from desktop.samples import load_sample;"
        f"assert Path(desktop.__file__).is_relative_to(Path({str(target)!r}));"
        f"db = open_database(Path({str(tmp_path / 'w.sqlite3')!r}), 'ci');"
        "print(load_sample(db))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "14"
