"""PySide6.QtPrintSupport, via the shim (``desktop.qt`` checks the version first)."""

from PySide6.QtPrintSupport import *  # noqa: F403
