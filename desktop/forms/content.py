"""What an application form (申请表) says: pure data, decided before anything is painted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.forms.capitals import amount_in_capitals
from desktop.rules import catalogue
from desktop.rules.fact_text import fact_text
from desktop.rules.result import EXPECTED_NOTE, Result, Verdict
from desktop.values import money_text

COMMITMENT = (
    "本企业郑重承诺：所填报的信息和提供的材料真实、准确、完整，符合《忻州市支持工业企业加快复工"
    "复产达产达效十八条措施》（忻政办发〔2022〕86号）规定的条件，且未就同一事项重复申报。如有虚报、"
    "瞒报、骗取资金等行为，自愿退回全部资金，并承担相应法律责任。"
)
FORM_NOTE = "（预计金额，待省级奖励确认后按实际核定）"


@dataclass(frozen=True)
class Applicant:
    """The enterprise's details as the roster records them (empty text where unknown)."""

    name: str = ""
    uscc: str = ""
    county: str = ""
    legal_representative: str = ""
    contact: str = ""
    phone: str = ""
    address: str = ""
    bank: str = ""
    bank_account: str = ""


@dataclass(frozen=True)
class ApplicationForm:
    """One page: an enterprise applying under one measure for one period (or a blank form)."""

    title: str
    basis: str
    period: str
    applicant: Applicant
    facts: tuple[tuple[str, str], ...]
    explanation: tuple[str, ...]
    amount: str  # in figures, e.g. ¥250,000.00 元; empty on a blank form
    capitals: str  # e.g. 人民币贰拾伍万元整; empty on a blank form
    note: str = ""  # the computation's last line, when the amount is not final
    condition: str = ""  # printed beside the amount, in figures and in capitals
    case_number: str = ""  # the standing case (兑现事项) of this enterprise, measure and period

    @property
    def amount_text(self) -> str:
        """The amount in figures with its condition: ¥500,000.00 元（预计，待省级确认）."""
        return _conditional(self.amount, self.condition)

    @property
    def capitals_text(self) -> str:
        """The amount in capitals with its condition."""
        return _conditional(self.capitals, self.condition)

    @property
    def explanation_lines(self) -> list[str]:
        """The computation, numbered, with the note last."""
        lines = [f"{n}. {line}" for n, line in enumerate(self.explanation, start=1)]
        return [*lines, self.note] if self.note else lines


def _conditional(amount: str, condition: str) -> str:
    return f"{amount}（{condition}）" if condition else amount


def form_for(result: Result, applicant: Applicant, case_number: str = "") -> ApplicationForm:
    """The filled form of an eligible ``result`` (of the case ``case_number``, when one is
    open for it); ValueError for any other."""
    if result.verdict is not Verdict.ELIGIBLE or result.amount is None:
        raise ValueError(f"{result.name}（{result.uscc}）不符合{result.clause}，不能生成申请表")
    info = catalogue.measure(result.measure)
    return ApplicationForm(
        title=info.form_title,
        basis=info.basis,
        period=result.period,
        applicant=applicant,
        facts=tuple((label, fact_text(label, value)) for label, value in result.facts),
        explanation=result.explanation,
        amount=figures(result.amount),
        capitals=f"人民币{amount_in_capitals(result.amount)}",
        note=FORM_NOTE if result.expected else "",
        condition=EXPECTED_NOTE if result.expected else "",
        case_number=case_number,
    )


def blank_form(measure: str) -> ApplicationForm:
    """The form of ``measure`` with every enterprise field and figure left for the pen."""
    info = catalogue.measure(measure)
    return ApplicationForm(
        title=info.form_title,
        basis=info.basis,
        period="",
        applicant=Applicant(),
        facts=(),
        explanation=(),
        amount="¥",
        capitals="人民币",
    )


def figures(amount: Decimal) -> str:
    """The amount in figures as a form prints it: ¥250,000.00 元."""
    return f"¥{money_text(amount)} 元"
