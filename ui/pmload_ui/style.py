"""Colours and small visual helpers derived from the palette (light and dark).

Category colours are the Okabe–Ito colours of pmload.export.charts.style (kept here
as plain hex so the window does not import matplotlib before it paints).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from pmload.vocab import Category

CATEGORY_HEX: dict[Category, str] = {
    Category.TRANSLATION: "#D55E00",
    Category.COORDINATION: "#0072B2",
    Category.STRATEGY: "#009E73",
    Category.UNCLASSIFIED: "#BBBBBB",
}


def palette(widget: QWidget | None = None) -> QPalette:
    return widget.palette() if widget is not None else QApplication.palette()


def is_dark(pal: QPalette) -> bool:
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def muted_text(pal: QPalette) -> QColor:
    """Secondary text: the text colour two thirds of the way from the background."""
    fg = pal.color(QPalette.ColorRole.WindowText)
    bg = pal.color(QPalette.ColorRole.Window)
    t = 0.62
    return QColor(
        round(bg.red() + (fg.red() - bg.red()) * t),
        round(bg.green() + (fg.green() - bg.green()) * t),
        round(bg.blue() + (fg.blue() - bg.blue()) * t),
    )


def warning_colour(pal: QPalette) -> QColor:
    """A red that reads on the window background."""
    return QColor("#FF8A65") if is_dark(pal) else QColor("#C0392B")


def ok_colour(pal: QPalette) -> QColor:
    return QColor("#81C784") if is_dark(pal) else QColor("#2E7D32")


_swatches: dict[tuple[str, int], QIcon] = {}


def category_icon(category: Category | None, size: int = 10) -> QIcon:
    """A small filled circle in the category's colour (cached)."""
    key = (category or "", size)
    icon = _swatches.get(key)
    if icon is None:
        ratio = 2
        pm = QPixmap(QSize(size * ratio, size * ratio))
        pm.setDevicePixelRatio(ratio)
        pm.fill(Qt.GlobalColor.transparent)
        if category in CATEGORY_HEX:
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(CATEGORY_HEX[category]))
            p.drawEllipse(1, 1, size - 2, size - 2)
            p.end()
        icon = _swatches[key] = QIcon(pm)
    return icon


def hex_of(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)
