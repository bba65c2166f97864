"""One entry point for every export figure: what the CLI and the Export dialog call.

``export_figure(analysis, kind, period, redact=..., paper=...)`` returns the
matplotlib Figure of the brief or of one chart; ``save_export(fig, kind,
path)`` writes it (the brief to PDF, PNG or SVG, charts by extension);
``default_period(kind, today)`` is the period each kind uses when none is
given (the brief: the last 6 complete weeks; the week chart: the last
complete week; the other charts: the audit's default). ``default_week(analysis,
today)`` is the week chart's default once the calendar is known: the last
complete week with calendar data, else the week in progress. Any week can be
exported (``pmload export chart week --week 2026-W05``); every chart takes
the threshold and basis from the settings, and the week states from ``today``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure

from pmload.config import Settings
from pmload.export.data import AnalysisLike
from pmload.export.redact import Redactor
from pmload.period import Period, parse_period
from pmload.rules.sides import SideIndex

EXPORT_KINDS = ("brief", "share", "hours", "series", "week")
EXPORT_TITLES = {
    "brief": "One-page brief",
    "share": "Chart: translation share by week",
    "hours": "Chart: meeting hours by category",
    "series": "Chart: top translation meetings",
    "week": "Chart: one week by day",
}
BRIEF_DEFAULT_WEEKS = 6


class ExportSource(AnalysisLike, Protocol):
    """An Analysis with its settings and zone (pmload.rules.analysis.Analysis is one)."""

    settings: Settings
    zone: ZoneInfo

    def latest_complete_week(self, today: date | None = None) -> date | None: ...

    def current_week(self, today: date | None = None) -> date: ...


def default_period(kind: str, today: date, weeks: int | None = None) -> Period:
    """The period of ``kind`` when only a number of complete weeks (or nothing) is given."""
    if kind == "week":
        return Period.of_weeks(today - timedelta(days=today.weekday() + 7), 1)
    if kind == "brief" and weeks is None:
        weeks = BRIEF_DEFAULT_WEEKS
    return parse_period(weeks=weeks, today=today)


def default_week(analysis: ExportSource, today: date | None = None) -> Period:
    """The week chart's default: the last complete week with data, else the current week."""
    latest = analysis.latest_complete_week(today)
    return Period.of_weeks(latest if latest is not None else analysis.current_week(today), 1)


def redactor_for(settings: Settings, mode: str) -> Redactor:
    return Redactor(mode=mode, sides=SideIndex(settings.people), me=settings.me_set)


def export_figure(
    analysis: ExportSource,
    kind: str,
    period: Period,
    *,
    redact: str = "none",
    paper: str = "letter",
    today: date | None = None,
    journal_lines: Sequence[str] | None = None,
    asks: Sequence[str] = (),
    since: str | None = None,
    redactor: Redactor | None = None,
    rolling: bool = False,
) -> Figure:
    """The Figure of the brief or a chart over ``period`` (the week chart: its last week).

    ``asks`` and ``since``: the brief's "My asks" (see :mod:`pmload.export.asks`);
    ``redactor``: the one the asks were drafted with (default: a new one for ``redact``);
    ``rolling``: the share chart with its 4-week average line.
    """
    from pmload.export.charts import hours_chart, series_chart, share_chart, week_chart
    from pmload.export.data import series_points, translation_series, week_detail, week_points

    settings = analysis.settings
    redactor = redactor if redactor is not None else redactor_for(settings, redact)
    if kind == "brief":
        from pmload.export.brief import brief_figure
        from pmload.export.brief_facts import brief_facts

        facts = brief_facts(analysis, period, today)
        return brief_figure(facts, redactor, paper, journal_lines, today, asks, since)
    if kind == "week":
        period = Period.of_weeks(period.last_sunday - timedelta(days=6), 1)
    result = analysis.audit(period, today)
    if kind == "share":
        return share_chart(week_points(result), settings.threshold, settings.basis, rolling=rolling)
    if kind == "hours":
        return hours_chart(week_points(result))
    if kind == "series":
        series = translation_series(analysis, period, recurring_only=True)
        return series_chart(series_points(series, redactor), week_points(result))
    if kind == "week":
        return week_chart(
            week_detail(analysis, result, analysis.zone), settings.threshold, settings.basis
        )
    raise ValueError(f"unknown export kind {kind!r}")


def save_export(fig: Figure, kind: str, path: Path, *, private: bool = False) -> Path:
    """Write ``fig`` to ``path`` by its extension (.pdf, .png, .svg).

    ``private``: the figure carries journal scores, so the file is 0600.
    """
    if kind == "brief":
        from pmload.export.brief import write_brief

        return write_brief(fig, path, private=private)
    from pmload.export.charts import save_figure

    return save_figure(fig, path)


def preview_png(fig: Figure, dpi: float = 72) -> bytes:
    """The figure as PNG bytes, for previews and the clipboard."""
    from pmload.export.charts import png_bytes

    return png_bytes(fig, dpi=dpi)
