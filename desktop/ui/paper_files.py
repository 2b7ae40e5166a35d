"""A page's papers saved as files: where, asked in the folder that dialog was last in; the writing
off the UI thread behind a progress dialog; then what was written and the offer to open it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from desktop.printing.papers import PapersOutcome, write_notices, write_policy_cards
from desktop.progress import Progress
from desktop.qt.widgets import QHBoxLayout, QLabel, QWidget
from desktop.samples import sample_codes, sample_warning
from desktop.store import Database
from desktop.ui.background import BackgroundOp
from desktop.ui.file_dialogs import OpenOffer, save_file_name
from desktop.ui.progress import run_with_progress

PDF = (("PDF 文件", ".pdf"),)
KINDS = {".pdf": PDF, ".xlsx": (("Excel 文件", ".xlsx"),)}  # by suffix
Writer = Callable[[Path, Progress], str]  # writes the file, says what it wrote


def papers_said(what: str, outcome: PapersOutcome) -> str:
    """已写出 …：政策明白卡 2 份（2 页）, and the codes left out."""
    left = f"；未打印：{'、'.join(outcome.skipped)}" if outcome.skipped else ""
    return f"已写出 {outcome.path}：{what} {outcome.documents} 份（{outcome.pages} 页）{left}"


def with_sample_note(said: str, samples: int) -> str:
    """``said``, with the sample warning below it when ``samples`` sample enterprises are in
    the paper (as the command line says it)."""
    warning = sample_warning(samples, marked=False)
    return f"{said}\n{warning}" if warning else said


def policy_cards_file(db: Database, usccs: Sequence[str]) -> Writer:
    """Writing the 政策明白卡 of ``usccs``, one page each."""

    def work(out: Path, progress: Progress) -> str:
        with db.reader() as s:
            outcome = write_policy_cards(s, usccs, out, date.today(), progress)
            samples = len(set(usccs) & sample_codes(s))
        return with_sample_note(papers_said("政策明白卡", outcome), samples)

    return work


def notices_file(db: Database) -> Writer:
    """Writing the 督办单 of every problem red today, one page each."""

    def work(out: Path, progress: Progress) -> str:
        with db.reader() as s:
            outcome = write_notices(s, out, date.today(), progress)
        return papers_said("督办单", outcome)

    return work


class PaperFiles(QWidget):
    """What the last file written was, and 「打开文件」「打开所在文件夹」 for it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.offer = OpenOffer()
        self.op: BackgroundOp | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.said, 1)
        row.addWidget(self.offer)

    def say(self, text: str) -> None:
        """Say ``text`` (a refusal, nothing to write) in place of the last file."""
        self.said.setText(text)
        self.offer.offer(None)

    def written(self, text: str, path: Path) -> None:
        """Say ``text`` of the file written at ``path`` and offer to open it."""
        self.said.setText(text)
        self.offer.offer(path)

    def ask(
        self, title: str, suggested: str, kinds: Sequence[tuple[str, str]] = PDF
    ) -> Path | None:
        """Where to save ``suggested`` (one of ``kinds``: name and suffix, the first the
        default), asked in the folder the dialog ``title`` was last in; None when the officer
        cancels. The last file is no longer offered: a new one is on its way."""
        self.offer.offer(None)
        pattern = ";;".join(f"{name} (*{suffix})" for name, suffix in kinds)
        out = save_file_name(self, title, title, suggested, pattern)
        if out is not None and out.suffix.lower() not in {suffix for _, suffix in kinds}:
            out = out.with_name(f"{out.name}{kinds[0][1]}")
        return out

    def save(
        self, title: str, suggested: str, write: Writer, kinds: Sequence[tuple[str, str]] = PDF
    ) -> None:
        """Ask where to save ``suggested`` (:meth:`ask`), then ``write`` it off the UI
        thread."""
        out = self.ask(title, suggested, kinds)
        if out is None:
            return
        self.op = run_with_progress(
            self, title, lambda progress: write(out, progress), lambda text: self.written(text, out)
        )
