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


@pytest.fixture
def db_with_publicity(db):
    """Enterprise 1 (忻府区) with a 第十二条 case in publicity from Friday 9 June 2023."""
    from datetime import date

    from desktop.cases.moves import Move, move_cases
    from desktop.cases.opening import open_cases
    from desktop.cases.states import State
    from tests.cases.conftest import BASIS, PARAMETERS, add_enterprises, result

    with db.session(source="command") as s:
        add_enterprises(s, 1)
        cases = open_cases(s, [result(1)], BASIS, PARAMETERS)
        for to in (State.RECEIVED, State.APPROVED, State.PUBLICITY):
            move_cases(s, cases, Move(to, on=date(2023, 6, 9)), PARAMETERS, date(2023, 6, 9))
    return db
