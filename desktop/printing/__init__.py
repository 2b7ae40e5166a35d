"""Painting printed pages (application forms) with QtGui onto a PDF, a printer or a preview.

The only package besides ``desktop.ui`` that imports Qt, through ``desktop.qt`` (no widgets);
what a page says comes from the Qt-free ``desktop.forms``.
"""

from desktop.printing.render import ensure_gui_application, paint_forms, write_pdf

__all__ = ["ensure_gui_application", "paint_forms", "write_pdf"]
