"""Two databases that exchange packages, for the window's tests: the city (the sample county)
and a county made from the city's first package, each edited offline, as tests/sync does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from desktop.store import Database
from tests.sync.helpers import city_and_counties, edit, edit_month, export

COUNTY = "忻府区"
PHONE = "91140981MA0XY00020"  # each side gives its phone another value
MONEY = "91140921MA0XY00036"  # each side gives its January 2022 output another value
SOFT = "91140902MA0XY0001F"  # the city changes its phone, the county its contact: merged
ONE_SIDE = "91140902MA0XY0010D"  # only the county changes its bank: applied
SAME_ADDRESS = "忻州市新地址8号"  # both give MONEY's address this value: dropped
BASE_PHONE, CITY_PHONE, COUNTY_PHONE = "0350-0000000", "0350-3333333", "0350-2222222"
CITY_OUTPUT, COUNTY_OUTPUT = Decimal("2000000.00"), Decimal("1000000.00")


def county_of(city: Database, template: Path, folder: Path) -> Database:
    """A county's database, filled by the city's first package to it."""
    (county,) = city_and_counties(city, template, folder, (COUNTY,))
    return county


def two_hard_conflicts(city: Database, county: Database, folder: Path) -> Path:
    """Edit both sides offline: two hard conflicts (a phone, a month's output), a soft one,
    an identical edit and an edit on the county's side only; the county's package to the city,
    not imported yet (a dry run of it applies 1 row, merges 1, drops 1, keeps 2 conflicts)."""
    edit(city, PHONE, phone=CITY_PHONE)
    edit(county, PHONE, phone=COUNTY_PHONE)
    edit_month(city, MONEY, 2022, 1, CITY_OUTPUT)
    edit_month(county, MONEY, 2022, 1, COUNTY_OUTPUT)
    edit(city, SOFT, phone="0350-5555555")
    edit(county, SOFT, contact="王联络")
    edit(city, MONEY, address=SAME_ADDRESS)
    edit(county, MONEY, address=SAME_ADDRESS)
    edit(county, ONE_SIDE, bank="示例银行")
    return export(county, folder)
