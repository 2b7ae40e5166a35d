"""Exporting, as the window and the command line both do it: evaluate, then write the workbook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.cases.listing import case_lines, latest_by_key
from desktop.filing.bulletin_workbook import write_bulletin_workbook
from desktop.filing.cells import CellWarning
from desktop.filing.filing_sheet import write_filing_sheet
from desktop.filing.ledger import write_ledger
from desktop.oserrors import os_error_text
from desktop.paperwork import PaperworkError
from desktop.progress import Progress, stage
from desktop.rules import engine
from desktop.rules.result import Result, Verdict
from desktop.samples import sample_codes, sample_warning
from desktop.store.settings import get_setting
from desktop.taskforce.bulletin import Bulletin
from desktop.taskforce.figures import roster_units


@dataclass(frozen=True)
class ExportOutcome:
    """What an export wrote: how many rows, the total, what was left out or changed."""

    path: Path
    listed: int  # enterprises on a filing sheet; results in a ledger
    total: Decimal  # the sum of the amounts listed
    incomplete: int  # results that could not be decided (资料不全)
    warnings: list[CellWarning]
    samples: int = 0  # enterprises listed that are the sample county's (示例数据, fictional)

    @property
    def sample_warning(self) -> str | None:
        """The officer's line when sample enterprises are listed (the file says so too)."""
        return sample_warning(self.samples, marked=True)


def export_filing_sheet(
    session: Session,
    measure: str,
    out: Path,
    *,
    county: str | None = None,
    progress: Progress | None = None,
) -> ExportOutcome:
    """Evaluate ``measure`` (in ``county``) and write its filing sheet to ``out``.

    ScopeError for an unknown measure or county; PaperworkError when nothing could be written.
    """
    evaluating, writing = stage(progress, 0, 2), stage(progress, 1, 2)
    results = engine.evaluate_roster(
        session, measures=[measure], county=county, progress=evaluating
    )
    unit = get_setting(session, "filing_unit")
    phone, samples = get_setting(session, "filing_phone"), sample_codes(session)
    warnings = _writing(out, lambda: write_filing_sheet(
        results, out, measure=measure, filing_unit=unit, county=county, phone=phone,
        samples=samples, units=roster_units(session),
    ))  # fmt: skip
    if writing is not None:
        writing(1, 1)
    eligible = [r for r in results if r.verdict is Verdict.ELIGIBLE]
    listed_samples = len({r.uscc for r in eligible if r.uscc in samples})
    return ExportOutcome(
        out, len(eligible), _total(eligible), _incomplete(results), warnings, listed_samples
    )


def export_ledger(
    session: Session,
    out: Path,
    *,
    county: str | None = None,
    progress: Progress | None = None,
) -> ExportOutcome:
    """Evaluate every measure (in ``county``) and write the ledger to ``out``, each result with
    its case; ``progress`` runs over both. ScopeError for an unknown county."""
    results = engine.evaluate_roster(session, county=county, progress=stage(progress, 0, 2))
    cases = latest_by_key(case_lines(session, county=county))
    warnings = _writing(out, lambda: write_ledger(results, out, cases, stage(progress, 1, 2)))
    samples = len({r.uscc for r in results} & sample_codes(session))
    return ExportOutcome(
        out, len(results), _total(results), _incomplete(results), warnings, samples
    )


def _writing(out: Path, write: Callable[[], list[CellWarning]]) -> list[CellWarning]:
    """Run ``write``, turning a file-system failure into the officer's line."""
    try:
        return write()
    except OSError as exc:
        raise PaperworkError(f"无法写入 {out}：{os_error_text(exc)}") from exc


def _total(results: Sequence[Result]) -> Decimal:
    return sum((r.amount for r in results if r.amount is not None), Decimal("0.00"))


def _incomplete(results: Sequence[Result]) -> int:
    return sum(1 for r in results if r.verdict is Verdict.INCOMPLETE)


def export_bulletin_workbook(bulletin: Bulletin, out: Path) -> list[CellWarning]:
    """Write ``bulletin``'s tables to the workbook ``out``; what had to change to fit cells."""
    return _writing(out, lambda: write_bulletin_workbook(bulletin, out))
