"""PySide6.QtGui, via the shim (``desktop.qt`` checks the version first)."""

from PySide6.QtGui import *  # noqa: F403
