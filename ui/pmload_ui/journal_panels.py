"""Panels of the unlocked Journal view: entry editor, peer council, Friday review.

Each panel only collects input and shows data; it asks the Journal view to
save through its signals, and the view calls the core.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pmload.journal import ISOLATION_KINDS, Entry, FridayReview, Peer, WeekFigures
from pmload.journal.insights import peer_reminders

KIND_HELP = {
    "translation": "No one else speaks both the technical and the business language.",
    "credibility": "Each side doubts you on the other side's subject.",
    "feedback": "No one around can judge your work.",
    "ethical": "You alone raise risk and fairness concerns.",
}


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


NOT_SET = "not set"


class _Score(QWidget):
    """A 0-10 slider that starts "not set": moving it sets a score, Clear unsets it.

    A score never touched is saved as not recorded (None), never as a 0.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 10)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setPageStep(1)
        self.slider.setAccessibleName(name)
        self.value_label = QLabel(NOT_SET, self)
        self.value_label.setMinimumWidth(
            self.value_label.fontMetrics().horizontalAdvance(f"{NOT_SET} ") + 4
        )
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip(f"Leave {name.lower()} not set")
        self._value: int | None = None
        self._loading = False
        # valueChanged for drags and keys; the others for a click or key that leaves the
        # value where it was (choosing 0 on a slider that rests at 0)
        self.slider.valueChanged.connect(self._moved)
        self.slider.actionTriggered.connect(lambda _action: self._moved(self.slider.value()))
        self.slider.sliderPressed.connect(lambda: self._moved(self.slider.value()))
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        row.addWidget(self.slider, 1)
        row.addWidget(self.value_label)
        row.addWidget(self.clear_button)
        self._show()

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        self._loading = True
        try:
            self.slider.setValue(0 if value is None else value)
        finally:
            self._loading = False
        self._value = value
        self._show()

    def _moved(self, value: int) -> None:
        if not self._loading:
            self._value = value
            self._show()

    def _show(self) -> None:
        self.value_label.setText(NOT_SET if self._value is None else str(self._value))
        self.value_label.setEnabled(self._value is not None)  # "not set" reads muted
        self.clear_button.setEnabled(self._value is not None)


def _optional_spin(parent: QWidget) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(-1, 10)
    spin.setSpecialValueText(NOT_SET)
    spin.setValue(-1)
    return spin


