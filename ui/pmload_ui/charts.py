"""Embedding the core's matplotlib charts (pmload.export.charts) in the app.

The figures come from the same builders the CLI exports use; here they are
placed on a FigureCanvasQTAgg and re-coloured from the widget's palette, so
they sit on the window's own background in light and dark themes. matplotlib
is imported only when a chart is first drawn, so the window paints first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from pmload_ui.style import hex_of, muted_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

FigureBuilder = Callable[[float, float], "Figure"]


def adapt_to_palette(fig: Figure, pal: QPalette) -> None:
    """Text, axes and background colours from the Qt palette (data colours are kept)."""
    fg = hex_of(pal.color(QPalette.ColorRole.WindowText))
    bg = hex_of(pal.color(QPalette.ColorRole.Window))
    mid = hex_of(muted_text(pal))
    fig.set_facecolor(bg)
    for text in fig.texts:
        text.set_color(fg)
    for ax in fig.axes:
        ax.set_facecolor(bg)
        for spine in ax.spines.values():
            spine.set_edgecolor(mid)
        ax.tick_params(colors=fg, which="both")
        for text in (ax.xaxis.label, ax.yaxis.label):
            text.set_color(fg)
        for loc in ("left", "center", "right"):
            title = ax.get_title(loc=loc)
            if title:
                ax.set_title(title, loc=loc, color=fg)
        for text in ax.texts:
            text.set_color(fg)
            box = text.get_bbox_patch()
            if box is not None:
                box.set_facecolor(bg)
        for line in ax.lines:
            if line.get_color() in ("black", "#000000", "k"):
                line.set_color(fg)
        legend = ax.get_legend()
        if legend is not None:
            legend.get_frame().set_facecolor(bg)
            legend.get_frame().set_edgecolor(mid)
            for text in legend.get_texts():
                text.set_color(fg)
            if legend.get_title() is not None:
                legend.get_title().set_color(fg)


class ChartView(QWidget):
    """A matplotlib figure built on demand by ``builder(width_in, height_in)``.

    The canvas is created when the widget is first shown (or by :meth:`settle`),
    so building the window never waits for matplotlib.
    """

    def __init__(
        self, parent: QWidget | None = None, min_height: int = 180, name: str = "Chart"
    ) -> None:
        super().__init__(parent)
        # Reachable with Tab, so a screen reader reads its name and its description
        # (what it shows, set by the view with setAccessibleDescription).
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._builder: FigureBuilder | None = None
        self._dirty = False
        self.canvas: Any = None
        self.figure: Figure | None = None
        self._connections: list[tuple[str, Callable[[Any], None]]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.draw_chart)

    def set_builder(self, builder: FigureBuilder | None) -> None:
        """Draw with ``builder`` soon: at once the first time, then after a short pause,
        so flipping through weeks stays quick and only the last one is drawn."""
        self._builder = builder
        self._dirty = True
        self._timer.setInterval(0 if self.canvas is None else 150)
        if self.isVisible():
            self._timer.start()

    def mpl_connect(self, event: str, callback: Callable[[Any], None]) -> None:
        """Connect a matplotlib event; kept across figure changes."""
        self._connections.append((event, callback))
        if self.canvas is not None:
            self.canvas.mpl_connect(event, callback)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._builder is not None:
            self._dirty = True  # redraw in the new colours (light/dark switch)
            if self.isVisible():
                self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start()

    def settle(self) -> None:
        """Build and draw now (screenshots, tests)."""
        self.draw_chart()
        # Drawn already unless a draw is still pending (matplotlib's Qt canvas marks it):
        # drawing again costs a screenshot a third of a second for the same pixels.
        if self.canvas is not None and getattr(self.canvas, "_draw_pending", True):
            self.canvas.draw()

    def draw_chart(self) -> None:
        if not self._dirty or self._builder is None:
            return
        self._dirty = False
        from matplotlib.backends import backend_qtagg

        canvas_class: Any = backend_qtagg.FigureCanvasQTAgg

        w = max(self.width(), 300)
        h = max(self.height(), self.minimumHeight())
        dpi = 100.0
        fig = self._builder(w / dpi, h / dpi)
        fig.set_dpi(dpi)
        adapt_to_palette(fig, self.palette())
        old = self.canvas
        canvas: Any = canvas_class(fig)
        canvas.setParent(self)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        for event, callback in self._connections:
            canvas.mpl_connect(event, callback)
        self._layout.addWidget(canvas)
        if old is not None:
            self._layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.canvas = canvas
        self.figure = fig
        canvas.draw_idle()
