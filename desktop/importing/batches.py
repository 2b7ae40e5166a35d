"""The recorded imports (导入批次): what each file did, who imported it, whether it was undone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from desktop.models import ImportBatch
from desktop.store import Database


@dataclass(frozen=True, slots=True)
class BatchInfo:
    """One recorded import; ``counts`` as kept with it (per sheet, and notes)."""

    id: int
    file_name: str
    sha256: str
    operator: str
    imported_at: datetime
    counts: dict[str, Any]
    undone_at: datetime | None
    undone_by: str | None

    @classmethod
    def of(cls, batch: ImportBatch) -> BatchInfo:
        return cls(
            batch.id,
            batch.file_name,
            batch.sha256,
            batch.operator,
            batch.imported_at,
            json.loads(batch.counts or "{}"),
            batch.undone_at,
            batch.undone_by,
        )

    def totals(self) -> dict[str, int]:
        """Created, updated, unchanged, skipped and rejected rows over every sheet."""
        keys = ("created", "updated", "unchanged", "skipped", "rejected")
        sheets = self.counts.get("sheets", [])
        return {k: sum(int(s.get(k, 0)) for s in sheets) for k in keys}

    def to_json(self) -> dict[str, Any]:
        return {
            "batch": self.id,
            "file": self.file_name,
            "sha256": self.sha256,
            "operator": self.operator,
            "imported_at": self.imported_at.isoformat(),
            "sheets": self.counts.get("sheets", []),
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
            "undone_by": self.undone_by,
        }


def list_batches(db: Database) -> list[BatchInfo]:
    """Every recorded import, newest first."""
    with db.reader() as s:
        return [
            BatchInfo.of(b) for b in s.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))
        ]
