"""Charts of the audit as matplotlib Figures (no pyplot, no Qt).

``share_chart``, ``hours_chart``, ``series_chart`` and ``week_chart`` build a
Figure from plain data (:mod:`pmload.export.charts.data`); ``save_figure`` writes it
as PNG, SVG or PDF by the file's extension. The app embeds the same figures
with FigureCanvasQTAgg.
"""

from __future__ import annotations

from pmload.export.charts.builders import (
    CHART_KINDS,
    hours_chart,
    series_chart,
    share_chart,
    week_chart,
)
from pmload.export.charts.data import DayPoint, SeriesPoint, WeekDetail, WeekPoint
from pmload.export.charts.style import png_bytes, save_figure

__all__ = [
    "CHART_KINDS",
    "DayPoint",
    "SeriesPoint",
    "WeekDetail",
    "WeekPoint",
    "hours_chart",
    "png_bytes",
    "save_figure",
    "series_chart",
    "share_chart",
    "week_chart",
]