class EntryEditor(QWidget):
    """Edits one entry (new, or the one chosen in the history).

    Signals:
        saveRequested(object): an :class:`Entry` to add or replace.
        deleteRequested(str): the id of the entry to remove.
    """

    saveRequested = Signal(object)
    deleteRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editing: Entry | None = None
        form = QFormLayout(self)
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: 600")
        form.addRow(self.heading)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        form.addRow("Date:", self.day)
        self.burnout = _Score("Burnout", self)
        self.burnout.setToolTip("0 = not at all, 10 = completely burnt out")
        form.addRow("Burnout (0-10):", self.burnout)
        self.isolation = _Score("Isolation", self)
        self.isolation.setToolTip("0 = well connected, 10 = completely alone")
        form.addRow("Isolation (0-10):", self.isolation)
        kinds = QWidget(self)
        grid = QGridLayout(kinds)
        grid.setContentsMargins(0, 0, 0, 0)
        self.kinds: dict[str, QCheckBox] = {}
        for i, kind in enumerate(ISOLATION_KINDS):
            box = QCheckBox(kind.capitalize(), kinds)
            box.setToolTip(KIND_HELP[kind])
            grid.addWidget(box, i // 2, i % 2)
            self.kinds[kind] = box
        form.addRow("Isolation felt:", kinds)
        self.energy = _optional_spin(self)
        form.addRow("Energy (0-10):", self.energy)
        self.mood = _optional_spin(self)
        form.addRow("Mood (0-10):", self.mood)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("What happened, what weighed on you, what helped…")
        self.note.setMinimumHeight(90)
        form.addRow("Notes:", self.note)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New entry", self)
        self.delete_button = QPushButton("Delete entry", self)
        self.save_button = QPushButton("Save entry", self)
        self.save_button.setDefault(True)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.new_button.clicked.connect(lambda: self.edit(None))
        self.delete_button.clicked.connect(self._delete)
        self.save_button.clicked.connect(self._save)
        self.edit(None)

    def edit(self, entry: Entry | None) -> None:
        """Load ``entry`` into the form, or an empty form for today."""
        self._editing = entry
        self.heading.setText("New entry" if entry is None else f"Editing the entry of {entry.day}")
        self.day.setDate(_qdate(entry.day if entry else date.today()))
        self.burnout.set_value(entry.burnout if entry else None)
        self.isolation.set_value(entry.isolation if entry else None)
        for kind, box in self.kinds.items():
            box.setChecked(entry is not None and kind in entry.kinds)
        self.energy.setValue(-1 if entry is None or entry.energy is None else entry.energy)
        self.mood.setValue(-1 if entry is None or entry.mood is None else entry.mood)
        self.note.setPlainText(entry.note if entry else "")
        self.delete_button.setEnabled(entry is not None)

    def current(self) -> Entry:
        fields = {
            "day": _pydate(self.day.date()),
            "burnout": self.burnout.value(),
            "isolation": self.isolation.value(),
            "kinds": tuple(k for k, box in self.kinds.items() if box.isChecked()),
            "note": self.note.toPlainText(),
            "energy": None if self.energy.value() < 0 else self.energy.value(),
            "mood": None if self.mood.value() < 0 else self.mood.value(),
        }
        if self._editing is not None:
            return Entry(**fields, id=self._editing.id, written=self._editing.written)  # type: ignore[arg-type]
        return Entry(**fields)  # type: ignore[arg-type]

    def _save(self) -> None:
        self.saveRequested.emit(self.current())

    def _delete(self) -> None:
        if self._editing is not None:
            self.deleteRequested.emit(self._editing.id)


class PeersPanel(QWidget):
    """The peer council: names and when the user last talked with each.

    Signals:
        addRequested(str): a name to add.
        talkedRequested(str, object): a name and the date of a conversation.
        removeRequested(str): a name to remove.
    """

    addRequested = Signal(str)
    talkedRequested = Signal(str, object)
    removeRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        intro = QLabel(
            "A small council of about three peers who know the job — other PMs, a "
            "mentor, a friend across the gap — helps with every kind of isolation. "
            "Log when you last talked; the review reminds you after 30 days.",
            self,
        )
        intro.setWordWrap(True)
        col.addWidget(intro)
        self.list = QListWidget(self)
        col.addWidget(self.list, 1)
        add_row = QHBoxLayout()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Name of a peer")
        self.add_button = QPushButton("Add peer", self)
        add_row.addWidget(self.name, 1)
        add_row.addWidget(self.add_button)
        col.addLayout(add_row)
        talk_row = QHBoxLayout()
        self.talk_date = QDateEdit(self)
        self.talk_date.setCalendarPopup(True)
        self.talk_date.setDisplayFormat("yyyy-MM-dd")
        self.talk_date.setDate(_qdate(date.today()))
        self.talked_button = QPushButton("We talked on this day", self)
        self.remove_button = QPushButton("Remove", self)
        talk_row.addWidget(QLabel("Selected peer:", self))
        talk_row.addWidget(self.talk_date)
        talk_row.addWidget(self.talked_button)
        talk_row.addStretch(1)
        talk_row.addWidget(self.remove_button)
        col.addLayout(talk_row)
        self.reminders = QLabel(self)
        self.reminders.setWordWrap(True)
        col.addWidget(self.reminders)
        self.add_button.clicked.connect(self._add)
        self.name.returnPressed.connect(self._add)
        self.talked_button.clicked.connect(self._talked)
        self.remove_button.clicked.connect(self._remove)
        self.list.currentRowChanged.connect(self._selection)
        self._selection()

    def set_peers(self, peers: tuple[Peer, ...], today: date) -> None:
        selected = self.selected()
        self.list.clear()
        for p in peers:
            if p.last_talked is None:
                when = "no conversation logged yet"
            else:
                days = (today - p.last_talked).days
                when = f"last talked {p.last_talked} ({days} day{'s' if days != 1 else ''} ago)"
            item = QListWidgetItem(f"{p.name} — {when}")
            item.setData(Qt.ItemDataRole.UserRole, p.name)
            self.list.addItem(item)
            if p.name == selected:
                self.list.setCurrentItem(item)
        self.reminders.setText("\n".join(peer_reminders(peers, today)))
        self._selection()

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _selection(self) -> None:
        has = self.selected() is not None
        self.talked_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _add(self) -> None:
        if self.name.text().strip():
            self.addRequested.emit(self.name.text())
            self.name.clear()

    def _talked(self) -> None:
        name = self.selected()
        if name is not None:
            self.talkedRequested.emit(name, _pydate(self.talk_date.date()))

    def _remove(self) -> None:
        name = self.selected()
        if name is not None:
            self.removeRequested.emit(name)


class ReviewPanel(QWidget):
    """The Friday review: the week's figures beside a short prompt, saved together.

    Signals:
        saveRequested(object): a :class:`FridayReview`.
    """

    saveRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: 600")
        col.addWidget(self.heading)
        self.figures_label = QLabel(self)
        self.figures_label.setWordWrap(True)
        col.addWidget(self.figures_label)
        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("font-style: italic")
        col.addWidget(self.prompt)
        self.answer = QPlainTextEdit(self)
        self.answer.setPlaceholderText("A few lines are enough.")
        col.addWidget(self.answer, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_button = QPushButton("Save this week's review", self)
        row.addWidget(self.save_button)
        col.addLayout(row)
        self.reminders = QLabel(self)
        self.reminders.setWordWrap(True)
        col.addWidget(self.reminders)
        col.addWidget(QLabel("Earlier reviews:", self))
        self.history = QListWidget(self)
        col.addWidget(self.history, 1)
        self.save_button.clicked.connect(self._save)
        self._week = ""
        self._figures: WeekFigures | None = None
        self._prompt = ""

    def show_week(
        self,
        week: str,
        figures: WeekFigures | None,
        share: float | None,
        prompt: str,
        reviews: tuple[FridayReview, ...],
        reminders: list[str],
    ) -> None:
        self._week, self._figures, self._prompt = week, figures, prompt
        self.heading.setText(f"Friday review of {week}")
        if figures is not None:
            self.figures_label.setText(
                f"Translation share {figures.translation_share:.0%} · "
                f"{figures.meeting_hours:.1f} meeting hours · "
                f"{figures.streak} flagged week(s) in a row"
            )
        elif share is not None:
            self.figures_label.setText(f"Translation share {share:.0%} this week.")
        else:
            self.figures_label.setText("No calendar figures for this week yet.")
        self.prompt.setText(prompt)
        saved = next((r for r in reviews if r.week == week), None)
        self.answer.setPlainText(saved.answer if saved else "")
        self.reminders.setText("\n".join(reminders))
        self.history.clear()
        for r in reversed(reviews):
            figs = f"share {r.figures.translation_share:.0%}" if r.figures else "no figures"
            first = " ".join(r.answer.split())[:80]
            self.history.addItem(f"{r.week} · {figs} — {first}")

    def show_share(self, share: float | None) -> None:
        """The week's share, worked out in the background: shown when no figures are."""
        if self._figures is None and share is not None:
            self.figures_label.setText(f"Translation share {share:.0%} this week.")

    def _save(self) -> None:
        self.saveRequested.emit(
            FridayReview(
                day=date.today(),
                week=self._week,
                figures=self._figures,
                prompt=self._prompt,
                answer=self.answer.toPlainText(),
            )
        )
