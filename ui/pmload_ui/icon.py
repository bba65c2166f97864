"""The app's icon, from the PNGs shipped in resources/icons (named by the application id)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon, QPixmap

from pmload.appinfo import APP_ID
from pmload.resources_path import resource

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@cache
def app_icon() -> QIcon:
    """Every shipped size of the icon; the desktop theme's when the shipped ones are missing."""
    icon = QIcon()
    for size in SIZES:
        png = resource(f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png")
        pixmap = QPixmap()
        if png.is_file() and pixmap.loadFromData(png.read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon if not icon.isNull() else QIcon.fromTheme(APP_ID)
