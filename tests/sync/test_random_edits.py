"""Random offline edits on a county and the city: no change lost, each hard conflict listed once
with its base and both values, identical edits silent, and after the city resolves them (as it
chooses) both databases hold the same rows."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.sync.conflicts import list_conflicts, resolve_conflict
from tests.sync.helpers import (
    city_and_counties,
    copy_database,
    delete_lease,
    dump,
    edit,
    edit_lease,
    edit_month,
    export,
    lease_of,
    receive,
)

ENTERPRISES = ("91140902MA0XY0001F", "91140981MA0XY00020")
FIELDS = ("phone", "contact", "address")
TEXTS = ("甲", "乙", "丙")
LEASED = "91140902MA0XY0010D"
MONTH_OF = "91140921MA0XY00036"  # its 2022 outputs are 10,000,000.00 a month
RENTS = (Decimal("100.00"), Decimal("200.00"))
OUTPUTS = (Decimal("1.00"), Decimal("2.00"))

field_edit = st.tuples(st.just("field"), st.sampled_from(ENTERPRISES), st.sampled_from(FIELDS),
                       st.sampled_from(TEXTS))  # fmt: skip
month_edit = st.tuples(st.just("month"), st.just(MONTH_OF), st.sampled_from((1, 2)),
                       st.sampled_from(OUTPUTS))  # fmt: skip
rent_edit = st.tuples(st.just("rent"), st.just(LEASED), st.just(""), st.sampled_from(RENTS))
deletion = st.tuples(st.just("delete"), st.just(LEASED), st.just(""), st.just(""))
edits = st.lists(st.one_of(field_edit, month_edit, rent_edit, deletion), max_size=6)


def _target(op: tuple[str, str, object, object]) -> tuple[str, str, str]:
    kind, key, name, _ = op
    if kind == "field":
        return ("enterprise", key, str(name))
    if kind == "month":
        return ("monthly_output", f"{key} 2022-{name}", "output")
    return ("lease", key, "row" if kind == "delete" else "monthly_rent")


def _apply(
    db: object, ops: list[tuple[str, str, object, object]], lease: str
) -> dict[tuple[str, str, str], object]:
    """Make ``ops`` on ``db``; what each target ends as here (a deleted lease: 'deleted')."""
    last: dict[tuple[str, str, str], object] = {}
    for op in ops:
        kind, key, name, value = op
        if last.get(("lease", LEASED, "row")) == "deleted" and kind in ("rent", "delete"):
            continue
        if kind == "field":
            edit(db, key, **{str(name): value})  # type: ignore[arg-type]
        elif kind == "month":
            edit_month(db, key, 2022, int(name), value)  # type: ignore[arg-type]
        elif kind == "rent":
            edit_lease(db, lease, monthly_rent=value)  # type: ignore[arg-type]
        else:
            delete_lease(db, lease)  # type: ignore[arg-type]
            value = "deleted"
        last[_target(op)] = value
    return last


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county_ops=edits,
    city_ops=edits,
    city_first=st.booleans(),
    take=st.lists(st.booleans(), min_size=8, max_size=8),
)
@example(  # the city keeps its deletion of a row the county edited: one deletion travels
    county_ops=[("rent", LEASED, "", RENTS[0])],
    city_ops=[("delete", LEASED, "", "")],
    city_first=False,
    take=[True] * 8,
)
def test_random_offline_edits_end_alike(
    county_ops: list[tuple[str, str, object, object]],
    city_ops: list[tuple[str, str, object, object]],
    city_first: bool,
    take: list[bool],
    _sample_template: Path,
    _migrated_template: Path,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        city = copy_database(_sample_template, tmp / "city.sqlite3", "市")
        (county,) = city_and_counties(city, _migrated_template, tmp, ("忻府区",))
        lease = lease_of(city, LEASED).uid
        original = dump(city)
        mine = _apply(city, city_ops, lease)
        theirs = _apply(county, county_ops, lease)
        if city_first:
            receive(county, export(city, tmp, "忻府区"))
        receive(city, export(county, tmp))

        def before(target: tuple[str, str, str]) -> object:
            table, key, name = target
            if table == "enterprise":
                return original[("enterprise", key)][name]
            if table == "monthly_output":
                return Decimal("10000000.00")
            return Decimal("8000.00") if name == "monthly_rent" else "present"

        def changed(side: dict[tuple[str, str, str], object], target: tuple[str, str, str]) -> bool:
            return target in side and str(side[target]) != str(before(target))

        conflicts = list_conflicts(city)
        fields = [c for c in conflicts if c.field is not None]
        lease_row, rent = ("lease", LEASED, "row"), ("lease", LEASED, "monthly_rent")
        deleted = lease_row in mine or lease_row in theirs
        both = {t for t in set(mine) | set(theirs) if changed(mine, t) and changed(theirs, t)}
        hard = {
            t for t in both if str(mine[t]) != str(theirs[t]) and not (t[0] == "lease" and deleted)
        }
        assert len(fields) == len(hard)  # one each, and none for an identical edit
        for c in fields:
            assert c.base is not None and {c.mine, c.theirs} <= {
                str(v) for v in (*mine.values(), *theirs.values())
            }
        row_conflict = [c for c in conflicts if c.field is None]
        deleted_one_side_edited_other = (
            mine.get(lease_row) == "deleted" and changed(theirs, rent) and lease_row not in theirs
        ) or (theirs.get(lease_row) == "deleted" and changed(mine, rent) and lease_row not in mine)
        assert len(row_conflict) == (1 if deleted_one_side_edited_other else 0)

        for c, choice in zip(conflicts, take, strict=False):
            resolve_conflict(city, c.id, "mine" if choice else "theirs")
        for _ in range(2):
            receive(county, export(city, tmp, "忻府区"))
            receive(city, export(county, tmp))
        final = dump(city)
        assert dump(county) == final
        assert not list_conflicts(city) and not list_conflicts(county)
        # No change lost: what only one side changed ends as that side made it.
        for side, other in ((mine, theirs), (theirs, mine)):
            for target, value in side.items():
                if (
                    target[0] == "enterprise"
                    and changed(side, target)
                    and not changed(other, target)
                ):
                    assert final[("enterprise", target[1])][target[2]] == value
        city.close()
        county.close()
