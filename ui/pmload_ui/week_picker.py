"""The "jump to week" dialog: a calendar with ISO week numbers, or a typed YYYY-Www."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pmload.errors import UsageError
from pmload.period import monday_of, parse_week, week_label


class WeekPicker(QDialog):
    """Pick a week by clicking any day of it, or by typing its ISO name.

    ``bounds`` (first and last Mondays) limits the choice to the weeks navigation
    reaches: the calendar's weeks with data and the week in progress.
    """

    def __init__(
        self,
        current: date,
        parent: QWidget | None = None,
        bounds: tuple[date, date] | None = None,
    ) -> None:
        super().__init__(parent)
        self._bounds = bounds
        self.setWindowTitle("Jump to Week")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers)
        if bounds is not None:
            first, last = bounds
            self.calendar.setDateRange(
                QDate(first.year, first.month, first.day),
                QDate(last.year, last.month, last.day).addDays(6),
            )
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.typed = QLineEdit(week_label(current))
        self.typed.setPlaceholderText("2026-W02")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        form = QFormLayout()
        form.addRow("ISO week:", self.typed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.calendar)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.calendar.selectionChanged.connect(self._clicked)
        self._monday = monday_of(current)

    def _clicked(self) -> None:
        d = self.calendar.selectedDate()
        self._monday = monday_of(date(d.year(), d.month(), d.day()))
        self.typed.setText(week_label(self._monday))

    def accept(self) -> None:
        try:
            monday = parse_week(self.typed.text())
        except UsageError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        if self._bounds is not None and not self._bounds[0] <= monday <= self._bounds[1]:
            first, last = (week_label(m) for m in self._bounds)
            self.error.setText(
                f"{week_label(monday)} is outside your calendar: choose a week from "
                f"{first} to {last}."
            )
            self.error.setVisible(True)
            return
        self._monday = monday
        super().accept()

    def monday(self) -> date:
        return self._monday
