"""Printing application forms to a PDF, as the window and the command line both do it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.forms.operations import eligible_forms
from desktop.oserrors import os_error_text
from desktop.paperwork import PaperworkError
from desktop.printing.render import write_pdf
from desktop.progress import Progress, stage


@dataclass(frozen=True)
class PrintOutcome:
    """What a print run wrote."""

    path: Path
    printed: int
    skipped: list[str]
    sample_warning: str | None = None  # when forms of sample enterprises are among them


def print_forms(
    session: Session,
    measure: str,
    out: Path,
    usccs: Sequence[str] = (),
    progress: Progress | None = None,
) -> PrintOutcome:
    """Write the forms of ``measure``'s eligible enterprises to the PDF ``out``; ``progress``
    runs over the evaluation and the pages."""
    selection = eligible_forms(session, measure, usccs, stage(progress, 0, 2))
    try:
        write_pdf(selection.forms, out, stage(progress, 1, 2))
    except OSError as exc:
        raise PaperworkError(f"无法写入 {out}：{os_error_text(exc)}") from exc
    return PrintOutcome(out, len(selection.forms), selection.skipped, selection.sample_warning)
