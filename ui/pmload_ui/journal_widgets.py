"""Pieces of the Journal view: the history model, the check-in model and the private chart.

The models are read-only ``RowsTableModel``s over the core's immutable
records; the view replaces their rows after every save. The chart is a
matplotlib ``Figure`` built without pyplot and shown on a ``FigureCanvasQTAgg``;
matplotlib is imported only when the chart is first drawn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pmload.journal import CheckIn, Entry
from pmload.journal.insights import WeekWellbeing, describe_links, week_monday
from pmload.journal.instruments import score
from pmload.rules.verdict import threshold_pct
from pmload_ui.charts import ChartView
from pmload_ui.rows_model import Index, RowsTableModel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BURNOUT_HEX = "#CC79A7"  # Okabe-Ito reddish purple
ISOLATION_HEX = "#0072B2"  # Okabe-Ito blue
SHARE_HEX = "#D55E00"  # the app's translation colour


def _optional(value: int | None) -> str:
    return "" if value is None else str(value)


class EntriesModel(RowsTableModel[Entry]):
    """Journal entries, newest first: date, burnout, isolation, energy, mood, kinds, note."""

    COLUMNS = ("Date", "Burnout", "Isolation", "Energy", "Mood", "Kinds", "Note")

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.set_rows(sorted(entries, key=lambda e: (e.day, e.written), reverse=True))

    def entry(self, row: int) -> Entry:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        e = self.row_of_index(index)
        if e is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                e.day.isoformat(),
                _optional(e.burnout),
                _optional(e.isolation),
                _optional(e.energy),
                _optional(e.mood),
                ", ".join(e.kinds),
                " ".join(e.note.split()),
            )
            return values[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 6 and e.note:
            return e.note
        if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= col <= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CheckInsModel(RowsTableModel[CheckIn]):
    """Check-ins, newest first: date, instrument, score."""

    COLUMNS = ("Date", "Check-in", "Score")

    def set_checkins(self, checkins: Sequence[CheckIn]) -> None:
        self.set_rows(sorted(checkins, key=lambda c: c.day, reverse=True))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.row_of_index(index)
        if c is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            name = "CBI work burnout" if c.instrument == "cbi" else "UCLA loneliness"
            return (c.day.isoformat(), name, score(c.instrument, c.answers).display())[
                index.column()
            ]
        if role == Qt.ItemDataRole.ToolTipRole:
            return score(c.instrument, c.answers).explanation
        return None


def build_chart(
    weeks: Sequence[WeekWellbeing],
    shares: Mapping[str, float],
    threshold: float,
    width: float,
    height: float,
) -> Figure:
    """Weekly burnout and isolation (0-10) over the weekly translation share (bars, %).

    The dashed line is the user's threshold from the settings.
    """
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    share_ax = ax.twinx()
    ax.set_zorder(share_ax.get_zorder() + 1)
    ax.patch.set_visible(False)
    labels = sorted({w.week for w in weeks} | set(shares))
    if labels:
        share_x: Any = [week_monday(w) for w in labels if w in shares]
        share_ax.bar(
            share_x,
            [shares[w] for w in labels if w in shares],
            width=5,
            color=SHARE_HEX,
            alpha=0.28,
            label="Translation share",
        )
        xs: Any = [week_monday(w.week) for w in weeks]
        # a week without a score is a gap in its line, not a 0
        burnout = [math.nan if w.burnout is None else w.burnout for w in weeks]
        isolation = [math.nan if w.isolation is None else w.isolation for w in weeks]
        ax.plot(xs, burnout, "o-", color=BURNOUT_HEX, lw=2, ms=4, label="Burnout")
        ax.plot(xs, isolation, "s-", color=ISOLATION_HEX, lw=2, ms=4, label="Isolation")
    share_ax.axhline(threshold, color=SHARE_HEX, lw=1, ls="--", alpha=0.7)
    share_ax.set_ylim(0, 1)
    share_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    share_ax.set_ylabel("Translation share of meeting time", color=SHARE_HEX)
    ax.set_ylim(0, 10.5)
    ax.set_ylabel("Weekly mean (0-10)")
    ax.xaxis.set_major_formatter(DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    ax.grid(axis="y", alpha=0.25)
    for side in ("top",):
        ax.spines[side].set_visible(False)
        share_ax.spines[side].set_visible(False)
    handles = ax.get_legend_handles_labels()
    more = share_ax.get_legend_handles_labels()
    if handles[0] or more[0]:
        ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize=8,
                  ncols=3, frameon=False)  # fmt: skip
    else:
        ax.text(0.5, 0.5, "No journal entries yet", ha="center", va="center",
                transform=ax.transAxes)  # fmt: skip
    fig.autofmt_xdate(rotation=0, ha="center")
    return fig


class JournalChart(QWidget):
    """The private chart and the correlation sentence; drawn on :meth:`update_chart`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        # The same embedder as the Week and Trends charts: drawn on demand, in the
        # window's palette (light or dark).
        self.view = ChartView(self, min_height=240, name="Journal chart")
        self._layout.addWidget(self.view, 1)
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.sentence)
        self._drawn = False

    def update_chart(
        self, weeks: Sequence[WeekWellbeing], shares: Mapping[str, float], threshold: float
    ) -> None:
        weeks, shares = tuple(weeks), dict(shares)
        self.view.set_builder(lambda w, h: build_chart(weeks, shares, threshold, w, h))
        self._drawn = True
        self.view.setAccessibleDescription(
            "Your weekly burnout and isolation (0-10) as lines over your weekly "
            f"translation share as bars, with a dashed line at {threshold_pct(threshold)}."
        )
        if shares:
            self.sentence.setText(describe_links(weeks, shares))
        else:
            self.sentence.setText(
                "Import a calendar to see your journal beside the weekly translation share."
            )

    @property
    def drawn(self) -> bool:
        return self._drawn
