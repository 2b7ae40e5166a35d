"""Column mappings the officer corrected, remembered per set of headers (a JSON file in the
per-user config folder), so the same layout is read the same way next time."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import platformdirs

FILE_NAME = "column_maps.json"


def default_path() -> Path:
    """``column_maps.json`` in the per-user config folder."""
    return Path(platformdirs.user_config_dir("ReliefDesk", appauthor=False)) / FILE_NAME


def header_key(kind: str, headers: Iterable[str]) -> str:
    """The key of a sheet layout: its kind and the set of headers recognised in it."""
    return kind + "|" + "|".join(sorted(set(headers)))


class ColumnMemory:
    """Remembered ``{field: header}`` corrections, by :func:`header_key`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def recall(self, key: str) -> dict[str, str]:
        """The corrections remembered for ``key`` (empty when none)."""
        found = self._load().get(key, {})
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def remember(self, key: str, mapping: Mapping[str, str]) -> None:
        """Keep ``mapping`` for ``key`` (replacing what was kept)."""
        data = self._load()
        data[key] = dict(mapping)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
        tmp.replace(self.path)
