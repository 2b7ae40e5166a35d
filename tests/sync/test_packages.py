"""A package's checks: refused when damaged, altered, of another policy or for another unit;
a dry run writes nothing; the city's reference data and decisions reach a county; rows written
by plain SQL get a global key."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from desktop.models import ChangeRecord, Enterprise, Holiday, MonthlyOutput, PackageReceived, Zone
from desktop.store import Database, open_database
from desktop.sync import package as package_module
from desktop.sync.conflicts import list_conflicts
from desktop.sync.keys import KeyMap, by_period, key_column, synced_tables
from desktop.sync.package import CITY, read_package
from desktop.sync.units import UNIT_SETTING
from tests.conftest import sha256_of
from tests.sync.helpers import (
    Counties,
    copy_database,
    dump,
    edit,
    every_row,
    export,
    receive,
    send,
)

SOFT = "91140902MA0XY0001F"


@pytest.fixture
def pair(sample_db: Database, counties: Counties) -> tuple[Database, Database]:
    """The sample as the city's database, and 忻府区's made from it."""
    (county,) = counties(sample_db, ("忻府区",))
    return sample_db, county


def _rewrite(path: Path, change: dict[str, object], *, keep_digest: bool = True) -> None:
    """Alter the manifest of the package at ``path`` (its digest left as it was)."""
    with zipfile.ZipFile(path) as archive:
        head = json.loads(archive.read("manifest.json"))
        body = archive.read("rows.jsonl")
    head.update(change)
    if not keep_digest:
        head["sha256"] = package_module._digest(head, body)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps(head))
        archive.writestr("rows.jsonl", body)
    path.write_bytes(buffer.getvalue())


def _log_count(db: Database) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count(ChangeRecord.id))) or 0


def test_a_damaged_or_altered_package_is_refused_and_nothing_changes(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    edit(county, SOFT, phone="0350-1111111")
    damaged, altered = export(county, tmp_path), tmp_path / "altered.rdpkg"
    altered.write_bytes(damaged.read_bytes())
    damaged.write_bytes(damaged.read_bytes()[:-40])
    _rewrite(altered, {"sequence": 7})
    before = every_row(city)
    digest = None if city.path is None else sha256_of(city.path)  # a file: not even written
    (broken,), (changed,) = receive(city, damaged), receive(city, altered)
    assert (broken.status, changed.status) == ("refused", "refused")
    assert "损坏" in (broken.reason or "") and "摘要不符" in (changed.reason or "")
    assert every_row(city) == before
    assert digest is None or sha256_of(city.path) == digest


def test_another_policy_is_refused_with_both_named(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    path = export(county, tmp_path)
    _rewrite(path, {"policy_fingerprint": "ab" * 32}, keep_digest=False)
    (outcome,) = receive(city, path)
    assert outcome.status == "refused"
    ours = package_module.policy_fingerprint()[:12]
    assert "abababababab" in (outcome.reason or "") and ours in (outcome.reason or "")


def test_a_package_for_another_unit_is_refused(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    path = export(city, tmp_path, "原平市")
    (outcome,) = receive(county, path)
    assert outcome.status == "refused" and "原平市" in (outcome.reason or "")


def test_a_sequence_number_used_again_with_other_content_is_refused(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    edit(county, SOFT, phone="0350-1111111")
    first = export(county, tmp_path)
    assert receive(city, first)[0].status == "applied"
    with county.engine.begin() as conn:  # as if the record of the first were lost
        conn.execute(text("DELETE FROM package_sent"))
    edit(county, SOFT, phone="0350-2222222")
    (outcome,) = receive(city, export(county, tmp_path))
    assert outcome.status == "refused" and "序号 1" in (outcome.reason or "")


def test_a_dry_run_says_what_would_happen_and_writes_nothing(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    edit(county, SOFT, phone="0350-1111111", contact="王联络")
    path = export(county, tmp_path)
    logged = _log_count(city)
    (trial,) = receive(city, path, dry_run=True)
    assert (trial.status, trial.counts.applied) == ("applied", 1)
    assert _log_count(city) == logged
    with city.reader() as s:
        assert s.scalar(select(func.count(PackageReceived.id))) == 0
    (real,) = receive(city, path)
    assert real.counts == trial.counts


def test_applied_changes_are_logged_as_the_package_under_a_batch(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    edit(county, SOFT, phone="0350-1111111")
    send(county, city, tmp_path)
    with city.reader() as s:
        line = s.scalars(select(ChangeRecord).order_by(ChangeRecord.id.desc())).first()
        received = s.scalars(select(PackageReceived)).one()
    assert line is not None
    assert (line.source, line.field, line.old_value, line.new_value) == (
        "package", "phone", "0350-0000000", "0350-1111111")  # fmt: skip
    assert line.batch_id == received.batch_id and line.operator == "测试员"


def test_the_city_sends_reference_data_holidays_and_policy_settings(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    with city.session() as s:
        s.add(Holiday(day=date(2023, 10, 2), name="国庆节"))
        s.add(Zone(name="示例新区", level="省级", kind="工业类"))
        s.execute(
            text(
                "INSERT INTO setting (key, value) VALUES ('employment_subsidy_per_person', '1000')"
            )
        )
    assert send(city, county, tmp_path, "忻府区").status == "applied"
    with county.reader() as s:
        assert s.scalars(select(Holiday.name)).all() == ["国庆节"]
        assert "示例新区" in s.scalars(select(Zone.name)).all()
        saved = s.execute(text("SELECT key, value FROM setting")).all()
    assert ("employment_subsidy_per_person", "1000") in saved
    assert (UNIT_SETTING, "忻府区") in saved
    assert dump(county) == dump(city)


def test_a_row_written_by_plain_sql_gets_a_global_key(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO zone (name) VALUES ('甲'), ('乙')"))
        keys = conn.execute(text("SELECT uid FROM zone")).scalars().all()
    assert len(keys) == 2 and len(set(keys)) == 2 and all(len(k) == 32 for k in keys)


def test_a_row_written_with_its_global_key_null_gets_one(db: Database) -> None:
    """As the workbook import's INSERT … SELECT writes it: a column default would not apply."""
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO zone (name, uid) VALUES ('甲', NULL)"))
        (key,) = conn.execute(text("SELECT uid FROM zone")).scalars().all()
    assert key is not None and len(key) == 32


