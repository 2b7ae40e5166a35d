"""The core runs without Qt: importing every module but the window's, the printer's and the
shim's loads no PySide6. import-linter (scripts/test.sh) checks the imports written in the code;
this checks what importing really loads, so it runs where PySide6 is installed (marked ``qt``:
headless, nothing could load it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import desktop

QT_SIDE = ("desktop.ui", "desktop.printing", "desktop.qt")
NOT_MODULES = ("desktop.store.migrations",)  # Alembic's scripts, run by Alembic only


def core_modules() -> list[str]:
    """Every module of the package that is not on the Qt side."""
    root = Path(desktop.__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not name.startswith(QT_SIDE + NOT_MODULES):
            names.append(name)
    return names


@pytest.mark.qt
def test_importing_the_core_and_the_command_line_loads_no_qt() -> None:
    names = core_modules()
    assert {"desktop.values", "desktop.forms.layout", "desktop.cli.output_commands"} <= set(names)
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'shiboken6'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
