"""Builders of the workbooks the sheet tests read: real-world shapes and hostile files."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from stdnum.cn import uscc as uscc_code

SheetSpec = tuple[str, Sequence[Sequence[Any]]]


def code(serial: int, division: str = "140902") -> str:
    """A valid credit code for a fictional enterprise."""
    body = f"91{division}MA{serial:07d}"
    return body + uscc_code.calc_check_digit(body)


def write_xlsx(
    path: Path,
    sheets: Iterable[SheetSpec],
    *,
    merges: Sequence[str] = (),
    hidden_columns: Sequence[str] = (),
) -> Path:
    """A workbook of ``(name, rows)`` sheets; merges and hidden columns apply to the first."""
    wb = Workbook()
    wb.remove(wb.active)
    for n, (name, rows) in enumerate(sheets):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        if n == 0:
            for cells in merges:
                ws.merge_cells(cells)
            for letter in hidden_columns:
                ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    """``xlsx(rows, name="…", **options)`` writes a one-sheet workbook and returns its path."""
    counter = iter(range(1000))

    def make(rows: Sequence[Sequence[Any]], sheet: str = "Sheet1", **options: Any) -> Path:
        return write_xlsx(tmp_path / f"book{next(counter)}.xlsx", [(sheet, rows)], **options)

    return make


@pytest.fixture(scope="session")
def soffice_convert(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], Path]:
    """Convert a workbook with LibreOffice (``xls`` or ``ods``), the way officers' files are."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        pytest.skip("LibreOffice (apt: libreoffice-calc) is needed for .xls/.ods fixtures")
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(source: Path, fmt: str) -> Path:
        out_dir = source.parent / f"lo-{fmt}"
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        return out_dir / f"{source.stem}.{fmt}"

    return convert
