"""The weekly review reminder: when it is due, and the Settings group that sets it.

It is the app's own preference, kept in QSettings (pmload-gui.ini) beside the
window state rather than in rules.toml, which the CLI and other tools share:

    reminder/enabled   bool, false by default
    reminder/day       0 (Monday) to 6 (Sunday); Friday when first turned on
    reminder/time      "HH:MM" on this computer's clock; 16:00 when first turned on

The reminder fires while the app runs (in the tray when the desktop has one):
each check compares the clock with the next due time, so a laptop that slept
through it is reminded when it wakes, unless that is more than LATE_LIMIT late.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from PySide6.QtCore import QObject, QSettings, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTimeEdit,
    QWidget,
)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_DAY = 4
DEFAULT_TIME = time(16, 0)
LATE_LIMIT = timedelta(hours=12)
CHECK_MS = 30_000


@dataclass(frozen=True, slots=True)
class Plan:
    """When to remind: on ``day`` (Monday = 0) at ``at``, if ``enabled``."""

    enabled: bool = False
    day: int = DEFAULT_DAY
    at: time = DEFAULT_TIME

    def describe(self) -> str:
        return f"{DAY_NAMES[self.day]} at {self.at:%H:%M}"


def load_plan(qsettings: QSettings) -> Plan:
    """The saved plan; anything unreadable falls back to the default."""
    enabled = qsettings.value("reminder/enabled", False, type=bool)
    try:
        day = int(str(qsettings.value("reminder/day", DEFAULT_DAY)))
        hh, mm = str(qsettings.value("reminder/time", "16:00")).split(":")
        at = time(int(hh), int(mm))
    except ValueError:
        day, at = DEFAULT_DAY, DEFAULT_TIME
    if not 0 <= day <= 6:
        day = DEFAULT_DAY
    return Plan(bool(enabled), day, at)


def save_plan(qsettings: QSettings, plan: Plan) -> None:
    qsettings.setValue("reminder/enabled", plan.enabled)
    qsettings.setValue("reminder/day", plan.day)
    qsettings.setValue("reminder/time", f"{plan.at:%H:%M}")
    qsettings.sync()


def next_due(after: datetime, day: int, at: time) -> datetime:
    """The first moment strictly after ``after`` that is weekday ``day`` at ``at``."""
    candidate = datetime.combine(after.date(), at) + timedelta(days=(day - after.weekday()) % 7)
    if candidate <= after:
        candidate += timedelta(days=7)
    return candidate


class Reminder(QObject):
    """Emits ``due`` at the planned weekday and time while the app runs.

    Signals:
        due(): it is time for the weekly review.
        planChanged(object): the new Plan, after set_plan.
    """

    due = Signal()
    planChanged = Signal(object)

    def __init__(
        self,
        qsettings: QSettings,
        clock: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.qsettings = qsettings
        self.clock = clock
        self.plan = load_plan(qsettings)
        self.next_time: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._arm()

    def set_plan(self, plan: Plan) -> None:
        if plan == self.plan:
            return
        self.plan = plan
        save_plan(self.qsettings, plan)
        self._arm()
        self.planChanged.emit(plan)

    def _arm(self) -> None:
        if self.plan.enabled:
            self.next_time = next_due(self.clock(), self.plan.day, self.plan.at)
            self._timer.start()
        else:
            self.next_time = None
            self._timer.stop()

    def check(self) -> None:
        """Fire when the due time has passed (at most LATE_LIMIT ago), then plan the next."""
        if self.next_time is None:
            return
        now = self.clock()
        if now < self.next_time:
            return
        late = now - self.next_time
        self.next_time = next_due(now, self.plan.day, self.plan.at)
        if late <= LATE_LIMIT:
            self.due.emit()


class ReminderSettings(QGroupBox):
    """The Settings group for the reminder; a change is saved at once."""

    def __init__(self, reminder: Reminder, tray_available: bool, parent: QWidget | None = None):
        super().__init__("Weekly review reminder", parent)
        self.setObjectName("reminder-settings")
        self.reminder = reminder
        self.enabled = QCheckBox("Remind me to review my week")
        self.day = QComboBox()
        self.day.addItems(DAY_NAMES)
        self.at = QTimeEdit()
        self.at.setDisplayFormat("HH:mm")
        where = (
            "pmload stays in the system tray while the reminder is on, so it can remind you "
            "when its window is closed."
            if tray_available
            else "Your desktop has no system tray: pmload reminds you while its window is open."
        )
        self.note = QLabel(where)
        self.note.setWordWrap(True)
        self.note.setEnabled(False)
        when = QHBoxLayout()
        when.addWidget(self.day)
        when.addWidget(QLabel("at"))
        when.addWidget(self.at)
        when.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow("Every:", when)
        form.addRow(self.note)
        self._show(reminder.plan)
        self.enabled.toggled.connect(self._changed)
        self.day.currentIndexChanged.connect(self._changed)
        self.at.timeChanged.connect(self._changed)
        reminder.planChanged.connect(self._show)

    def _show(self, plan: object) -> None:
        assert isinstance(plan, Plan)
        for w in (self.enabled, self.day, self.at):
            w.blockSignals(True)
        self.enabled.setChecked(plan.enabled)
        self.day.setCurrentIndex(plan.day)
        self.at.setTime(QTime(plan.at.hour, plan.at.minute))
        for w in (self.enabled, self.day, self.at):
            w.blockSignals(False)
        self.day.setEnabled(plan.enabled)
        self.at.setEnabled(plan.enabled)

    def _changed(self) -> None:
        t = self.at.time()
        plan = replace(
            self.reminder.plan,
            enabled=self.enabled.isChecked(),
            day=self.day.currentIndex(),
            at=time(t.hour(), t.minute()),
        )
        self.reminder.set_plan(plan)
        self.day.setEnabled(plan.enabled)
        self.at.setEnabled(plan.enabled)