def test_every_row_a_workbook_import_wrote_has_a_global_key(sample_db: Database) -> None:
    with sample_db.reads.connect() as conn:
        imported = conn.execute(select(func.count()).select_from(MonthlyOutput)).scalar_one()
        keyless = {
            t.name: n
            for t in synced_tables()
            if not by_period(t)
            and (n := conn.execute(select(func.count()).where(key_column(t).is_(None))).scalar())
        }
        figures = MonthlyOutput.__table__
        ids = conn.execute(select(figures.c.id)).scalars().all()
        named = {KeyMap(conn).key_of(figures, i) for i in ids}  # by enterprise and month
    assert imported > 0 and keyless == {}
    assert None not in named and len(named) == len(ids) == imported


def test_counties_made_apart_agree_on_the_county_units(
    _migrated_template: Path, tmp_path: Path
) -> None:
    one = copy_database(_migrated_template, tmp_path / "one.sqlite3", "甲")
    other = open_database(tmp_path / "other" / "new.sqlite3", "乙")  # migrated anew
    county_keys = {k for (t, k) in dump(one) if t == "county"}
    assert county_keys == {k for (t, k) in dump(other) if t == "county"} and len(county_keys) == 16
    one.close()
    other.close()


def test_the_package_file_is_a_zip_of_a_manifest_and_json_lines(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    _city, county = pair
    edit(county, SOFT, phone="0350-1111111")
    path = export(county, tmp_path)
    package = read_package(path.read_bytes(), path.name)
    head = package.manifest
    assert (head.sender, head.destination, head.sequence) == ("忻府区", CITY, 1)
    assert head.policy_document == "xinzhou-2022-86" and len(head.sha256) == 64
    (row,) = package.rows
    assert (row.table, row.key, row.action) == ("enterprise", SOFT, "upsert")
    assert row.changed is not None and row.changed["phone"].base == "0350-0000000"
    assert row.values["county_id"] is not None and len(row.values["county_id"] or "") == 32


def test_a_package_batch_cannot_be_undone_as_an_import(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    from desktop.importing.undo import check_undo
    from desktop.store import StoreError

    city, county = pair
    edit(county, SOFT, phone="0350-1111111")
    send(county, city, tmp_path)
    with city.reader() as s:
        batch = s.scalars(select(PackageReceived.batch_id)).one()
    assert batch is not None
    with pytest.raises(StoreError, match="数据包"):
        check_undo(city, batch)


def test_a_clash_with_a_row_made_apart_is_refused_whole(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    city, county = pair
    for db in (city, county):  # the same zone's name, made on both sides
        with db.session() as s:
            s.add(Zone(name="同名开发区"))
    edit(county, SOFT, phone="0350-1111111")
    before = dump(city)
    (outcome,) = receive(city, export(county, tmp_path))
    assert outcome.status == "refused" and "unique" in (outcome.reason or "").lower()
    assert dump(city) == before


def _add_month(db: Database, uscc: str, year: int, month: int, output: str) -> None:
    with db.session() as s:
        found = s.scalars(select(Enterprise).where(Enterprise.uscc == uscc)).one()
        found.monthly_outputs.append(MonthlyOutput(year=year, month=month, output=Decimal(output)))


def test_a_month_entered_on_both_sides_meets_as_one_row(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    """A figure is known by its enterprise and month: entered apart, it is one row, its two
    values a conflict (a same value is silent), never two rows or a refused package."""
    city, county = pair
    for db, first in ((city, "700.00"), (county, "500.00")):
        _add_month(db, SOFT, 2030, 1, first)
        _add_month(db, SOFT, 2030, 2, "800.00")
    (outcome,) = receive(city, export(county, tmp_path))
    assert outcome.status == "applied", outcome.reason
    (found,) = list_conflicts(city)
    assert (found.table, found.row_key, found.field) == (
        "monthly_output",
        f"{SOFT} 2030-01",
        "output",
    )
    assert (found.base, found.mine, found.theirs) == (None, "700.00", "500.00")
    months = dump(city)
    assert months[("monthly_output", f"{SOFT} 2030-02")]["output"] == "800.00"
    assert months[("monthly_output", f"{SOFT} 2030-01")]["output"] == "700.00"


def _says_april(line: dict[str, Any]) -> None:
    line["key"] = f"{SOFT} 2030-04"  # holds March


def _no_month(line: dict[str, Any]) -> None:
    del line["values"]["month"]


@pytest.mark.parametrize("mislabel", [_says_april, _no_month])
def test_a_figure_whose_key_is_not_its_enterprise_and_period_is_refused(
    pair: tuple[Database, Database], tmp_path: Path, mislabel: Callable[[dict[str, Any]], None]
) -> None:
    city, county = pair
    _add_month(county, SOFT, 2030, 3, "900.00")
    path = export(county, tmp_path)
    with zipfile.ZipFile(path) as archive:
        head = json.loads(archive.read("manifest.json"))
        lines = [json.loads(line) for line in archive.read("rows.jsonl").splitlines()]
    for line in lines:
        if line["table"] == "monthly_output":
            mislabel(line)
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    head["sha256"] = package_module._digest(head, body)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(head))
        archive.writestr("rows.jsonl", body)
    before = dump(city)
    (outcome,) = receive(city, path)
    assert outcome.status == "refused" and "编号与其企业和期间不符" in (outcome.reason or "")
    assert dump(city) == before
