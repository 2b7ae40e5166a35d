"""Packages between the counties and the city (TEAM.md), Qt-free: export cut from the change
log (``export``), import in order with field-by-field merge (``receive``, ``merge``), and the
conflicts an officer resolves (``conflicts``), over rows keyed globally (``keys``, ``rows``)."""
