"""``forms`` and ``filing`` are siblings over ``rules``: neither imports the other."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("package", "sibling"),
    [("desktop.forms", "desktop.filing"), ("desktop.filing", "desktop.forms")],
)
def test_a_paperwork_package_imports_nothing_of_its_sibling(package: str, sibling: str) -> None:
    modules = ("content", "layout", "operations", "applicants", "capitals")
    if package == "desktop.filing":
        modules = ("filing_sheet", "ledger", "cells", "operations")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module('{package}.' + m)\n"
        f"print(sorted(m for m in sys.modules if m.startswith('{sibling}')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
