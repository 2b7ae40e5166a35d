"""Application forms (申请表): their content, and painting them on a PDF, printer or preview.

The only domain package besides ``desktop.ui`` that imports Qt (QtGui, no widgets).
"""

from desktop.forms.content import Applicant, ApplicationForm, blank_form, form_for
from desktop.forms.render import ensure_gui_application, paint_forms, write_pdf

__all__ = [
    "Applicant",
    "ApplicationForm",
    "blank_form",
    "ensure_gui_application",
    "form_for",
    "paint_forms",
    "write_pdf",
]
