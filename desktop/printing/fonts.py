"""The font the forms are set in, bundled so every office PC prints the same page."""

from __future__ import annotations

import functools
from importlib import resources

from desktop.qt.core import QByteArray
from desktop.qt.gui import QFont, QFontDatabase

FONT_FILE = "wqy-microhei.ttc"
FAMILY = "WenQuanYi Micro Hei"


@functools.cache
def form_family() -> str:
    """Load the bundled WenQuanYi Micro Hei (once) and return its family name.

    Its ideographs read back from a PDF as themselves, unlike Noto CJK's (see
    resources/fonts/README.md). Needs a QGuiApplication.
    """
    data = (resources.files("desktop.resources") / "fonts" / FONT_FILE).read_bytes()
    font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if FAMILY not in families:
        raise RuntimeError(f"无法加载表格字体 {FONT_FILE}")
    return FAMILY


def form_font(point_size: float, *, bold: bool = False) -> QFont:
    """The bundled family at ``point_size``, never merged with another font's glyphs."""
    font = QFont(form_family())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    return font
