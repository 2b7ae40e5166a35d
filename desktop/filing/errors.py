"""The one error paperwork raises when nothing could be written."""

from __future__ import annotations


class PaperworkError(Exception):
    """Nothing was written; ``str()`` is the line the officer reads."""
