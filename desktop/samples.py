"""The bundled sample county (示例数据): fictional enterprises that exercise every measure."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import (
    AnnualFigures,
    County,
    Enterprise,
    KeyChain,
    Lease,
    MonthlyOutput,
    ProvincialAward,
    Zone,
)
from desktop.store import Database, StoreError

SAMPLE_FILE = "sample_county.json"
ENTERPRISE_FIELDS = (
    "uscc", "name", "industry_code", "above_scale", "white_list", "chain_leader",
    "chain_role_confirmed", "legal_representative", "contact", "phone", "address", "bank",
    "bank_account",
)  # fmt: skip


def sample_data() -> dict[str, Any]:
    """The sample county as shipped in ``resources/samples``."""
    text = (resources.files("desktop.resources") / "samples" / SAMPLE_FILE).read_text("utf-8")
    return json.loads(text)


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _by_name(session: Session, model: type[Zone] | type[KeyChain] | type[County]) -> dict:
    return {row.name: row for row in session.scalars(select(model))}


def _enterprise(raw: dict[str, Any], counties: dict, zones: dict, chains: dict) -> Enterprise:
    ent = Enterprise(**{f: raw.get(f) for f in ENTERPRISE_FIELDS if f in raw}, is_sample=True)
    ent.county = counties[raw["county"]]
    ent.zone = zones.get(raw.get("zone"))
    ent.chain = chains.get(raw.get("chain"))
    ent.monthly_outputs = [
        MonthlyOutput(year=m["year"], month=m["month"], output=Decimal(m["output"]))
        for m in raw.get("monthly", [])
    ]
    ent.annual_figures = [
        AnnualFigures(
            year=a["year"],
            output=_money(a.get("output")),
            taxable_income=_money(a.get("taxable_income")),
            employees=a.get("employees"),
            total_assets=_money(a.get("total_assets")),
            restricted_industry=a.get("restricted_industry", False),
        )
        for a in raw.get("annual", [])
    ]
    ent.leases = [
        Lease(
            zone=zones[lease["zone"]],
            standard_factory=lease["standard_factory"],
            area=_money(lease.get("area")),
            monthly_rent=_money(lease.get("monthly_rent")),
            start_date=_day(lease.get("start_date")),
            end_date=_day(lease.get("end_date")),
        )
        for lease in raw.get("leases", [])
    ]
    return ent


def load_sample(db: Database) -> int:
    """Add the sample county in one logged transaction; returns how many enterprises it added."""
    data = sample_data()
    codes = [e["uscc"] for e in data["enterprises"]]
    with db.session(source="sample") as session:
        if session.scalar(select(Enterprise.id).where(Enterprise.uscc.in_(codes)).limit(1)):
            raise StoreError("示例数据已经载入过，未重复载入")
        zones = _by_name(session, Zone)
        for z in data["zones"]:
            zones.setdefault(z["name"], Zone(name=z["name"], level=z["level"], kind=z["kind"]))
        chains = _by_name(session, KeyChain)
        for name in data["chains"]:
            chains.setdefault(name, KeyChain(name=name))
        session.add_all([*zones.values(), *chains.values()])
        counties = _by_name(session, County)
        for raw in data["enterprises"]:
            ent = _enterprise(raw, counties, zones, chains)
            session.add(ent)
            award = raw.get("provincial_award")
            if award:
                session.add(
                    ProvincialAward(
                        enterprise=ent,
                        amount=Decimal(award["amount"]),
                        granted_on=_day(award.get("granted_on")),
                        document=award.get("document"),
                    )
                )
    return len(codes)
