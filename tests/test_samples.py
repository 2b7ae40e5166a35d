"""The bundled sample county: valid, marked as samples, loaded once, logged."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc

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
