"""The pages of the guided Friday review (:mod:`pmload_ui.friday_review`), one per step
(the journal's is in :mod:`pmload_ui.friday_journal`).

Each page shows what the core says about the review's week and offers the one
action of its step; it holds no figure of its own. A page's ``enter()`` is
called when the flow shows it, ``leave()`` when the flow moves on or closes;
``focus_widget()`` is where the keyboard starts (None: the Next button).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmload.period import Period, week_label
from pmload.rules.compare import comparison_text
from pmload.rules.verdict import share_pct, threshold_pct, verdict_pct
from pmload.vocab import Basis, Verdict
from pmload_ui import commands
from pmload_ui.background import failure_text
from pmload_ui.people_view import (
    COL_COUNT,
    COL_HOURS,
    COL_KEY,
    COL_NAME,
    COL_SIDE,
    COL_SUGGESTED,
    PeopleModel,
    SideDelegate,
)
from pmload_ui.review_view import ReviewModel
from pmload_ui.session import Session
from pmload_ui.tables import category_key, setup_rows_table


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def headline(text: str = "") -> QLabel:
    label = wrapped(text)
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 1.2)
    f.setBold(True)
    label.setFont(f)
    return label


class StepPage(QWidget):
    """The base of a step's page."""

    def __init__(self, session: Session, week: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.week = week

    def enter(self) -> None:
        """The flow shows this page."""

    def leave(self) -> None:
        """The flow moves on from this page, or closes."""

    def focus_widget(self) -> QWidget | None:
        return None


class RefreshPage(StepPage):
    """Step 1: every source read again (:meth:`Session.refresh_all`), started on entering.

    Signals:
        refreshed(str): the refresh ended; its sentence.
    """

    refreshed = Signal(str)

    def __init__(
        self,
        session: Session,
        week: date,
        imports: Callable[[], tuple[str, ...]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, week, parent)
        self._imports = imports
        self.running = False
        self.done = False
        self.status = headline()
        self.detail = wrapped(
            "pmload reads every calendar file you imported again (unchanged files are "
            "skipped) and syncs Google Calendar when it is connected."
        )
        self.again = QPushButton("&Refresh Again")
        self.again.clicked.connect(self.start)
        row = QHBoxLayout()
        row.addWidget(self.again)
        row.addStretch(1)
        col = QVBoxLayout(self)
        col.addWidget(self.status)
        col.addWidget(self.detail)
        col.addLayout(row)
        col.addStretch(1)

    def enter(self) -> None:
        if not self.done and not self.running:
            self.start()

    def start(self) -> None:
        if self.running or self.session.deleting:
            return
        self.running = True
        self.again.setEnabled(False)
        self.status.setText("Refreshing your calendars…")
        self.session.refresh_all(self._done, self._failed, self._imports())

    def _done(self, report: Any) -> None:
        self._finish(report.text())

    def _failed(self, exc: BaseException) -> None:
        self._finish(failure_text(exc))

    def _finish(self, text: str) -> None:
        if not shiboken6.isValid(self):
            return  # the review was closed (and deleted) while the refresh ran
        self.running = False
        self.done = True
        self.again.setEnabled(True)
        self.status.setText(text)
        self.refreshed.emit(text)


class _QueueTable(QTableView):
    """This week's review queue; 1, 2 or 3 tags the selected series."""

    def __init__(self, page: SettlePage) -> None:
        super().__init__(page)
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:
        category = category_key(event)
        if category is not None:
            self._page.tag_selected(str(category))
            return
        super().keyPressEvent(event)


class SettlePage(StepPage):
    """Step 2: the week's unclassified meetings and unknown people, settled in place.

    Signals:
        openView(str): "review" or "people", to settle them in the full view.
    """

    openView = Signal(str)

    def __init__(self, session: Session, week: date, parent: QWidget | None = None) -> None:
        super().__init__(session, week, parent)
        self.counts = headline()
        self.queue_model = ReviewModel(self)
        self.queue = _QueueTable(self)
        self.queue.setModel(self.queue_model)
        self.queue.setAccessibleName("This week's meetings without a category")
        fm = self.fontMetrics()
        setup_rows_table(self.queue, fm.height() + 8, editable=False)
        header = self.queue.horizontalHeader()
        header.setStretchLastSection(True)
        self.queue.setColumnWidth(0, fm.horizontalAdvance("M" * 15))
        for number in (1, 2):  # meetings, hours
            self.queue.setColumnWidth(number, fm.horizontalAdvance("Meetings") + 20)
        self.queue.setColumnWidth(3, fm.horizontalAdvance("priya.sharma +4") + 20)
        self.queue.hideColumn(4)  # the last meeting: this week's, by construction
        self.people_model = PeopleModel(self._set_sides, self)
        self.people = QTableView(self)
        self.people.setModel(self.people_model)
        self.people.setItemDelegateForColumn(COL_SIDE, SideDelegate(self.people))
        self.people.setAccessibleName("This week's people with no side")
        setup_rows_table(self.people, fm.height() + 8, editable=True)
        header = self.people.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_SUGGESTED, QHeaderView.ResizeMode.Stretch)
        self.people.setColumnWidth(COL_KEY, fm.horizontalAdvance("priya.sharma@eng.northwind.test"))
        self.people.setColumnWidth(COL_SIDE, fm.horizontalAdvance("coordination") + 28)
        self.people.setColumnWidth(COL_COUNT, fm.horizontalAdvance("Meetings") + 20)
        for hidden in (COL_NAME, COL_HOURS):
            self.people.hideColumn(hidden)
        self.accept = QPushButton("&Accept Suggested Sides")
        self.accept.clicked.connect(self.accept_suggestions)
        self.to_review = QPushButton("Open Re&view")
        self.to_review.clicked.connect(lambda: self.openView.emit("review"))
        self.to_people = QPushButton("Open &People")
        self.to_people.clicked.connect(lambda: self.openView.emit("people"))
        self.queue_note = wrapped(
            "Select a series and press 1 (translation), 2 (coordination) or 3 (strategy)."
        )
        row = QHBoxLayout()
        row.addWidget(self.accept)
        row.addStretch(1)
        row.addWidget(self.to_review)
        row.addWidget(self.to_people)
        col = QVBoxLayout(self)
        col.addWidget(self.counts)
        col.addWidget(self.queue_note)
        col.addWidget(self.queue, 1)
        col.addWidget(QLabel("People with no side:"))
        col.addWidget(self.people, 1)
        col.addLayout(row)
        session.reclassified.connect(self.reload)
        session.loaded.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        analysis = self.session.analysis
        period = Period.of_weeks(self.week, 1)
        groups = analysis.review_queue(period) if analysis is not None else []
        people = [p for p in analysis.people(period, True) if p.side is None] if analysis else []
        self.queue_model.set_rows(groups, self.session.zone_or_utc())
        self.people_model.set_rows(people)
        meetings = sum(g.count for g in groups)
        hours = sum(g.hours for g in groups)
        m = f"{meetings} meeting{'s' if meetings != 1 else ''}"
        p = f"{len(people)} {'person' if len(people) == 1 else 'people'}"
        if not groups and not people:
            self.counts.setText(f"{week_label(self.week)}: every meeting has a category.")
        else:
            self.counts.setText(
                f"{week_label(self.week)}: {m} wait for a category ({hours:.1f} h) · "
                f"{p} with no side"
            )
        self.accept.setEnabled(any(r.suggested for r in people))
        self.queue.setVisible(bool(groups))
        self.queue_note.setVisible(bool(groups))
        if groups:  # the model's reset cleared the selection: the first row, ready for a key
            self.queue.selectRow(0)

    def enter(self) -> None:
        self.reload()

    def tag_selected(self, category: str) -> bool:
        rows = sorted({i.row() for i in self.queue.selectionModel().selectedRows()})
        groups = [self.queue_model.group(r) for r in rows]
        if not groups:
            return False
        return commands.tag(
            self.session, [g.occurrence_ids[0] for g in groups], category, series=True
        )

    def _set_sides(self, keys: list[str], side: str) -> None:
        commands.set_sides(self.session, dict.fromkeys(keys, side))

    def accept_suggestions(self) -> bool:
        sides = {
            self.people_model.person(r).key: self.people_model.person(r).suggested
            for r in range(self.people_model.rowCount())
            if self.people_model.person(r).suggested
        }
        wanted = {k: str(v) for k, v in sides.items() if v}
        if not wanted:
            return False
        n = len(wanted)
        who = "1 person" if n == 1 else f"{n} people"
        return commands.set_sides(self.session, wanted, f"accept the suggested sides of {who}")

    def focus_widget(self) -> QWidget | None:
        return None


class ComparePage(StepPage):
    """Step 4: this week against last week and the 4-week average (the core's figures)."""

    def __init__(self, session: Session, week: date, parent: QWidget | None = None) -> None:
        super().__init__(session, week, parent)
        self.headline = headline()
        self.grid = QGridLayout()
        self.cells: dict[str, QLabel] = {}
        for row, (key, text) in enumerate(
            (("this", "This week"), ("prev", "Last week"), ("mean", "Your 4-week average"))
        ):
            name = QLabel(text)
            value = QLabel()
            value.setObjectName(f"compare-{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(value, row, 1)
            self.cells[key] = value
            self.cells[f"{key}-name"] = name
        self.grid.setColumnStretch(2, 1)
        self.note = wrapped()
        col = QVBoxLayout(self)
        col.addWidget(self.headline)
        col.addLayout(self.grid)
        col.addWidget(self.note)
        col.addStretch(1)
        session.reclassified.connect(self.enter)
        session.loaded.connect(self.enter)

    def enter(self) -> None:
        result = self.session.week_result(self.week)
        threshold = self.session.settings.threshold
        if result is None or not result.weeks:
            self.headline.setText("No calendar data yet.")
            return
        w = result.weeks[0]
        threshold = result.threshold
        so_far = " so far" if w.in_progress else (" as scheduled" if w.scheduled else "")
        self.headline.setText(f"{week_label(w.start)}{so_far}: {comparison_text(w, threshold)}")
        self.cells["this-name"].setText(f"This week{so_far}")
        self.cells["this"].setText(
            verdict_pct(w.share_low, w.share_high, w.verdict, threshold) if w.has_data else "—"
        )
        b = w.baseline
        if b is not None:
            self.cells["prev-name"].setText(f"Last complete week ({week_label(b.prev_week)})")
            self.cells["prev"].setText(
                share_pct(b.prev_share, threshold) if b.prev_share is not None else "no data"
            )
            n = b.weeks_4w
            self.cells["mean-name"].setText(
                "Your 4-week average" + (f" ({n} with data)" if 0 < n < 4 else "")
            )
            self.cells["mean"].setText(
                share_pct(b.mean_4w, threshold) if b.mean_4w is not None else "no data"
            )
        base = "meeting time" if result.basis is Basis.MEETINGS else "working hours"
        notes = [f"The line is {threshold_pct(threshold)} of your {base}."]
        if w.verdict is Verdict.UNSURE:
            notes.append(
                f"{w.unclassified_hours:.1f} h without a category could still be translation: "
                "settle them in the step before to know."
            )
        self.note.setText(" ".join(notes))


class ExportPage(StepPage):
    """Step 5: the one-page brief, in the Export dialog."""

    def __init__(
        self,
        session: Session,
        week: date,
        export: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, week, parent)
        self.headline = headline("Take it to your one-on-one")
        self.detail = wrapped(
            "The one-page brief puts your translation share, the weeks over the line and the "
            "meetings behind them on one page, to argue for a structural fix."
        )
        self.export_button = QPushButton("&Export the Brief…")
        self.export_button.clicked.connect(export)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        col = QVBoxLayout(self)
        col.addWidget(self.headline)
        col.addWidget(self.detail)
        col.addLayout(row)
        col.addStretch(1)

    def focus_widget(self) -> QWidget | None:
        return self.export_button
