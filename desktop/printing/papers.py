"""The task force's papers as PDF — the bulletin, the policy cards, the supervision notices —
as the window and the command line both print them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.forms.bulletin_document import bulletin_document
from desktop.forms.document import Document
from desktop.forms.notice import supervision_notices
from desktop.forms.policy_card import policy_cards
from desktop.oserrors import os_error_text
from desktop.paperwork import PaperworkError
from desktop.printing.document_painter import paint_document
from desktop.printing.render import A4_PORTRAIT, write_pdf_with
from desktop.progress import Progress
from desktop.qt.gui import QPagedPaintDevice, QPainter
from desktop.taskforce.bulletin import Bulletin


@dataclass(frozen=True)
class PapersOutcome:
    """What a print run wrote: the documents, their pages, and the codes left out."""

    path: Path
    documents: int
    pages: int
    skipped: list[str]


def paint_documents(
    device: QPagedPaintDevice,
    documents: Sequence[Document],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Paint ``documents`` on ``device`` (a QPdfWriter, a QPrinter, the preview's printer),
    each from a new A4 portrait page; returns the pages painted. ``progress(done, total)`` is
    called after each document and may raise to stop."""
    device.setPageLayout(A4_PORTRAIT)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("无法开始绘制（打印机或文件不可用）")
    pages = 0
    try:
        for done, document in enumerate(documents, start=1):
            if done > 1:
                device.newPage()
            pages += paint_document(painter, document, device.newPage)
            if progress:
                progress(done, len(documents))
    finally:
        painter.end()
    return pages


def write_documents(
    documents: Sequence[Document], out: Path, progress: Progress | None = None
) -> int:
    """Write ``documents`` to the PDF ``out`` (replaced atomically); returns its pages.
    PaperworkError when the file cannot be written."""
    pages = 0

    def paint(device: QPagedPaintDevice) -> None:
        nonlocal pages
        pages = paint_documents(device, documents, progress)

    try:
        write_pdf_with(Path(out), documents[0].name, paint)
    except OSError as exc:
        raise PaperworkError(f"无法写入 {out}：{os_error_text(exc)}") from exc
    return pages


def write_bulletin_pdf(bulletin: Bulletin, out: Path, on: date) -> PapersOutcome:
    """The bulletin, as printed on day ``on``, to the PDF ``out``."""
    pages = write_documents([bulletin_document(bulletin, on)], out)
    return PapersOutcome(Path(out), 1, pages, [])


def write_policy_cards(
    session: Session,
    usccs: Sequence[str],
    out: Path,
    on: date,
    progress: Progress | None = None,
) -> PapersOutcome:
    """The policy card of each enterprise of ``usccs``, one page each, to the PDF ``out``."""
    selection = policy_cards(session, usccs, on)
    pages = write_documents(selection.cards, out, progress)
    return PapersOutcome(Path(out), len(selection.cards), pages, selection.skipped)


def write_notices(
    session: Session, out: Path, today: date, progress: Progress | None = None
) -> PapersOutcome:
    """The supervision notice of every problem red ``today``, one page each, to the PDF ``out``."""
    notices = supervision_notices(session, today)
    pages = write_documents(notices, out, progress)
    return PapersOutcome(Path(out), len(notices), pages, [])
