"""Forms onto a paged device: a PDF file, a printer, or the print preview."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop import PRODUCT_NAME
from desktop.forms.content import ApplicationForm
from desktop.paperwork import replacing
from desktop.printing.painter import paint_form
from desktop.qt.core import QMarginsF
from desktop.qt.gui import (
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

A4_PORTRAIT = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4),
    QPageLayout.Orientation.Portrait,
    QMarginsF(15, 12, 15, 12),
    QPageLayout.Unit.Millimeter,
)
PDF_RESOLUTION = 300
_application: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Make sure a QGuiApplication exists (an offscreen one unless a platform is chosen)."""
    global _application
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _application = QGuiApplication([])


def paint_forms(
    device: QPagedPaintDevice,
    forms: Sequence[ApplicationForm],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Paint ``forms`` on ``device`` (a QPdfWriter, a QPrinter), each on A4 portrait pages of
    its own (one, or more where its computation continues on attachment pages).

    ``progress(done, total)`` is called after each form and may raise to stop.
    """
    device.setPageLayout(A4_PORTRAIT)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("无法开始绘制申请表（打印机或文件不可用）")
    try:
        for done, form in enumerate(forms, start=1):
            if done > 1:
                device.newPage()
            paint_form(painter, form, device.newPage)
            if progress:
                progress(done, len(forms))
    finally:
        painter.end()


def write_pdf(
    forms: Sequence[ApplicationForm],
    out: Path,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write ``forms`` to the PDF ``out`` (replaced atomically), each from a new page."""
    if not forms:
        raise ValueError("没有可打印的申请表")
    write_pdf_with(Path(out), forms[0].title, lambda writer: paint_forms(writer, forms, progress))


def write_pdf_with(out: Path, title: str, paint: Callable[[QPdfWriter], object]) -> None:
    """Write the PDF ``out`` (replaced atomically) of what ``paint`` paints on the writer."""
    ensure_gui_application()
    with replacing(out) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(PDF_RESOLUTION)
        writer.setTitle(title)
        writer.setCreator(PRODUCT_NAME)
        paint(writer)
        del writer  # closes the file before it replaces ``out``
