"""Draw the bundle's icon, build/relief-desk.ico, from resources/icons/app.svg (with Qt)."""

from pathlib import Path

from desktop.qt.gui import QGuiApplication, QIcon

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    app = QGuiApplication(["draw_icon", "-platform", "offscreen"])
    out = ROOT / "build" / "relief-desk.ico"
    out.parent.mkdir(exist_ok=True)
    if not QIcon(str(ROOT / "resources/icons/app.svg")).pixmap(256, 256).save(str(out)):
        raise SystemExit(f"could not draw {out}")
