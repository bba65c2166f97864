"""The Friday review, guided: one flow through the week in five steps.

1. refresh every source (:meth:`pmload_ui.session.Session.refresh_all`);
2. this week's unclassified meetings and people with no side, with the counts,
   settled in place (keys 1/2/3, sides, suggested sides) or in Review/People;
3. a one-minute journal check-in, when a journal exists (unlocked off the GUI
   thread, locked again after);
4. this week against last week and the 4-week average
   (:mod:`pmload.rules.compare`'s numbers);
5. the one-page brief, in the Export dialog.

Every step can be skipped (Alt+S) and the flow works with the keyboard alone:
Enter (or Alt+N) goes on, Alt+B goes back, Esc closes. Where it stopped is kept
per week in the app's QSettings (``fridayReview/week`` and ``fridayReview/step``:
the week's label and the step's name, ``done`` once finished), so opening it
again the same week starts there; another week starts at the first step.

It is opened from the toolbar (Friday Review, Ctrl+Shift+F) and from the weekly
reminder (:mod:`pmload_ui.tray`), through :func:`open_friday_review`.

Signals of :class:`FridayReviewDialog`:
    stepChanged(str): the name of the step now shown.
    reviewDone(): the last step was passed (the review is done for the week).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pmload.period import monday_of, week_label
from pmload_ui.friday_journal import JournalPage
from pmload_ui.friday_steps import (
    ComparePage,
    ExportPage,
    RefreshPage,
    SettlePage,
    StepPage,
)
from pmload_ui.session import Session

STEPS = ("refresh", "settle", "journal", "compare", "export")
STEP_TITLES = {
    "refresh": "Refresh your calendars",
    "settle": "Settle this week",
    "journal": "One-minute check-in",
    "compare": "This week against the last",
    "export": "Export the brief",
}
DONE = "done"
WEEK_KEY = "fridayReview/week"
STEP_KEY = "fridayReview/step"


def saved_step(qsettings: QSettings, week: str) -> str | None:
    """Where the review of ``week`` stopped (a step name or ``done``), else None."""
    if str(qsettings.value(WEEK_KEY, "")) != week:
        return None
    step = str(qsettings.value(STEP_KEY, ""))
    return step if step in (*STEPS, DONE) else None


def save_step(qsettings: QSettings, week: str, step: str) -> None:
    qsettings.setValue(WEEK_KEY, week)
    qsettings.setValue(STEP_KEY, step)
    qsettings.sync()


class FridayReviewDialog(QDialog):
    """The five steps in a stack, with Back, Skip and Next (see the module)."""

    stepChanged = Signal(str)
    reviewDone = Signal()

    def __init__(
        self,
        session: Session,
        qsettings: QSettings,
        *,
        export: Callable[[], QDialog | None],
        open_view: Callable[[str], None],
        google_imports: Callable[[], tuple[str, ...]] = tuple,
        week: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("friday-review")
        self.setWindowTitle("Friday Review")
        self.session = session
        self.qsettings = qsettings
        self.week = monday_of(week or session.today())
        self.label = week_label(self.week)
        self._open_view = open_view
        self.index = -1  # the step shown (none yet)
        self.skipped: set[str] = set()
        self.refresh = RefreshPage(session, self.week, google_imports)
        self.settle = SettlePage(session, self.week)
        self.journal = JournalPage(session, self.week)
        self.compare = ComparePage(session, self.week)
        self._export = export
        self.export_page = ExportPage(session, self.week, self.export_brief)
        self.pages: dict[str, StepPage] = {
            "refresh": self.refresh,
            "settle": self.settle,
            "journal": self.journal,
            "compare": self.compare,
            "export": self.export_page,
        }
        self.settle.openView.connect(self._jump)

        self.steps = QListWidget()
        self.steps.setObjectName("friday-steps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        longest = max(STEP_TITLES.values(), key=self.fontMetrics().horizontalAdvance)
        self.steps.setFixedWidth(self.fontMetrics().horizontalAdvance(f"▶  5. {longest}") + 24)
        self.stack = QStackedWidget()
        for name in STEPS:
            self.stack.addWidget(self.pages[name])
        self.title = QLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.title.setFont(f)
        self.back_button = QPushButton("< &Back")
        self.skip_button = QPushButton("&Skip")
        self.next_button = QPushButton("&Next >")
        self.close_button = QPushButton("Close")
        for b in (self.back_button, self.skip_button, self.close_button):
            b.setAutoDefault(False)
        self.next_button.setDefault(True)
        self.back_button.clicked.connect(lambda: self.go(self.index - 1))
        self.skip_button.clicked.connect(self.skip)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.reject)
        self.journal.checkedIn.connect(self.next_button.setFocus)  # then Enter goes on

        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.stack, 1)
        right.addLayout(buttons)
        body = QHBoxLayout(self)
        body.addWidget(self.steps)
        body.addLayout(right, 1)
        self.resize(1000, 600)

        start = saved_step(qsettings, self.label)
        self.go(STEPS.index(start) if start in STEPS else 0)

    # --- moving through the steps -------------------------------------------------------

    @property
    def step(self) -> str:
        return STEPS[self.index]

    def go(self, index: int) -> None:
        index = max(0, min(index, len(STEPS) - 1))
        if index == self.index:
            return
        if self.index >= 0:
            self.pages[self.step].leave()
        self.index = index
        page = self.pages[self.step]
        self.stack.setCurrentWidget(page)
        self.title.setText(f"{STEP_TITLES[self.step]} · {self.label}")
        last = index == len(STEPS) - 1
        self.next_button.setText("&Finish" if last else "&Next >")
        self.back_button.setEnabled(index > 0)
        self.skip_button.setEnabled(not last)
        self._list_steps()
        save_step(self.qsettings, self.label, self.step)
        page.enter()
        (page.focus_widget() or self.next_button).setFocus()
        self.stepChanged.emit(self.step)

    def _list_steps(self) -> None:
        self.steps.clear()
        for i, name in enumerate(STEPS):
            mark = (
                "▶"
                if i == self.index
                else ("–" if name in self.skipped else ("✓" if i < self.index else " "))
            )
            self.steps.addItem(f"{mark}  {i + 1}. {STEP_TITLES[name]}")

    def next(self) -> None:
        self.skipped.discard(self.step)
        if self.index == len(STEPS) - 1:
            self.finish()
        else:
            self.go(self.index + 1)

    def skip(self) -> None:
        if self.index < len(STEPS) - 1:
            self.skipped.add(self.step)
            self.go(self.index + 1)

    def finish(self) -> None:
        self.pages[self.step].leave()
        save_step(self.qsettings, self.label, DONE)
        self.session.message.emit(f"Friday review of {self.label} done.")
        self.reviewDone.emit()
        self.accept()

    def export_brief(self) -> QDialog | None:
        """The Export dialog on the brief; when it closes, the keyboard is back on Finish."""
        dialog = self._export()
        if dialog is not None:
            dialog.finished.connect(self._back_from_export)
        return dialog

    def _back_from_export(self, _result: int = 0) -> None:
        if shiboken6.isValid(self) and self.isVisible():
            self.activateWindow()
            self.next_button.setFocus()

    def _jump(self, view: str) -> None:
        """Settle in the full view: the flow closes here and starts here next time."""
        self.reject()
        self._open_view(view)

    def done(self, result: int) -> None:
        """Every way of closing (Esc, Close, Finish): the page is left, the journal locked."""
        if self.index >= 0:
            self.pages[self.step].leave()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.pages[self.step].leave()
        super().closeEvent(event)


class _Window(Protocol):
    session: Session
    qsettings: QSettings

    def export(self) -> Any: ...
    def show_view(self, name: str, remember: bool = True) -> None: ...


def open_friday_review(window: _Window, parent: QWidget) -> FridayReviewDialog:
    """Open the Friday review over ``window`` (the main window): one at a time."""
    existing = getattr(window, "friday_review", None)
    if (
        isinstance(existing, FridayReviewDialog)
        and shiboken6.isValid(existing)
        and existing.isVisible()
    ):
        existing.raise_()
        existing.activateWindow()
        return existing

    def export() -> QDialog | None:
        dialog = window.export()
        kind = getattr(dialog, "kind", None)
        if kind is not None:
            kind.setCurrentIndex(max(0, kind.findData("brief")))
        return dialog if isinstance(dialog, QDialog) else None

    def google_imports() -> tuple[str, ...]:
        from pmload.google.tokens import seems_connected

        if not seems_connected(window.session.ctx.conn):
            return ()
        from pmload_ui.google_sync import GOOGLE_MODULES, preload_google

        preload_google()
        return GOOGLE_MODULES

    dialog = FridayReviewDialog(
        window.session,
        window.qsettings,
        export=export,
        open_view=window.show_view,
        google_imports=google_imports,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
