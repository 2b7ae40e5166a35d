"""The ``relief-desk`` console script: its module stays light, because every spawned child
that reads a spreadsheet imports it again (as ``__mp_main__``), and it runs the command line."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from desktop import __version__

ROOT = Path(__file__).resolve().parents[1]


def _target() -> tuple[str, str]:
    """The console script's module and function, as pyproject.toml declares them."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    module, function = scripts["relief-desk"].split(":")
    return module, function


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_script_module_imports_nothing_but_itself() -> None:
    module, _ = _target()
    code = (
        "import importlib, sys; before = set(sys.modules);"
        f"importlib.import_module({module!r});"
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    assert _python(code).split() == sorted({"desktop", module})


def test_the_script_function_runs_the_command_line() -> None:
    module, function = _target()
    code = (
        f"import sys; from {module} import {function} as run;"
        "sys.argv = ['relief-desk', '--version']; run()"
    )
    assert _python(code) == f"relief-desk {__version__}"
