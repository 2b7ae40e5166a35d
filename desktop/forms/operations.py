"""Choosing the application forms to print, as the window and the command line both do it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cases.opening import standing_numbers
from desktop.forms.applicants import load_applicants
from desktop.forms.content import ApplicationForm, form_for
from desktop.models import Enterprise
from desktop.paperwork import PaperworkError
from desktop.progress import Progress
from desktop.rules import catalogue, engine
from desktop.rules.labels import enterprise_label
from desktop.rules.result import Verdict
from desktop.samples import sample_codes, sample_warning


@dataclass(frozen=True)
class FormSelection:
    """The forms to print, and a line for each requested code that has none."""

    forms: list[ApplicationForm]
    skipped: list[str]
    samples: int = 0  # forms of sample enterprises (示例数据, fictional)

    @property
    def sample_warning(self) -> str | None:
        """The officer's line when forms of sample enterprises are among them."""
        return sample_warning(self.samples, marked=False)


def eligible_forms(
    session: Session,
    measure: str,
    usccs: Sequence[str] = (),
    progress: Progress | None = None,
) -> FormSelection:
    """The forms of ``measure``'s eligible enterprises (only of ``usccs``, when given), each
    with the number of its enterprise's standing case for the measure and period, if any.

    ScopeError for an unknown measure; PaperworkError when there is not one form to print.
    """
    clause = catalogue.measure(measure).clause
    results = engine.evaluate_roster(session, measures=[measure], progress=progress)
    eligible = [r for r in results if r.verdict is Verdict.ELIGIBLE]
    wanted = set(usccs)
    chosen = [r for r in eligible if not wanted or r.uscc in wanted]
    skipped = _skipped(session, wanted - {r.uscc for r in chosen}, clause)
    if not chosen:
        raise PaperworkError("；".join(skipped) if skipped else f"{clause}没有符合条件的企业")
    applicants = load_applicants(session, {r.uscc for r in chosen})
    numbers = standing_numbers(session, chosen)
    forms = [
        form_for(r, applicants[r.uscc], numbers.get((r.uscc, r.measure, r.period), ""))
        for r in chosen
    ]
    samples = len({r.uscc for r in chosen} & sample_codes(session))
    return FormSelection(forms, skipped, samples)


def _skipped(session: Session, codes: set[str], clause: str) -> list[str]:
    known = set(session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.in_(codes))))
    why = {True: f"不符合{clause}，无申请表", False: "不在企业名录中"}
    uscc = enterprise_label("uscc")
    return [f"{uscc} {code} {why[code in known]}" for code in sorted(codes)]
