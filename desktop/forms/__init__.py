"""Application forms (申请表): what each page says and how it is laid out (Qt-free).

``desktop.printing`` paints them.
"""

from desktop.forms.content import Applicant, ApplicationForm, blank_form, form_for

__all__ = ["Applicant", "ApplicationForm", "blank_form", "form_for"]
