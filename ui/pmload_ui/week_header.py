"""The Week view's header: the week's share and verdict, as the core decided them.

Every number comes from the week's :class:`pmload.rules.audit.WeekAudit` and is
printed with the core's helpers (:func:`pmload.rules.verdict.verdict_pct`,
``share_pct``, ``threshold_pct``), so the header says what ``pmload audit``, the
charts and the brief say: *over*, *under* or *unsure* with its range; "so far"
for the week in progress and "scheduled" for later weeks, whose meetings still
to come are never described in the past tense; "No calendar data for this
week" rather than a reassuring 0%. An unsure week gets one button leading to
what settles it: the people with no side, or the series to review.

Signals:
    settleRequested(str, object): the view that settles the week ("people" or
        "review") and the addresses (a tuple) of its people with no side.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from pmload.config import Settings
from pmload.period import week_label
from pmload.rules import glossary
from pmload.rules.audit import WeekAudit
from pmload.rules.compare import comparison_text, next_week_text
from pmload.rules.verdict import threshold_pct, verdict_pct
from pmload.vocab import Basis, Category, Verdict, WeekState
from pmload_ui.style import BADGE_TEXT, hex_of, muted_text, verdict_colour, verdict_text_colour

# The charts' hatch patterns (style.VERDICT_HATCHES) as Qt brushes.
HATCH_BRUSH = {
    Verdict.OVER: Qt.BrushStyle.BDiagPattern,  # "////"
    Verdict.UNDER: Qt.BrushStyle.NoBrush,
    Verdict.UNSURE: Qt.BrushStyle.DiagCrossPattern,  # "xx"
}
VERDICT_WORD = {Verdict.OVER: "Over", Verdict.UNDER: "Under", Verdict.UNSURE: "Unsure"}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def week_name(w: WeekAudit) -> str:
    """'week 2026-W08', 'week 2026-W10 so far', 'week 2026-W11, scheduled'."""
    return {
        WeekState.COMPLETE: f"week {w.week}",
        WeekState.IN_PROGRESS: f"week {w.week} so far",
        WeekState.SCHEDULED: f"week {w.week}, scheduled",
    }[w.state]


def share_text(w: WeekAudit, threshold: float) -> str:
    """The big number: '46%', '40.3%', an unsure range '0–33%', or '–' without data."""
    if not w.has_data:
        return "–"
    return verdict_pct(w.share_low, w.share_high, w.verdict, threshold)


def _hours_clause(w: WeekAudit) -> str:
    """Which meetings the share covers, in the tense their state allows."""
    trans = w.hours.get(Category.TRANSLATION, 0.0)
    if w.state is WeekState.COMPLETE:
        return f"{trans:.1f} h of your {w.meeting_hours:.1f} h of meetings were translation"
    if w.state is WeekState.IN_PROGRESS:
        return (
            f"{trans:.1f} h of your {w.meeting_hours:.1f} h of meetings this week, "
            "held and still to come, are translation"
        )
    return f"{trans:.1f} h of the {w.meeting_hours:.1f} h of meetings scheduled are translation"


def verdict_sentence(w: WeekAudit, threshold: float) -> str:
    """The plain sentence beside the big number; never "under" for an unsure week."""
    line = threshold_pct(threshold)
    if not w.has_data:
        return "No calendar data for this week."
    if w.meeting_hours <= 0:
        return {
            WeekState.COMPLETE: "No meetings counted this week.",
            WeekState.IN_PROGRESS: "No meetings counted this week so far.",
            WeekState.SCHEDULED: "No meetings scheduled this week.",
        }[w.state]
    share = share_text(w, threshold)
    hours = _hours_clause(w)
    if w.verdict is Verdict.UNSURE:
        lead = {
            WeekState.COMPLETE: "Unsure: ",
            WeekState.IN_PROGRESS: "This week so far: unsure, ",
            WeekState.SCHEDULED: "As scheduled: unsure, ",
        }[w.state]
        could = "could" if w.complete else "may"
        return (
            f"{lead}{share}, {w.unclassified_hours:.1f} h unclassified. "
            f"{hours[0].upper()}{hours[1:]}; the unclassified meetings {could} still be "
            f"translation, so they decide whether the week is over the {line} line."
        )
    lead = {
        WeekState.COMPLETE: "",
        WeekState.IN_PROGRESS: f"This week so far: {share}, ",
        WeekState.SCHEDULED: f"As scheduled: {share}, ",
    }[w.state]
    if w.verdict is Verdict.OVER:
        streak = f" — the {ordinal(w.streak)} week in a row" if w.streak > 1 else ""
        head = f"{lead}over the {line} line" if lead else f"Over the {line} line{streak}"
        return (
            f"{head}: {hours}. This calls for structure (a second bridge, shared KPIs, "
            "interface contracts), not more effort from you."
        )
    # Under: even the high end is at or under the line.
    where = f"under the {line} line" if w.share_high < threshold else f"at or under the {line} line"
    head = f"{lead}{where}" if lead else where[0].upper() + where[1:]
    return f"{head}: {hours}."


def caption_text(w: WeekAudit, settings: Settings) -> str:
    basis = "working hours" if settings.basis is Basis.WORKING_HOURS else "meeting hours"
    return (
        f"Translation share of your {basis}, {week_name(w)} "
        f"(line: {threshold_pct(settings.threshold)})"
    )


def facts_text(w: WeekAudit, to_come: int, span: tuple[date, date] | None = None) -> str:
    """The week's other figures; ``to_come``: its meetings that have not started yet;
    ``span``: the first and last weeks with calendar data (named for a week without)."""
    if not w.has_data:
        text = "Nothing on your calendar starts in this week, so there is nothing to count"
        if span is not None:
            first, last = (week_label(m) for m in span)
            text += f"; your calendar has data from {first} to {last}"
        return text + "."
    meetings = f"{w.meeting_hours:.1f} h in {w.meetings} meetings"
    if to_come:
        meetings += f" ({to_come} scheduled, still to come)"
    focus = f"{w.focus_hours:.1f} h focus time" + ("" if w.complete else " as scheduled")
    facts = [
        meetings,
        f"{w.people_met} people",
        f"{w.bridge_hours:.1f} h as sole bridge",
        f"{len(w.back_to_back)} back-to-back chains",
        f"{w.context_switches} context switches",
        focus,
    ]
    if w.unclassified_hours > 0:
        facts.append(f"{w.unclassified_hours:.1f} h unclassified")
    return " · ".join(facts)


def compare_text(w: WeekAudit, threshold: float, next_week: WeekAudit | None = None) -> str:
    """How the week compares with earlier weeks, and next week as scheduled so far.

    "46%, up 4 points on last week, 6 above your 4-week average" (the core's
    :func:`~pmload.rules.compare.comparison_text`, which says when a compared week is
    missing or unsure), led by "This week so far:" or "As scheduled:" for a week not
    complete; then, beside this week and the last complete one, next week's share as
    scheduled so far (:func:`~pmload.rules.compare.next_week_text`). '' without data.
    """
    if not w.has_data or w.meeting_hours <= 0:
        return ""
    lead = {
        WeekState.COMPLETE: "",
        WeekState.IN_PROGRESS: "This week so far: ",
        WeekState.SCHEDULED: "As scheduled: ",
    }[w.state]
    lines = [f"{lead}{comparison_text(w, threshold)}."]
    if next_week is not None and next_week.start - w.start in (
        timedelta(weeks=1),
        timedelta(weeks=2),
    ):
        lines.append(next_week_text(next_week, threshold) + ".")
    return "\n".join(lines)


def figures_help(settings: Settings) -> str:
    """What the figures under the verdict mean, in the CLI legend's words (the core's)."""
    return "\n".join(
        glossary.explain(term)
        for term in (
            glossary.SOLE_BRIDGE,
            glossary.BACK_TO_BACK,
            glossary.CONTEXT_SWITCHES,
            glossary.focus_time(settings),
        )
    )


def week_chart_description(w: WeekAudit, settings: Settings) -> str:
    """What the Week view's chart shows, for a screen reader."""
    if not w.has_data:
        return f"No calendar data for {week_name(w)}: the chart is empty."
    hours = ", ".join(f"{cat.value} {w.hours.get(cat, 0.0):.1f} h" for cat in Category)
    return (
        f"Bar chart of {week_name(w)}: meeting hours of each day by category ({hours}). "
        + verdict_sentence(w, settings.threshold)
    )


