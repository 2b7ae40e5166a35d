"""Each operation that writes says what it changed (``Changes``), and only that."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from desktop.changes import TABLES, Changes
from desktop.models import Base
from desktop.roster.records import LeaseRow, MonthlyRow, apply_change, load_record
from desktop.roster.reference import list_chains, list_zones, save_chains, save_zones
from desktop.samples import load_sample
from desktop.store import Database

C = Changes
LEADER = "91140981MA0XY0006C"  # 示例·原平新能源装备有限公司, a chain leader
# the log (its import lines too); counties are fixed; who is working
NOT_LOGGED = {"change_log", "import_line", "county", "presence"}


@pytest.fixture
def sample(db: Database) -> Database:
    load_sample(db)
    return db


def test_every_written_table_has_its_kind() -> None:
    assert set(TABLES) == {t.name for t in Base.metadata.sorted_tables} - NOT_LOGGED
    assert C.of_tables(["lease", "zone", "provincial_award"]) == C.LEASES | C.ZONES | C.ENTERPRISES
    assert C.of_tables([]) == C.NONE
    assert C.FACTS.touches(C.ZONES) and not C.FACTS.touches(C.SETTINGS | C.BATCHES | C.BACKUPS)


def test_a_window_edit_says_which_parts_of_the_enterprise_changed(sample: Database) -> None:
    with sample.reader() as s:
        record = load_record(s, LEADER)
    unticked = replace(record, chain_leader=False)
    assert apply_change(sample, record, unticked) == C.ENTERPRISES
    more = [*unticked.monthly, MonthlyRow(2024, 1, Decimal("10.00"))]
    refigured = replace(unticked, monthly=more)
    assert apply_change(sample, unticked, refigured) == C.FIGURES
    zone = list_zones(sample)[0].name
    lease = LeaseRow(zone, True, None, Decimal(5000), date(2023, 1, 1), date(2023, 12, 31))
    leased = replace(refigured, leases=[lease])  # rent and dates required, as on import
    assert apply_change(sample, refigured, leased) == C.LEASES
    with sample.reader() as s:
        current = load_record(s, LEADER)
    assert apply_change(sample, current, current) == C.NONE
    everything = C.ENTERPRISES | C.FIGURES | C.LEASES
    assert apply_change(sample, current, None) == everything  # deleted, with its figures
    assert apply_change(sample, None, current) == everything  # and back
    assert apply_change(sample, None, None) == C.NONE


def test_settings_lists_say_what_they_changed(sample: Database) -> None:
    zones = list_zones(sample)
    assert save_zones(sample, [*zones, replace(zones[0], name="新区", id=None)]) == C.ZONES
    assert save_zones(sample, list_zones(sample)) == C.NONE  # saved as it was
    chains = list_chains(sample)
    assert save_chains(sample, chains) == C.NONE
    assert save_chains(sample, [*chains, (None, "新链")]) == C.CHAINS
    # a removed chain leaves its enterprises without one: they changed too
    assert save_chains(sample, chains[1:]) == C.CHAINS | C.ENTERPRISES
