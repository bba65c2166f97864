"""Colours and small visual helpers derived from the palette (light and dark).

Category and verdict colours are the Okabe–Ito colours of pmload.export.charts.style
(kept here as plain hex so the window does not import matplotlib before it paints;
a test keeps them equal). A verdict is shown the same way on every screen and chart:
over vermillion, under sky blue, unsure the neutral grey. :func:`verdict_colour` is
the chart's colour itself (swatches, badges with dark text); :func:`verdict_text_colour`
is the same hue made dark or light enough to read as text on the window.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from pmload.vocab import Category, Verdict

CATEGORY_HEX: dict[Category, str] = {
    Category.TRANSLATION: "#D55E00",
    Category.COORDINATION: "#0072B2",
    Category.STRATEGY: "#009E73",
    Category.UNCLASSIFIED: "#BBBBBB",
}
VERDICT_HEX: dict[Verdict, str] = {
    Verdict.OVER: "#D55E00",  # vermillion
    Verdict.UNDER: "#56B4E9",  # sky blue
    Verdict.UNSURE: "#BBBBBB",  # neutral grey
}
BADGE_TEXT = "#222222"  # dark text reads on every verdict colour (contrast 4.6:1 or more)


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
    """A red that reads on the window background (errors; verdicts use verdict_colour)."""
    return QColor("#FF8A65") if is_dark(pal) else QColor("#C0392B")


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def verdict_colour(verdict: Verdict) -> QColor:
    """The verdict's colour as the charts draw it (VERDICT_COLOURS)."""
    return QColor(VERDICT_HEX[verdict])


def verdict_text_colour(verdict: Verdict, pal: QPalette, minimum: float = 4.5) -> QColor:
    """The verdict's colour as text on the window: the chart's hue, darkened (light theme)
    or lightened (dark theme) just enough to reach ``minimum`` contrast."""
    background = pal.color(QPalette.ColorRole.Window)
    colour = verdict_colour(verdict)
    toward = QColor("#FFFFFF") if is_dark(pal) else QColor("#000000")
    for step in range(21):
        t = step / 20
        mixed = QColor(
            round(colour.red() + (toward.red() - colour.red()) * t),
            round(colour.green() + (toward.green() - colour.green()) * t),
            round(colour.blue() + (toward.blue() - colour.blue()) * t),
        )
        if contrast(mixed, background) >= minimum:
            return mixed
    return toward


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
