"""An eligible result and its applicant, for the form and printing tests."""

from __future__ import annotations

from decimal import Decimal

from desktop.forms import Applicant
from desktop.rules.result import Result, Verdict

# Ideographs that Noto CJK shares with Kangxi radicals (白 金 用 方 人 …)
TRAP_NAME = "忻州白金用方人机械制造有限公司"


def make_result(serial: int, amount: str = "250000.00", *, lines: int = 2) -> Result:
    """An eligible 第十二条 result of enterprise ``serial`` with ``lines`` of explanation."""
    return Result(
        measure="12",
        uscc=f"91140902MA{serial:07d}X",
        name=f"{TRAP_NAME}{serial}",
        county="忻府区",
        period="2023-Q1",
        verdict=Verdict.ELIGIBLE,
        amount=Decimal(amount),
        expected=True,
        clause="第十二条",
        explanation=tuple(
            f"第{n}行：2023年1月产值同比增长52.00%，达到50%以上" for n in range(lines)
        ),
        facts=(("2023年1月产值（元）", Decimal("3000000.00")), ("最高同比增速", Decimal("0.52"))),
    )


def make_applicant(result: Result) -> Applicant:
    """The roster details of ``result``'s enterprise."""
    return Applicant(
        name=result.name,
        uscc=result.uscc,
        county=result.county,
        legal_representative="白金方",
        contact="用人",
        phone="0350-3030303",
        address="山西省忻州市忻府区白金路88号",
        bank="中国工商银行忻州分行",
        bank_account="0503002309024567891",
    )
