"""How a roster-wide measure declares itself, once: its words, its period and its rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.rules.enterprise_facts import EnterpriseFacts
from desktop.rules.labels import in_yuan
from desktop.rules.policy import DEFAULT_DOCUMENT, Policy, load_policy
from desktop.rules.result import Result

Decide = Callable[[EnterpriseFacts, Policy], list[Result]]
FILING = "申报汇总表"


@dataclass(frozen=True)
class Measure:
    """One roster-wide measure: what the rules, the filing sheet, the ledger and the form say.

    ``decide`` turns one enterprise's facts into its results (one per period); a result's facts
    never hold the amount, which the paperwork shows once under ``amount_header``.
    """

    key: str  # "12"
    clause: str  # 第十二条
    subject: str  # what is granted, e.g. “白名单”企业市级配套奖励
    amount_label: str  # the amount, without its unit
    sheet_kind: str  # 申报汇总表, or 情况汇总表 where nothing is applied for
    period_label: str | None  # the period column, for a measure with several periods a year
    decide: Decide
    document: str = DEFAULT_DOCUMENT

    @property
    def amount_header(self) -> str:
        """The amount column: 配套奖励（元）."""
        return in_yuan(self.amount_label)

    @property
    def basis(self) -> str:
        """The legal basis: the document and the clause."""
        policy = load_policy(self.document)
        return f"《{policy.title}》（{policy.number}）{self.clause}"

    @property
    def filing_title(self) -> str:
        """The title of the filing sheet."""
        return f"{self.clause} {self.subject}{self.sheet_kind}"

    @property
    def form_title(self) -> str:
        """The title of the application form."""
        return f"{self.subject}申请表"

    @property
    def heading(self) -> str:
        """The clause and subject, as tabs and choices name the measure."""
        return f"{self.clause} {self.subject}"
