"""PySide6.QtWidgets, via the shim (``desktop.qt`` checks the version first)."""

from PySide6.QtWidgets import *  # noqa: F403
