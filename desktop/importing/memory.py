"""Corrections the officer made to how a sheet is read — its kind, header row and column
mapping — remembered per layout (a JSON file in the per-user config folder, shared by the
window and the command line), so the same layout is read the same way next time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from desktop.sheets.choice import NO_CHOICE, Correction, SheetChoice
from desktop.store.paths import config_dir

FILE_NAME = "column_maps.json"


def default_path() -> Path:
    """``column_maps.json`` in the per-user config folder."""
    return config_dir() / FILE_NAME


def _correction(found: Any) -> Correction:
    """An entry as stored; a bare ``{field: header}`` map is how earlier versions kept it."""
    if not isinstance(found, dict):
        return Correction()
    columns = found.get("columns", {}) if "columns" in found else found
    kind, row = found.get("kind"), found.get("header_row")
    return Correction(
        {str(k): str(v) for k, v in columns.items()} if isinstance(columns, dict) else {},
        SheetChoice(
            str(kind) if isinstance(kind, str) else None,
            row if isinstance(row, int) and row > 0 else None,
        ),
    )


class ColumnMemory:
    """Remembered corrections, by layout key (``desktop.sheets.choice.layout_key``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def recall(self, key: str) -> Correction:
        """The correction remembered for ``key`` (empty when none)."""
        return _correction(self._load().get(key))

    def corrections(self) -> dict[str, Correction]:
        """Every remembered correction, by key (for ``read_workbook``'s ``remembered``)."""
        found = {key: _correction(entry) for key, entry in self._load().items()}
        return {key: correction for key, correction in found.items() if correction}

    def remember(
        self, key: str, columns: Mapping[str, str], choice: SheetChoice = NO_CHOICE
    ) -> None:
        """Keep ``columns`` and ``choice`` for ``key`` (replacing what was kept)."""
        data = self._load()
        data[key] = {"columns": dict(columns), "kind": choice.kind, "header_row": choice.header_row}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
        tmp.replace(self.path)
