"""The Trends view: weekly translation share against the line, and hours by category.

Hovering a week shows its numbers; clicking it opens that week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from pmload.period import Period, monday_of, today_in
from pmload.rules.audit import AuditResult, WeekAudit
from pmload_ui.charts import ChartView
from pmload_ui.session import Session
from pmload_ui.style import hex_of, muted_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RANGES = (("Last 12 weeks", 12), ("Last 26 weeks", 26), ("Last 52 weeks", 52), ("All history", 0))


def week_text(w: WeekAudit, threshold: float) -> str:
    """The numbers of one week, for the hover tip."""
    end = w.start + timedelta(days=6)
    hours = ", ".join(f"{cat} {h:.1f} h" for cat, h in w.hours.items() if h > 0)
    flag = f"over {threshold * 100:.0f}%" if w.over_threshold else "under the line"
    streak = f", streak {w.streak}" if w.streak > 1 else ""
    return (
        f"{w.week} ({w.start:%-d %b} – {end:%-d %b %Y}): translation {w.translation_share * 100:.0f}% "
        f"({flag}{streak}) of {w.meeting_hours:.1f} h in {w.meetings} meetings; {hours or 'no meetings'}"
    )


class TrendsView(QWidget):
    """Share and hours per week over months.

    Signals:
        weekOpened(object): the Monday (``date``) of the week the user clicked.
    """

    weekOpened = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trends-view")
        self.session = session
        self.result: AuditResult | None = None
        self.summary = QLabel()
        f = self.summary.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.summary.setFont(f)
        self.summary.setWordWrap(True)
        self.range_combo = QComboBox()
        for text, weeks in RANGES:
            self.range_combo.addItem(text, weeks)
        self.range_combo.setCurrentIndex(1)
        self.range_combo.currentIndexChanged.connect(self.reload)
        self.hover_label = QLabel("Hover a week to see its numbers; click it to open that week.")
        self.hover_label.setWordWrap(True)
        self.hover_label.setStyleSheet(f"color: {hex_of(muted_text(self.palette()))};")
        self.chart = ChartView(min_height=360)
        self.chart.mpl_connect("motion_notify_event", self._hover)
        self.chart.mpl_connect("button_press_event", self._click)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.range_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.hover_label)
        session.loaded.connect(self.reload)
        session.reclassified.connect(self.reload)
        session.settingsChanged.connect(self.reload)
        self.reload()

    def period(self) -> Period | None:
        analysis = self.session.analysis
        if analysis is None or analysis.first_week is None:
            return None
        current = monday_of(today_in(analysis.zone))
        last = min(current, analysis.last_week or current)
        weeks = int(self.range_combo.currentData() or 0)
        first = (
            analysis.first_week
            if weeks == 0
            else max(analysis.first_week, last - timedelta(weeks=weeks - 1))
        )
        first = min(first, last)
        return Period(first, last + timedelta(days=6))

    def reload(self) -> None:
        analysis = self.session.analysis
        period = self.period()
        if analysis is None or period is None:
            self.result = None
            self.summary.setText("No weeks to show yet.")
            self.chart.set_builder(None)
            return
        self.result = analysis.audit(period)
        s = self.result.summary
        n = len(self.result.weeks)
        line = f"{self.result.threshold * 100:.0f}%"
        self.summary.setText(
            f"Translation {s.share * 100:.0f}% of the period · {s.weeks_over} of {n} weeks over {line} · "
            f"longest streak {s.longest_streak} · current streak {s.current_streak} · "
            f"last 4 weeks {s.rolling_4w_share * 100:.0f}%"
        )
        self.chart.set_builder(self._build)

    def _build(self, width: float, height: float) -> Figure:
        from pmload.export.charts.builders import draw_hours, draw_share
        from pmload.export.charts.style import chart_style, new_figure
        from pmload.export.data import week_points

        assert self.result is not None
        weeks = week_points(self.result)
        with chart_style():
            fig = new_figure(width, height)
            share_ax, hours_ax = fig.subplots(2, 1, sharex=True)
            draw_share(share_ax, weeks, self.result.threshold, self.result.basis)
            draw_hours(hours_ax, weeks)
            share_ax.tick_params(labelbottom=False)
        return fig

    def settle(self) -> None:
        self.chart.settle()

    # --- interaction --------------------------------------------------------------

    def week_at(self, xdata: float | None) -> WeekAudit | None:
        if self.result is None or xdata is None:
            return None
        i = round(xdata)
        if 0 <= i < len(self.result.weeks) and abs(xdata - i) <= 0.45:
            return self.result.weeks[i]
        return None

    def _hover(self, event: Any) -> None:
        w = self.week_at(event.xdata if event.inaxes is not None else None)
        if w is None or self.result is None:
            QToolTip.hideText()
            return
        text = week_text(w, self.result.threshold)
        self.hover_label.setText(text)
        QToolTip.showText(QCursor.pos(), text.replace("; ", "\n"), self.chart.canvas)

    def _click(self, event: Any) -> None:
        w = self.week_at(event.xdata if event.inaxes is not None else None)
        if w is not None:
            self.open_week(w.start)

    def open_week(self, monday: date) -> None:
        self.weekOpened.emit(monday)
