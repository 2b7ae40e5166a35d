"""File dialogs that open in the folder each was last in, and, after an export, the offer to
open what was written (「打开文件」「打开所在文件夹」)."""

from __future__ import annotations

from pathlib import Path

from desktop.qt.core import QUrl
from desktop.qt.gui import QDesktopServices
from desktop.qt.widgets import QFileDialog, QHBoxLayout, QPushButton, QWidget
from desktop.ui.icons import with_icon
from desktop.ui.remembered import last_folder, remember_folder


def open_file_names(parent: QWidget, dialog: str, title: str, pattern: str) -> list[Path]:
    """Files to open, chosen in the folder dialog ``dialog`` was last in."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, last_folder(dialog), pattern)
    paths = [Path(n) for n in names]
    if paths:
        remember_folder(dialog, paths[0])
    return paths


def save_file_name(
    parent: QWidget, dialog: str, title: str, suggested: str, pattern: str
) -> Path | None:
    """Where to save, offered as ``suggested`` in the folder dialog ``dialog`` was last in."""
    start = str(Path(last_folder(dialog)) / suggested)
    name, _ = QFileDialog.getSaveFileName(parent, title, start, pattern)
    if not name:
        return None
    remember_folder(dialog, Path(name))
    return Path(name)


def open_url(url: QUrl) -> bool:
    """Open ``url`` with the program the system chooses (a test replaces this)."""
    return QDesktopServices.openUrl(url)


class OpenOffer(QWidget):
    """「打开文件」 and 「打开所在文件夹」 for the file just written; hidden until there is one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.open_file = with_icon(QPushButton("打开文件"), "open")
        self.open_folder = with_icon(QPushButton("打开所在文件夹"), "open")
        self.open_file.clicked.connect(lambda: self._open(self.file_url()))
        self.open_folder.clicked.connect(lambda: self._open(self.folder_url()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.open_file)
        row.addWidget(self.open_folder)
        row.addStretch()
        self.offer(None)

    def offer(self, path: Path | None) -> None:
        """Offer to open ``path`` (None: nothing to offer)."""
        self.path = path
        self.setVisible(path is not None)

    def file_url(self) -> QUrl:
        return QUrl.fromLocalFile(str(self.path))

    def folder_url(self) -> QUrl:
        return QUrl.fromLocalFile(str(self.path.parent if self.path else ""))

    @staticmethod
    def _open(url: QUrl) -> None:
        open_url(url)
