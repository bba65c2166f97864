"""What-if in the app: try "someone else bridged this" or "this didn't happen" in place.

:class:`WhatIfPlan` holds the changes being tried (a stack of
:class:`pmload.rules.whatif.SeriesChange`) and the proposals added to the brief;
one plan per session (:func:`plan_for`), shared by the Week and Review views and
read by the Export dialog. :class:`WhatIfPanel` shows the plan's before/after
figures over the brief's period (the last 6 complete weeks, as the brief counts
them) with each change removable, "Add to brief as a proposal" and "Clear". The
numbers are :func:`pmload.rules.whatif.what_if`'s, computed in a
:class:`~pmload_ui.background.BackgroundOp` (about 0.1 s on three years of a
large calendar) and printed with the core's helpers.

Signals of :class:`WhatIfPlan`:
    changed(): the stack of changes changed.
    proposalsChanged(): a proposal was added or the proposals were cleared.
Signals of :class:`WhatIfPanel`:
    resultReady(): new figures are shown (tests wait on it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pmload.period import Period, parse_period
from pmload.rules.verdict import verdict_pct
from pmload.rules.whatif import SeriesChange
from pmload.vocab import WhatIfChange
from pmload_ui.background import BackgroundOp, Job, failure_text
from pmload_ui.style import hex_of, muted_text

if TYPE_CHECKING:
    from pmload.rules.whatif import Figures, WhatIf
    from pmload_ui.session import Session

ACTIONS = {
    WhatIfChange.SHARED: "What if someone else bridged this?",
    WhatIfChange.WITHOUT: "What if this didn't happen?",
}
BRIEF_WEEKS = 6  # pmload.export.render.BRIEF_DEFAULT_WEEKS (not imported: it loads matplotlib)
CHANGE_WORDS = {
    WhatIfChange.SHARED: "shared with a second bridge",
    WhatIfChange.WITHOUT: "not held",
}


class WhatIfPlan(QObject):
    """The changes being tried and the proposals for the brief (see the module)."""

    changed = Signal()
    proposalsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("what-if-plan")
        self.changes: list[SeriesChange] = []
        self.titles: dict[str, str] = {}
        self.proposals: list[tuple[SeriesChange, ...]] = []

    def add(self, uid: str, what: WhatIfChange, title: str = "") -> None:
        """Try one more change; the same series again replaces its earlier change."""
        self.changes = [c for c in self.changes if c.uid != uid]
        self.changes.append(SeriesChange(uid, what))
        if title:
            self.titles[uid] = title
        self.changed.emit()

    def add_all(self, series: Sequence[tuple[str, str]], what: WhatIfChange) -> None:
        """Try ``what`` for each of ``series`` ((uid, title) pairs), as one step."""
        ids = {uid for uid, _ in series}
        self.changes = [c for c in self.changes if c.uid not in ids]
        for uid, title in series:
            self.changes.append(SeriesChange(uid, what))
            if title:
                self.titles[uid] = title
        self.changed.emit()

    def remove(self, uid: str) -> None:
        self.changes = [c for c in self.changes if c.uid != uid]
        self.changed.emit()

    def clear(self) -> None:
        self.changes = []
        self.changed.emit()

    def propose(self) -> bool:
        """Keep the current stack as a proposal for the brief's asks (once)."""
        stack = tuple(self.changes)
        if not stack or stack in self.proposals:
            return False
        self.proposals.append(stack)
        self.proposalsChanged.emit()
        return True

    def clear_proposals(self) -> None:
        self.proposals = []
        self.proposalsChanged.emit()


def plan_for(session: QObject) -> WhatIfPlan:
    """The session's plan (a child object, created on first use)."""
    plan = session.findChild(WhatIfPlan, "what-if-plan")
    if plan is None:
        plan = WhatIfPlan(session)
    return plan


def _share(f: Figures, threshold: float) -> str:
    if f.verdict is None:
        return "no data"
    return verdict_pct(f.share, f.share_high, f.verdict, threshold)


def result_text(result: WhatIf) -> str:
    """'Share 46% → 38% · weeks over 4 → 2 of 6', with the week in progress left out."""
    from pmload.rules.whatif import figures

    thr = result.before.threshold
    before, after = figures(result.before), figures(result.after)
    n = before.complete_weeks
    text = (
        f"Share {_share(before, thr)} → {_share(after, thr)} · weeks over "
        f"{before.weeks_over} → {after.weeks_over} of {n}"
    )
    if before.weeks_unsure or after.weeks_unsure:
        text += (
            f" · unsure weeks {before.weeks_unsure} → {after.weeks_unsure} "
            "(unclassified hours could still be translation)"
        )
    return text


