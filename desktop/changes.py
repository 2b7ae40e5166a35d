"""What an operation changed, so each view reloads only what it shows (after Anki's OpChanges).

Every operation that writes returns a :class:`Changes` (alone, or inside the outcome it already
returned); the window hands it to every page, and a page reloads (or marks stale) only what it
shows that the changes touch. Qt-free: the command line ignores it, the window dispatches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Flag, auto


class Changes(Flag):
    """The kinds of data an operation changed; combine with ``|``, test with ``in`` or ``&``."""

    NONE = 0
    ENTERPRISES = auto()  # the roster: enterprise rows (with their provincial award)
    FIGURES = auto()  # monthly output and annual figures
    LEASES = auto()  # standard-factory leases
    ZONES = auto()  # development zones (names, level, kind)
    CHAINS = auto()  # key industrial chains
    SETTINGS = auto()  # operator, filing unit, backup count
    BATCHES = auto()  # import batches made or taken back
    BACKUPS = auto()  # backup files made or set aside
    TASKFORCE = auto()  # people, teams, 包联, visits, problems, monitoring
    CASES = auto()  # subsidy cases and their moves, funds, payments, the holiday list
    PACKAGES = auto()  # packages sent and received, and the conflicts they left
    # What verdicts, filing sheets and forms rest on.
    FACTS = ENTERPRISES | FIGURES | LEASES | ZONES | CHAINS
    EVERYTHING = FACTS | SETTINGS | BATCHES | BACKUPS | TASKFORCE | CASES | PACKAGES

    @classmethod
    def of_tables(cls, names: Iterable[str]) -> Changes:
        """The changes of writing the tables ``names`` (as the change log names them)."""
        found = cls.NONE
        for name in names:
            found |= TABLES[name]
        return found

    def touches(self, kinds: Changes) -> bool:
        """True when any of ``kinds`` changed."""
        return bool(self & kinds)


TABLES: dict[str, Changes] = {
    "enterprise": Changes.ENTERPRISES,
    "provincial_award": Changes.ENTERPRISES,
    "monthly_output": Changes.FIGURES,
    "annual_figures": Changes.FIGURES,
    "lease": Changes.LEASES,
    "zone": Changes.ZONES,
    "key_chain": Changes.CHAINS,
    "setting": Changes.SETTINGS,
    "import_batch": Changes.BATCHES,
    **dict.fromkeys(
        ("person", "service_team", "team_member", "assignment", "visit", "problem", "monitoring"),
        Changes.TASKFORCE,
    ),
    **dict.fromkeys(("subsidy_case", "case_move", "fund", "payment", "holiday"), Changes.CASES),
    **dict.fromkeys(("package_sent", "package_received", "sync_conflict"), Changes.PACKAGES),
}
