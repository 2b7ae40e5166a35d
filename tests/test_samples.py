"""The bundled sample county: valid, marked as samples, loaded once, logged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc

from desktop.cases.opening import basis_of, open_eligible
from desktop.cases.parameters import load_case_parameters
from desktop.changes import Changes
from desktop.importing import list_batches, undo_batch
from desktop.models import (
    Case,
    ChangeRecord,
    Enterprise,
    KeyChain,
    Lease,
    MonthlyOutput,
    Problem,
    ProvincialAward,
    Visit,
    Zone,
)
from desktop.roster.records import EnterpriseRecord, load_record, save_record
from desktop.rules import engine
from desktop.rules.policy import load_policy
from desktop.samples import load_sample, remove_sample, sample_data
from desktop.store import Database, StoreError

OWN_CODE = "91140902MA0BD0001D"  # the officer's own enterprise, not a sample


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


def _count(db: Database, what: object) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(what)) or 0  # type: ignore[arg-type]


def test_sample_removed_in_one_step_after_edits_visits_and_problems(sample_db: Database) -> None:
    """Undo would be refused after the edit; the removal takes it all, each row logged."""
    code = "91140902MA0XY0001F"
    with sample_db.reader() as s:
        record = load_record(s, code)
    save_record(sample_db, replace(record, phone="0350-1111111"), code)
    with sample_db.session() as s:
        ent = s.scalar(select(Enterprise).where(Enterprise.uscc == code))
        visit = Visit(enterprise=ent, visited_on=date(2026, 11, 2), people="王五")
        raised, due = date(2026, 11, 2), date(2026, 11, 30)
        s.add(Problem(enterprise=ent, visit=visit, raised_on=raised, category="用工",
                      description="缺少技工", lead_unit="人社局", deadline=due))  # fmt: skip
    fresh = EnterpriseRecord(uscc=OWN_CODE, name="本县企业有限公司", county="忻府区",
                             zone="（示例）忻州工业园区")  # fmt: skip
    save_record(sample_db, fresh, None)  # the officer's own data uses one sample zone

    removal = remove_sample(sample_db)

    assert removal.enterprises == 14
    # 14 enterprises, 23 monthly, 11 annual, 5 leases, 1 award, 1 visit, 1 problem,
    # 1 zone (the other is kept), 3 chains
    assert removal.rows == 14 + 23 + 11 + 5 + 1 + 1 + 1 + 1 + 3
    assert removal.kept == ("（示例）忻州工业园区（仍有数据使用）",)
    assert removal.changes.touches(Changes.ENTERPRISES | Changes.TASKFORCE | Changes.ZONES)
    assert str(removal).endswith("保留：（示例）忻州工业园区（仍有数据使用）")
    with sample_db.reader() as s:
        assert list(s.scalars(select(Enterprise.uscc))) == [OWN_CODE]
        assert list(s.scalars(select(Zone.name))) == ["（示例）忻州工业园区"]
        assert s.scalar(select(func.count(KeyChain.id))) == 0
        deletes = s.execute(
            select(ChangeRecord.operator, ChangeRecord.source, ChangeRecord.table_name)
            .where(ChangeRecord.action == "delete")
        ).all()  # fmt: skip
        (batch,) = list_batches(sample_db)
    assert len(deletes) == removal.rows
    assert {(op, source) for op, source, _ in deletes} == {("测试员", "sample")}
    assert {"visit", "problem", "monthly_output", "key_chain"} <= {t for *_, t in deletes}
    assert batch.undone_by == "测试员"  # the sample batch reads as taken back
    with pytest.raises(StoreError, match="没有示例数据"):
        remove_sample(sample_db)
    assert load_sample(sample_db) == 14  # and it can be loaded again
    for table in (MonthlyOutput, Lease, ProvincialAward):
        assert _count(sample_db, table) > 0


def test_sample_enterprises_with_cases_stay_and_are_named(sample_db: Database) -> None:
    """A case is never deleted (CASES.md): its sample enterprise stays, the rest goes."""
    with sample_db.session() as s:
        results = engine.evaluate_roster(s, measures=["12"])
        opened, _ = open_eligible(s, results, basis_of(load_policy()), load_case_parameters())
        with_cases = {case.enterprise.name for case in opened}
    assert len(with_cases) == 2  # the sample's two white-list awards
    removal = remove_sample(sample_db)
    assert removal.enterprises == 14 - 2
    assert sorted(removal.kept)[:2] == sorted(
        f"{n}（已有兑现事项，兑现事项不删除）" for n in with_cases
    )
    assert "保留：" in str(removal)
    with sample_db.reader() as s:
        assert set(s.scalars(select(Enterprise.name))) == with_cases
        assert s.scalar(select(func.count(Case.id))) == 2
        (batch,) = list_batches(sample_db)
    assert batch.undone_at is None  # not all of it was taken back