class WhatIfPanel(QFrame):
    """The plan's before and after, in place above a table (hidden while the plan is empty)."""

    resultReady = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("what-if-panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.session = session
        self.plan = plan_for(session)
        self.result: WhatIf | None = None
        self._generation = 0
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.figures = QLabel()
        self.figures.setObjectName("what-if-figures")
        self.figures.setWordWrap(True)
        self.figures.setAccessibleName("What-if figures")
        self.changes_box = QVBoxLayout()
        self.changes_box.setContentsMargins(0, 0, 0, 0)
        self.changes_box.setSpacing(0)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.propose_button = QPushButton("Add to brief as a proposal")
        self.propose_button.setToolTip(
            "The brief's My asks will say what these changes would do to your share"
        )
        self.clear_button = QPushButton("Clear")
        self.propose_button.clicked.connect(self._propose)
        self.clear_button.clicked.connect(self.plan.clear)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.figures, 1)
        buttons.addWidget(self.propose_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addLayout(self.changes_box)
        layout.addWidget(self.note)
        self.plan.changed.connect(self.recompute)
        self.plan.proposalsChanged.connect(self._proposals_changed)
        session.loaded.connect(self._reloaded)
        session.reclassified.connect(self.recompute)
        session.dataDeleted.connect(self._data_deleted)
        self.recompute()

    def _data_deleted(self) -> None:
        self.plan.clear()
        self.plan.clear_proposals()

    def _reloaded(self) -> None:
        """After a (re-)import: changes to series no longer on the calendar are dropped."""
        analysis = self.session.analysis
        gone = [c.uid for c in self.plan.changes if analysis is None or not analysis.series(c.uid)]
        if gone:
            self.plan.changes = [c for c in self.plan.changes if c.uid not in gone]
            self.session.message.emit(
                "What-if: a series you were trying is no longer on your calendar."
            )
        self.recompute()

    def period(self) -> Period:
        """The brief's period: the last 6 complete weeks."""
        return parse_period(weeks=BRIEF_WEEKS, today=self.session.today())

    def recompute(self) -> None:
        """Show the plan; compute its figures off the GUI thread."""
        self._generation += 1
        generation = self._generation
        changes = list(self.plan.changes)
        analysis = self.session.analysis
        self.setVisible(bool(changes) and analysis is not None)
        self._show_changes(changes)
        if not changes or analysis is None:
            self.result = None
            return
        period, today = self.period(), self.session.today()
        self.title.setText(f"What if, {period.label()} (the brief's complete weeks)")
        self.figures.setText("Working it out…")
        self.propose_button.setEnabled(False)

        def work(_job: Job) -> WhatIf:
            from pmload.rules.whatif import what_if

            return what_if(analysis, period, changes, today=today)

        op = BackgroundOp(work, self, imports=("pmload.rules.whatif",))
        op.success(lambda r: self._show(generation, r)).failure(
            lambda exc: self._failed(generation, exc)
        )
        op.run_in_background()

    def _show_changes(self, changes: Sequence[SeriesChange]) -> None:
        while self.changes_box.count():
            item = self.changes_box.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        for c in changes:
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            title = self.plan.titles.get(c.uid) or c.uid
            label = QLabel(f"• '{title}' {CHANGE_WORDS[c.what]}")
            label.setObjectName("what-if-change")
            remove = QToolButton()
            remove.setText("Remove")
            remove.setAccessibleName(f"Remove the change to {title}")
            remove.clicked.connect(lambda _c=False, uid=c.uid: self.plan.remove(uid))
            h.addWidget(label, 1)
            h.addWidget(remove)
            self.changes_box.addWidget(row)

    def _show(self, generation: int, result: WhatIf) -> None:
        if generation != self._generation:
            return  # the plan changed meanwhile; a newer result is on its way
        self.result = result
        self.figures.setText(result_text(result))
        notes = [f"'{e.title}': {e.note}" for e in result.effects if e.note]
        if result.in_progress_week is not None:
            notes.append(f"The week in progress ({result.in_progress_week}) is left out of both.")
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))
        self.note.setStyleSheet(f"color: {hex_of(muted_text(self.palette()))};")
        self._proposals_changed()
        self.resultReady.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        from pmload.rules.whatif import UnknownSeries

        self.result = None
        self.note.setText("")
        if isinstance(exc, UnknownSeries):  # the core's sentence names CLI commands
            self.figures.setText(
                "A series in this list is no longer on your calendar: remove it to see the rest."
            )
        else:
            self.figures.setText(failure_text(exc))

    def _propose(self) -> None:
        if self.plan.propose():
            self.session.message.emit("Added to the brief's asks as a proposal.")

    def _proposals_changed(self) -> None:
        stack = tuple(self.plan.changes)
        proposed = stack in self.plan.proposals
        self.propose_button.setEnabled(self.result is not None and not proposed)
        self.propose_button.setText(
            "In the brief's asks" if proposed else "Add to brief as a proposal"
        )


def add_actions(menu: Any, session: QObject, uids: Sequence[tuple[str, str]]) -> None:
    """The two what-if actions for the series ``uids`` ((uid, title) pairs) on ``menu``."""
    plan = plan_for(session)
    for what, text in ACTIONS.items():
        action = menu.addAction(text)
        action.triggered.connect(lambda _c=False, w=what: plan.add_all(uids, w))
