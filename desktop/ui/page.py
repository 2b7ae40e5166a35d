"""What every page of the main window is: it tells of the changes it makes and follows the
changes others make (after Anki's screens and ``operation_did_execute``)."""

from __future__ import annotations

from desktop.changes import Changes
from desktop.qt.core import Signal
from desktop.qt.widgets import QWidget
from desktop.store import Database


class Page(QWidget):
    """A page over the database ``db``.

    An operation of the page that writes ends in :meth:`publish`: the page shows the change at
    once, and ``changed`` carries it to the window, which hands it to every other page's
    :meth:`on_changes`; each reloads (or marks stale) only what it shows that the change touches.
    """

    changed = Signal(object)  # the Changes one of this page's operations made
    go_to = Signal(str)  # asks the window to bring the page of this title to the front
    db: Database

    def on_changes(self, changes: Changes) -> None:
        """Reload what this page shows that ``changes`` touch."""
        raise NotImplementedError

    def publish(self, changes: Changes) -> None:
        """Show what this page's operation changed, and tell the other pages."""
        self.on_changes(changes)
        self.changed.emit(changes)

    def set_database(self, db: Database) -> None:
        """Work on another database (after a restore): everything shown is read again."""
        self.db = db
        self.on_changes(Changes.EVERYTHING)

    def on_shown(self) -> None:
        """The page came to the front (nothing to do unless a page says otherwise)."""

    def may_leave(self) -> bool:
        """May the officer go to another page (or close the window)? A page with work not
        saved asks first; most pages have none."""
        return True
