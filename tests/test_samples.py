"""The bundled sample county: valid, marked as samples, loaded once, logged."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc

from desktop.importing import list_batches, undo_batch
from desktop.models import ChangeRecord, Enterprise, Lease, MonthlyOutput, ProvincialAward
from desktop.samples import load_sample, sample_data
from desktop.store import Database, StoreError


def test_every_sample_code_is_valid_and_every_name_says_sample() -> None:
    for ent in sample_data()["enterprises"]:
        assert uscc.is_valid(ent["uscc"]), ent["uscc"]
        assert ent["name"].startswith("示例")


def test_sample_loads_once_and_is_logged(db: Database) -> None:
    assert load_sample(db) == 14
    with pytest.raises(StoreError, match="已经载入"):
        load_sample(db)
    with db.reader() as s:
        assert s.scalar(select(func.count()).where(Enterprise.is_sample)) == 14
        assert s.scalar(select(func.count(MonthlyOutput.id))) > 0
        assert s.scalar(select(func.count(Lease.id))) == 5
        assert s.scalar(select(func.count(ProvincialAward.id))) == 1
        sources = set(s.scalars(select(ChangeRecord.source)))
    assert sources == {"sample"}


def test_sample_is_one_import_batch_that_undo_takes_away(db: Database) -> None:
    load_sample(db)
    (batch,) = list_batches(db)
    assert batch.file_name == "示例数据.xlsx"
    assert {s["kind"]: s["created"] for s in batch.counts["sheets"]} == {
        "zones": 2, "roster": 14, "monthly": 23, "annual": 11, "leases": 5,
    }  # fmt: skip
    with db.reader() as s:
        assert set(s.scalars(select(ChangeRecord.batch_id))) == {batch.id}
    result = undo_batch(db, batch.id)
    assert result.deleted == 2 + 3 + 14 + 23 + 11 + 5 + 1  # zones, chains, …, the award
    with db.reader() as s:
        assert s.scalar(select(func.count(Enterprise.id))) == 0
        assert s.scalar(select(func.count(ProvincialAward.id))) == 0
    assert load_sample(db) == 14  # and it can be loaded again
