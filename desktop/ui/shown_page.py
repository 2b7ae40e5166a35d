"""A page that reads what it shows only while it shows (its lists are costly on a large roster)."""

from __future__ import annotations

from desktop.changes import Changes
from desktop.ui.page import Page


class ShownPage(Page):
    """Changes to what it shows (``watched``) while it is hidden only mark it out of date; it
    reads again when it comes to the front, or at once while it shows."""

    watched: Changes = Changes.EVERYTHING
    _out_of_date = True

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(self.watched):
            self._out_of_date = True
            if self.isVisible():
                self.refresh()

    def on_shown(self) -> None:
        if self._out_of_date:
            self.refresh()

    def refresh(self) -> None:
        """Read everything the page shows."""
        self._out_of_date = False
        self.read()

    def read(self) -> None:
        raise NotImplementedError
