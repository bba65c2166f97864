"""Charts of the audit as matplotlib Figures (no pyplot, no Qt).

``share_chart``, ``hours_chart``, ``series_chart`` and ``week_chart`` build a
Figure from plain data (:mod:`pmload.charts.data`); ``save_figure`` writes it
as PNG, SVG or PDF by the file's extension. The app embeds the same figures
with FigureCanvasQTAgg.
"""

from __future__ import annotations

from pmload.charts.builders import (
    CHART_KINDS,
    hours_chart,
    series_chart,
    share_chart,
    week_chart,
)
from pmload.charts.data import DayPoint, SeriesPoint, WeekDetail, WeekPoint
from pmload.charts.style import png_bytes, save_figure

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
