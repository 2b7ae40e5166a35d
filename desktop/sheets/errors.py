"""The error raised for files that cannot or must not be read."""

from __future__ import annotations


class SheetFileError(Exception):
    """An unreadable or hostile file; the message names the file and says why, in Chinese."""
