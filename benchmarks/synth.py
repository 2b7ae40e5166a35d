"""A synthetic county of N enterprises, with figures for every roster-wide measure.

Shared by the benchmarks: ``generate(n)`` makes the rows; ``write_database`` loads them into a
Relief Desk database (bulk, bypassing the change log, as a benchmark fixture); ``write_roster_xlsx``
and ``write_monthly_xlsx`` write them as import workbooks shaped like TEMPLATE.md.

    python -m benchmarks.synth 50000 out.sqlite3      # a database to try the window on
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import insert, select
from stdnum.cn import uscc as uscc_code

from desktop.models import (
    AnnualFigures,
    County,
    Enterprise,
    KeyChain,
    Lease,
    MonthlyOutput,
    Zone,
)
from desktop.store import open_database

WAN = Decimal(10000)
INDUSTRY_CODES = ("C3311", "C3091", "C1391", "C3484", "C2614", "B0610", "D4411", "F5171", "C3982")
ZONES = (("（合成）甲工业园区", "省级", "工业类"), ("（合成）乙开发区", "市级", "其他"))
CHAINS = ("（合成）甲产业链", "（合成）乙产业链")
COUNTY_CODES = (
    "140902", "140921", "140922", "140923", "140924", "140925", "140926",
    "140927", "140928", "140929", "140930", "140931", "140932", "140981",
)  # fmt: skip
MONTHS = ((2022, 1), (2022, 2), (2022, 3), (2023, 1), (2023, 2), (2023, 3))


def make_uscc(division: str, serial: int) -> str:
    """A valid 18-character credit code for a fictional enterprise."""
    body = f"91{division}MA{serial:07d}"
    return body + uscc_code.calc_check_digit(body)


@dataclass
class SyntheticCounty:
    """Rows ready to insert: enterprises by index, figures keyed by that index."""

    enterprises: list[dict] = field(default_factory=list)
    monthly: list[dict] = field(default_factory=list)
    annual: list[dict] = field(default_factory=list)
    leases: list[dict] = field(default_factory=list)


def _enterprise(rng: random.Random, i: int) -> dict:
    division = COUNTY_CODES[i % len(COUNTY_CODES)]
    return {
        "index": i,
        "uscc": make_uscc(division, i),
        "name": f"合成企业{i:06d}有限公司",
        "division": division,
        "industry_code": rng.choice(INDUSTRY_CODES),
        "above_scale": rng.random() < 0.4,
        "white_list": rng.random() < 0.05,
        "chain_leader": rng.random() < 0.01,
        "chain_role_confirmed": rng.choice((True, False, None)),
        "zone": ZONES[0][0] if rng.random() < 0.1 else None,
    }


def generate(n: int, seed: int = 2023) -> SyntheticCounty:
    """``n`` enterprises, each with six months of output and two years of annual figures."""
    rng = random.Random(seed)
    county = SyntheticCounty()
    for i in range(n):
        ent = _enterprise(rng, i)
        county.enterprises.append(ent)
        base = Decimal(rng.randint(100, 5000)) * WAN
        for year, month in MONTHS:
            growth = Decimal(rng.randint(-20, 120)) / 100 if year == 2023 else Decimal(0)
            county.monthly.append(
                {"index": i, "year": year, "month": month, "output": base * (1 + growth)}
            )
        for year in (2021, 2022):
            county.annual.append(
                {
                    "index": i,
                    "year": year,
                    "output": base * 12 * (1 + Decimal(year - 2021) / 10),
                    "taxable_income": Decimal(rng.randint(0, 400)) * WAN,
                    "employees": rng.randint(5, 400),
                    "total_assets": Decimal(rng.randint(100, 8000)) * WAN,
                    "restricted_industry": False,
                }
            )
        if ent["zone"]:
            start = date(2022, rng.randint(1, 12), 1)
            county.leases.append(
                {
                    "index": i,
                    "standard_factory": True,
                    "area": Decimal(rng.randint(100, 3000)),
                    "monthly_rent": Decimal(rng.randint(20, 300)) * 100,
                    "start_date": start,
                    "end_date": date(start.year + 2, start.month, 1),
                }
            )
    return county


def write_database(path: Path, county: SyntheticCounty) -> None:
    """Load ``county`` into a new Relief Desk database at ``path`` in one transaction."""
    db = open_database(path, operator="benchmark")
    with db.engine.begin() as conn:
        counties = dict(conn.execute(select(County.code, County.id)).all())
        conn.execute(insert(Zone), [{"name": n, "level": lv, "kind": k} for n, lv, k in ZONES])
        conn.execute(insert(KeyChain), [{"name": name} for name in CHAINS])
        zones = dict(conn.execute(select(Zone.name, Zone.id)).all())
        chain_id = conn.execute(select(KeyChain.id).limit(1)).scalar_one()
        rows = [
            {
                "id": e["index"] + 1,
                "uscc": e["uscc"],
                "name": e["name"],
                "county_id": counties[e["division"]],
                "zone_id": zones.get(e["zone"]),
                "industry_code": e["industry_code"],
                "above_scale": e["above_scale"],
                "white_list": e["white_list"],
                "chain_id": chain_id if e["chain_leader"] else None,
                "chain_leader": e["chain_leader"],
                "chain_role_confirmed": e["chain_role_confirmed"],
                "is_sample": False,
            }
            for e in county.enterprises
        ]
        conn.execute(insert(Enterprise), rows)
        conn.execute(insert(MonthlyOutput), [_figure(r) for r in county.monthly])
        conn.execute(insert(AnnualFigures), [_figure(r) for r in county.annual])
        zone_id = zones[ZONES[0][0]]
        leases = [{**_figure(r), "zone_id": zone_id} for r in county.leases]
        if leases:
            conn.execute(insert(Lease), leases)
    db.close()


def _figure(row: dict) -> dict:
    out = {k: v for k, v in row.items() if k != "index"}
    out["enterprise_id"] = row["index"] + 1
    return out


ROSTER_HEADERS = (
    "序号", "企业名称", "统一社会信用代码", "所属县（市、区）",
    "行业代码", "规上企业", "白名单企业",
)  # fmt: skip
COUNTY_NAMES = dict(
    zip(COUNTY_CODES, ("忻府区", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县", "神池县",
                       "五寨县", "岢岚县", "河曲县", "保德县", "偏关县", "原平市"), strict=True)
)  # fmt: skip


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def write_roster_xlsx(path: Path, county: SyntheticCounty) -> None:
    """The enterprises as a 企业名录 sheet (write-only openpyxl)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业名录")
    ws.append(ROSTER_HEADERS)
    for n, e in enumerate(county.enterprises, start=1):
        ws.append(
            [n, e["name"], e["uscc"], COUNTY_NAMES[e["division"]], e["industry_code"],
             _yes(e["above_scale"]), _yes(e["white_list"])]
        )  # fmt: skip
    wb.save(path)


def write_monthly_xlsx(path: Path, county: SyntheticCounty) -> None:
    """The monthly output as a long 月度产值 sheet, in 万元."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("月度产值")
    ws.append(("统一社会信用代码", "年月", "工业总产值（万元）"))
    codes = [e["uscc"] for e in county.enterprises]
    for r in county.monthly:
        ws.append((codes[r["index"]], f"{r['year']}-{r['month']:02d}", float(r["output"] / WAN)))
    wb.save(path)


def main(argv: list[str]) -> int:
    """``python -m benchmarks.synth N OUT.sqlite3``: a synthetic county database."""
    if len(argv) != 2:
        print(__doc__)
        return 2
    write_database(Path(argv[1]), generate(int(argv[0])))
    print(f"{argv[0]} enterprises written to {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
