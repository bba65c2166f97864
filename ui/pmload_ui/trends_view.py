"""The Trends view: weekly translation share against the line, and hours by category.

The chart is the core's (``draw_share``: unsure weeks as grey ranges, the week in
progress "so far"); the lines above it are the audit summary's figures over
complete weeks, with the week in progress beside them, printed with the core's
helpers. Hovering a week shows its numbers; clicking it opens that week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from pmload.period import Period, monday_of
from pmload.rules.audit import AuditResult, WeekAudit
from pmload.rules.verdict import share_pct, threshold_pct, verdict_pct
from pmload.vocab import Basis, Verdict, WeekState
from pmload_ui.charts import ChartView
from pmload_ui.session import Session
from pmload_ui.style import hex_of, muted_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RANGES = (("Last 12 weeks", 12), ("Last 26 weeks", 26), ("Last 52 weeks", 52), ("All history", 0))


def _verdict_words(w: WeekAudit, threshold: float, detail: bool = True) -> str:
    """'46%, over 40%', '13%, under 40%', 'unsure, 24–44% with 2.8 h unclassified, across
    the 40% line' (the core's verdict; ``detail`` False leaves out the hours and line)."""
    line = threshold_pct(threshold)
    if w.verdict is Verdict.UNSURE:
        text = f"unsure, {verdict_pct(w.share_low, w.share_high, w.verdict, threshold)}"
        if detail:
            text += f" with {w.unclassified_hours:.1f} h unclassified, across the {line} line"
        return text
    word = "over" if w.verdict is Verdict.OVER else "under"
    if w.verdict is Verdict.UNDER and w.share_high >= threshold:
        word = "at or under"  # exactly on the line
    return f"{share_pct(w.share_low, threshold)}, {word} {line}"


def week_text(w: WeekAudit, threshold: float) -> str:
    """The numbers of one week, for the hover tip and the line under the chart."""
    state = {
        WeekState.COMPLETE: "",
        WeekState.IN_PROGRESS: " so far",
        WeekState.SCHEDULED: ", scheduled",
    }
    head = f"{w.week}{state[w.state]} ({w.start:%-d %b} – {w.end:%-d %b %Y})"
    if not w.has_data:
        return f"{head}: no calendar data for this week"
    if w.meeting_hours <= 0:
        return f"{head}: no meetings counted"
    streak = f", streak {w.streak}" if w.streak > 1 else ""
    scheduled = "" if w.complete else ", as scheduled"
    hours = ", ".join(f"{cat} {h:.1f} h" for cat, h in w.hours.items() if h > 0)
    return (
        f"{head}: {w.meeting_hours:.1f} h in {w.meetings} meetings{scheduled}; "
        f"translation {_verdict_words(w, threshold)}{streak}; {hours}"
    )


def summary_texts(result: AuditResult) -> tuple[str, str]:
    """The two lines above the chart: the complete weeks' counts and streaks; then the
    period's share (a range when unsure) with the week in progress beside it."""
    s = result.summary
    threshold = result.threshold
    line = threshold_pct(threshold)
    counts = (
        f"{s.weeks_over} of {s.complete_weeks} complete weeks over {line}, "
        f"{s.weeks_unsure} unsure · longest streak {s.longest_streak} · "
        f"current streak {s.current_streak}"
    )
    if s.verdict is None:
        period = "No complete week with calendar data in this period"
    else:
        share = verdict_pct(s.share_low, s.share_high, s.verdict, threshold)
        verdict = {
            Verdict.OVER: f"over the {line} line",
            Verdict.UNDER: f"under the {line} line",
            Verdict.UNSURE: f"unsure: the range crosses the {line} line",
        }[s.verdict]
        least = "at least " if s.verdict is Verdict.UNSURE else ""
        period = (
            f"Translation {share} of these weeks' {_basis_words(result.basis)}: {verdict} · "
            f"last 4 weeks {least}{share_pct(s.rolling_4w_share, threshold)}"
        )
        if s.weeks_without_data:
            period += f" · {s.weeks_without_data} without calendar data"
    w = s.in_progress_week
    if w is not None:
        period += f" · this week so far ({w.week}): " + (
            _verdict_words(w, threshold, detail=False) if w.has_data else "no calendar data"
        )
    return counts, period


def _basis_words(basis: Basis) -> str:
    return "working hours" if basis is Basis.WORKING_HOURS else "meeting hours"


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
        self.summary.setAccessibleName("Weeks over the line")
        self.period_summary = QLabel()
        self.period_summary.setWordWrap(True)
        self.period_summary.setAccessibleName("Translation share of the period")
        self.range_combo = QComboBox()
        for text, weeks in RANGES:
            self.range_combo.addItem(text, weeks)
        self.range_combo.setCurrentIndex(1)
        self.range_combo.currentIndexChanged.connect(self.reload)
        self.hover_label = QLabel("Hover a week to see its numbers; click it to open that week.")
        self.hover_label.setWordWrap(True)
        self.hover_label.setStyleSheet(f"color: {hex_of(muted_text(self.palette()))};")
        self.chart = ChartView(min_height=360, name="Trends chart")
        self.chart.mpl_connect("motion_notify_event", self._hover)
        self.chart.mpl_connect("button_press_event", self._click)
        self.rolling_box = QCheckBox("4-week average")
        self.rolling_box.setToolTip(
            "A line of the mean share of each complete week and the 3 before it"
        )
        self.rolling_box.toggled.connect(lambda _on: self.chart.set_builder(self._build))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.rolling_box)
        top.addWidget(self.range_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.period_summary)
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
        current = monday_of(self.session.today())
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
            self.period_summary.setText("")
            self.chart.set_builder(None)
            return
        self.result = analysis.audit(period, self.session.today())
        counts, share = summary_texts(self.result)
        self.summary.setText(counts)
        self.period_summary.setText(share)
        self.chart.set_builder(self._build)
        weeks = self.result.weeks
        self.chart.setAccessibleDescription(
            f"Translation share of each week from {weeks[0].week} to {weeks[-1].week} as "
            f"bars against the {threshold_pct(self.result.threshold)} line (an unsure week "
            "as its range), and its meeting hours by category below. "
            f"{counts}. {share}."
            if weeks
            else ""
        )

    def _build(self, width: float, height: float) -> Figure:
        from pmload.export.charts.builders import draw_hours, draw_share
        from pmload.export.charts.style import chart_style, new_figure
        from pmload.export.data import week_points

        assert self.result is not None
        weeks = week_points(self.result)
        with chart_style():
            fig = new_figure(width, height)
            share_ax, hours_ax = fig.subplots(2, 1, sharex=True)
            draw_share(
                share_ax,
                weeks,
                self.result.threshold,
                self.result.basis,
                rolling=self.rolling_box.isChecked(),
            )
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
