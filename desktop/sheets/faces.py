"""The one face of every workbook the program writes."""

from __future__ import annotations

from openpyxl.styles.fonts import DEFAULT_FONT, Font


def font(size: float = DEFAULT_FONT.sz, *, bold: bool = False, color: str | None = None) -> Font:
    """The workbook's own face (openpyxl's default) at ``size``: a Font made without a name
    leaves the face to the program reading it, and LibreOffice draws such a cell in a serif."""
    face = DEFAULT_FONT
    return Font(
        name=face.name, size=size, bold=bold, color=color, family=face.family, scheme=face.scheme
    )