def settle_action(w: WeekAudit) -> tuple[str, str] | None:
    """(view, button text) of what settles an unsure week; None when it is settled.

    People first: a side given to them lets the rules classify this week's (and
    every other week's) meetings with them; otherwise its series wait for review.
    """
    if w.verdict is not Verdict.UNSURE or not w.has_data:
        return None
    n = len(w.unknown_people)
    if n:
        return "people", f"Set sides for {n} people" if n > 1 else "Set the side of 1 person"
    series = len(w.unclassified_series)
    return "review", f"Review {series} series"


class VerdictSwatch(QWidget):
    """A small patch in the verdict's chart colour and hatch, like the charts' legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict: Verdict | None = None
        side = self.fontMetrics().height()
        self.setFixedSize(side, side)

    def set_verdict(self, verdict: Verdict | None) -> None:
        self.verdict = verdict
        self.setVisible(verdict is not None)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.verdict is None:
            return
        p = QPainter(self)
        rect = QRect(1, 1, self.width() - 2, self.height() - 2)
        p.fillRect(rect, verdict_colour(self.verdict))
        p.fillRect(rect, QBrush(QColor(BADGE_TEXT), HATCH_BRUSH[self.verdict]))
        p.setPen(QPen(QColor("#333333"), 1))
        p.drawRect(rect)
        p.end()


class WeekHeader(QFrame):
    """Share, verdict, settle button and the week's figures (see the module docstring)."""

    settleRequested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("week-header")
        self.audit: WeekAudit | None = None
        self._settings = Settings()
        self._to_come = 0
        self._span: tuple[date, date] | None = None
        self._next_week: WeekAudit | None = None
        self.share_label = QLabel("–")
        self.share_label.setObjectName("share")
        self.share_label.setAccessibleName("Translation share")
        f = self.share_label.font()
        f.setPointSizeF(f.pointSizeF() * 3.2)
        f.setBold(True)
        self.share_label.setFont(f)
        # Wide enough for most ranges, so the text beside it stays put from week to week.
        self.share_label.setMinimumWidth(
            self.share_label.fontMetrics().horizontalAdvance("00–00%") + 8
        )
        self.share_caption = QLabel()
        self.share_caption.setObjectName("share-caption")
        cf = self.share_caption.font()
        cf.setBold(True)
        self.share_caption.setFont(cf)
        self.swatch = VerdictSwatch()
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setAccessibleName("Verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.settle_button = QPushButton()
        self.settle_button.setObjectName("settle")
        self.settle_button.setVisible(False)
        self.settle_button.clicked.connect(self._settle)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("facts")
        self.facts_label.setAccessibleName("The week's figures")
        self.facts_label.setWordWrap(True)
        self.compare_label = QLabel()
        self.compare_label.setObjectName("compare")
        self.compare_label.setAccessibleName("Compared with earlier weeks")
        self.compare_label.setWordWrap(True)
        self.compare_label.setVisible(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.swatch, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.verdict_label, 1)
        row.addWidget(self.settle_button, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 4)
        grid.setHorizontalSpacing(16)
        grid.addWidget(self.share_label, 0, 0, 4, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.share_caption, 0, 1)
        grid.addLayout(row, 1, 1)
        grid.addWidget(self.compare_label, 2, 1)
        grid.addWidget(self.facts_label, 3, 1)
        grid.setColumnStretch(1, 1)
        self.swatch.set_verdict(None)

    def show_loading(self, loading: bool) -> None:
        """No week to show: while the calendar loads, or with no data at all."""
        self.audit = None
        self.share_label.setText("–")
        self.share_label.setStyleSheet("")
        self.share_label.setAccessibleDescription("")
        self.share_caption.setText("Loading your calendar…" if loading else "")
        self.verdict_label.setText("")
        self.facts_label.setText("")
        self.compare_label.setText("")
        self.compare_label.setVisible(False)
        self.facts_label.setToolTip("")
        self.swatch.set_verdict(None)
        self.settle_button.setVisible(False)

    def show_week(
        self,
        w: WeekAudit,
        settings: Settings,
        to_come: int = 0,
        span: tuple[date, date] | None = None,
        next_week: WeekAudit | None = None,
    ) -> None:
        """Show ``w`` (its audit under ``settings``); ``to_come``: meetings not started yet;
        ``span``: the first and last weeks with calendar data; ``next_week``: the week
        after the week in progress, as scheduled so far (see :func:`compare_text`)."""
        self.audit, self._settings, self._to_come, self._span = w, settings, to_come, span
        self._next_week = next_week
        compared = compare_text(w, settings.threshold, next_week)
        self.compare_label.setText(compared)
        self.compare_label.setVisible(bool(compared))
        pal = self.palette()
        muted = hex_of(muted_text(pal))
        threshold = settings.threshold
        sentence = verdict_sentence(w, threshold)
        self.share_label.setText(share_text(w, threshold))
        self.share_caption.setText(caption_text(w, settings))
        self.verdict_label.setText(sentence)
        self.facts_label.setText(facts_text(w, to_come, span))
        explained = figures_help(settings) if w.has_data else ""
        self.facts_label.setToolTip(explained)
        self.facts_label.setWhatsThis(explained)
        self.facts_label.setAccessibleDescription(explained)
        self.facts_label.setStyleSheet(f"color: {muted};")
        settled = w.has_data and w.meeting_hours > 0
        if settled:
            colour = hex_of(verdict_text_colour(w.verdict, pal, minimum=3.0))
            self.share_label.setStyleSheet(f"color: {colour};")
            self.swatch.set_verdict(w.verdict)
            self.swatch.setToolTip(VERDICT_WORD[w.verdict])
        else:
            self.share_label.setStyleSheet(f"color: {muted};")
            self.swatch.set_verdict(None)
        self.verdict_label.setStyleSheet("")
        self.share_label.setAccessibleDescription(sentence)
        action = settle_action(w)
        self.settle_button.setVisible(action is not None)
        if action is not None:
            view, text = action
            self.settle_button.setText(text)
            self.settle_button.setToolTip(
                "Give these people a side in People: the rules then classify their meetings"
                if view == "people"
                else "Tag this week's unclassified series in Review"
            )

    def refresh_colours(self) -> None:
        """After a palette change (light/dark)."""
        if self.audit is not None:
            self.show_week(self.audit, self._settings, self._to_come, self._span, self._next_week)

    def _settle(self) -> None:
        w = self.audit
        action = settle_action(w) if w is not None else None
        if w is not None and action is not None:
            self.settleRequested.emit(action[0], tuple(w.unknown_people))
