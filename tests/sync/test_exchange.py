"""Issue 16's done-when: three counties made from one city database edit offline, packages go
to the city in every order (one repeated, one skipped), and after the city resolves the hard
conflicts every database holds the same rows."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.store import Database
from desktop.sync.conflicts import list_conflicts, resolve_conflict
from desktop.sync.receive import Received
from tests.sync.helpers import (
    Counties,
    delete_lease,
    dump,
    edit,
    edit_lease,
    edit_month,
    export,
    lease_of,
    new_enterprise,
    receive,
    send,
)

COUNTIES = ("忻府区", "原平市", "定襄县")
SOFT = "91140902MA0XY0001F"  # A edits the phone, B the contact: merged
HARD = "91140981MA0XY00020"  # A and B each give the phone another value: a conflict
SAME = "91140921MA0XY00036"  # A and B give the address the same value: silent
MONEY = SAME  # and A and B each change its January 2022 output: a conflict
LEASED = "91140902MA0XY0010D"  # its lease: A deletes it, C raises its rent
NEW_A, NEW_B = "91140902MA0XYNEW0A", "91140981MA0XYNEW0B"
BASE_PHONE = "0350-0000000"


def _offline_edits(a: Database, b: Database, c: Database, lease: str) -> None:
    new_enterprise(a, NEW_A, "新企业甲")
    new_enterprise(b, NEW_B, "新企业乙")
    edit(a, SOFT, phone="0350-1111111")
    edit(b, SOFT, contact="王联络")
    edit(a, HARD, phone="0350-2222222")
    edit(b, HARD, phone="0350-3333333")
    edit(a, SAME, address="忻州市新地址8号")
    edit(b, SAME, address="忻州市新地址8号")
    edit_month(a, MONEY, 2022, 1, Decimal("1000000.00"))
    edit_month(b, MONEY, 2022, 1, Decimal("2000000.00"))
    delete_lease(a, lease)
    edit_lease(c, lease, monthly_rent=Decimal("12345.00"))


def _outcomes(city: Database, arrivals: list[Path]) -> list[Received]:
    return [receive(city, p)[0] for p in arrivals]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_counties_edit_offline_and_every_database_ends_alike(
    order: tuple[int, ...], sample_db: Database, counties: Counties, tmp_path: Path
) -> None:
    city = sample_db
    a, b, c = made = counties(city, COUNTIES)
    lease = lease_of(city, LEASED).uid
    _offline_edits(a, b, c, lease)
    first_a = export(a, tmp_path)
    edit(a, SOFT, bank="示例银行")  # a second package from A, after the first
    second_a = export(a, tmp_path)
    from_county = {0: [second_a, first_a, first_a], 1: [export(b, tmp_path)],
                   2: [export(c, tmp_path)]}  # fmt: skip
    arrivals = [p for county in order for p in from_county[county]]
    outcomes = _outcomes(city, arrivals)
    skipped, applied, repeated = outcomes[arrivals.index(second_a) :][:3]
    assert (skipped.status, skipped.missing) == ("waiting", [1])  # A's second before its first
    assert applied.status == "applied" and [n for n, _ in applied.released] == [2]
    assert repeated.status == "already"
    every = [o.counts for o in outcomes] + [c for o in outcomes for _, c in o.released]
    assert sum(c.merged for c in every) >= 1  # the second of A and B to arrive merges SOFT
    assert sum(c.dropped for c in every) >= 1  # and drops SAME's address, silently

    # What the city holds: every change but the hard conflicts, which keep the first value.
    rows = dump(city)
    soft = rows[("enterprise", SOFT)]
    assert (soft["phone"], soft["contact"], soft["bank"]) == ("0350-1111111", "王联络", "示例银行")
    assert rows[("enterprise", SAME)]["address"] == "忻州市新地址8号"
    assert ("enterprise", NEW_A) in rows and ("enterprise", NEW_B) in rows
    conflicts = {(k.table, k.field): k for k in list_conflicts(city)}
    assert set(conflicts) == {
        ("enterprise", "phone"),
        ("monthly_output", "output"),
        ("lease", None),
    }
    phone = conflicts[("enterprise", "phone")]
    assert phone.row_key == HARD and phone.base == BASE_PHONE
    assert {phone.mine, phone.theirs} == {"0350-2222222", "0350-3333333"}
    money = conflicts[("monthly_output", "output")]
    assert money.base == "10000000.00" and {money.mine, money.theirs} == {
        "1000000.00",
        "2000000.00",
    }
    assert money.theirs_by is not None and money.theirs_at is not None
    assert conflicts[("lease", None)].row_key == lease

    # The city resolves: B's phone, a value of its own for the money, the lease kept.
    resolve_conflict(city, phone.id, "0350-3333333")
    resolve_conflict(city, money.id, "150万")
    row = conflicts[("lease", None)]
    resolve_conflict(city, row.id, "mine" if row.mine is not None else "theirs")
    assert not list_conflicts(city)

    for _ in range(2):  # the city to each county, each county back to the city
        for county, name in zip(made, COUNTIES, strict=True):
            assert send(city, county, tmp_path, name).status == "applied"
        for county in made:
            assert send(county, city, tmp_path).status == "applied"
    final = dump(city)
    assert final[("enterprise", HARD)]["phone"] == "0350-3333333"
    assert final[("lease", lease)]["monthly_rent"] == "12345.00"
    months = [
        v for (t, _), v in final.items() if t == "monthly_output" and v["output"] == "1500000.00"
    ]
    assert len(months) == 1
    for county in made:
        assert dump(county) == final
        assert not list_conflicts(county)
