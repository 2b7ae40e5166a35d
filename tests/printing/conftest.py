"""Reading printed PDFs back (poppler), and Qt via pytest-qt's ``qapp``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def pdf_text(path: Path) -> str:
    """The text of ``path`` as pdftotext extracts it."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path: Path) -> int:
    """The page count pdfinfo reports."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1])


@pytest.fixture
def forms_qapp(qapp):
    """The application pytest-qt made, so ``ensure_gui_application`` never makes a lesser one."""
    return qapp
