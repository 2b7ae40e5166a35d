"""The one door to Qt: every Qt import of the window and the printer goes through here.

``desktop.qt.core``, ``.gui``, ``.widgets`` and ``.printsupport`` re-export PySide6's modules, so
the binding and its version are named in one place (qutebrowser's ``qutebrowser/qt``, Anki's
``aqt/qt``). The domain packages never import this package (an import-linter contract holds it).
"""

from __future__ import annotations

import PySide6

# 6.12.0 drops references to None on Python 3.11 (tests/ui/test_pyside_refcount.py shows it).
SUPPORTED_BELOW = (6, 12)


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:2] if part.isdigit())


if _version_tuple(PySide6.__version__) >= SUPPORTED_BELOW:  # pragma: no cover - the pin holds
    raise ImportError(
        f"PySide6 {PySide6.__version__} is not supported: install a version below "
        f"{'.'.join(map(str, SUPPORTED_BELOW))} (pip install 'PySide6-Essentials<6.12')"
    )
