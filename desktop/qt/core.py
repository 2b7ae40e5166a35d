"""PySide6.QtCore, via the shim (``desktop.qt`` checks the version first)."""

from PySide6.QtCore import *  # noqa: F403
