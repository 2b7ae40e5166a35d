"""The one refusal of the task force's domain: ``str()`` is the officer's Chinese message."""

from __future__ import annotations


class TaskforceError(ValueError):
    """A problem move, period or setting refused; nothing of it was written."""
