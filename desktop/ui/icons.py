"""The bundled icons (``resources/icons/*.svg``, drawn for this application)."""

from __future__ import annotations

from importlib import resources
from typing import TypeVar

from desktop.qt.gui import QAction, QIcon
from desktop.qt.widgets import QAbstractButton

B = TypeVar("B", QAbstractButton, QAction)
NAVIGATION = {
    "工作台": "desk", "企业名录": "roster", "数据导入": "import", "政策测算": "policy",
    "兑现管理": "cases", "申报导出": "export", "包联服务": "taskforce", "运行监测": "monitoring",
    "操作记录": "log", "设置": "settings", "冲突处理": "conflicts",
}  # fmt: skip


def icon(name: str) -> QIcon:
    """``resources/icons/NAME.svg`` as an icon; ``KeyError`` names a missing file."""
    path = resources.files("desktop.resources") / "icons" / f"{name}.svg"
    if not path.is_file():
        raise KeyError(f"no icon {name!r}")
    return QIcon(str(path))


def with_icon(widget: B, name: str) -> B:
    """``widget`` (a button or an action) showing the icon ``name``."""
    widget.setIcon(icon(name))
    return widget
