"""Render the app icon's SVG to the PNG sizes a desktop wants (run by hand, PNGs committed).

    python packaging/render_icons.py

Reads resources/icons/hicolor/scalable/apps/ID.svg and writes
resources/icons/hicolor/NxN/apps/ID.png for N in SIZES, with Qt's SVG renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
APP_ID = "io.github.pmload.Pmload"
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons" / "hicolor"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication([])  # noqa: F841 - QImage text and painting need it
    renderer = QSvgRenderer(str(ICONS / "scalable" / "apps" / f"{APP_ID}.svg"))
    if not renderer.isValid():
        print("render_icons: the SVG cannot be read.", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            print(f"render_icons: cannot write {target}.", file=sys.stderr)
            return 1
        print(target.relative_to(ICONS.parent.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
