"""The weekly reminder: off by default, Friday 16:00 when turned on, and what it does."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from pmload_ui.friday_review import FridayReviewDialog
from pmload_ui.main_window import MainWindow
from pmload_ui.reminder import Plan, Reminder, ReminderSettings, load_plan, next_due
from pmload_ui.session import Session
from pmload_ui.tray import TOLD_KEY
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.ingest.sample import install_sample
from pmload.period import monday_of, today_in

# The offscreen platform has no tray; a window built with tray_available=True drives
# the real QSystemTrayIcon, whose offscreen stand-in warns about this once.
TRAY_NOISE = pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface")


class Clock:
    """A settable clock for the reminder (this computer's local time)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def settings_of(ctx: Context) -> QSettings:
    return QSettings(str(ctx.paths.gui_settings_file), QSettings.Format.IniFormat)


def tray_window(qtbot: QtBot, ctx: Context, available: bool) -> MainWindow:
    window = MainWindow(Session(ctx), settings_of(ctx), tray_available=available)
    qtbot.addWidget(window)
    return window


def test_next_due_is_the_coming_chosen_weekday_at_the_chosen_time() -> None:
    friday_4pm = (4, time(16, 0))
    thursday = datetime(2026, 12, 3, 9, 30)
    assert next_due(thursday, *friday_4pm) == datetime(2026, 12, 4, 16, 0)
    assert next_due(datetime(2026, 12, 4, 15, 59), *friday_4pm) == datetime(2026, 12, 4, 16, 0)
    assert next_due(datetime(2026, 12, 4, 16, 0), *friday_4pm) == datetime(2026, 12, 11, 16, 0)
    assert next_due(datetime(2026, 12, 6, 23, 0), 0, time(8, 15)) == datetime(2026, 12, 7, 8, 15)


def test_the_reminder_is_off_until_turned_on_then_friday_at_four(
    qtbot: QtBot, window: MainWindow, ctx: Context
) -> None:
    window.show_view("settings")
    group = window.view("settings").findChild(ReminderSettings)
    assert group is not None
    assert not group.enabled.isChecked() and not group.day.isEnabled()
    assert window.reminder.next_time is None
    group.enabled.setChecked(True)
    assert group.day.currentText() == "Friday" and group.at.time().toString("HH:mm") == "16:00"
    assert load_plan(settings_of(ctx)) == Plan(True, 4, time(16, 0))  # saved at once
    assert window.reminder.next_time is not None and window.reminder.next_time.weekday() == 4
    group.day.setCurrentIndex(0)
    assert load_plan(settings_of(ctx)).day == 0


def test_it_fires_once_when_due_and_not_for_a_friday_slept_through(
    qtbot: QtBot, ctx: Context
) -> None:
    qsettings = settings_of(ctx)
    clock = Clock(datetime(2026, 12, 4, 15, 0))
    reminder = Reminder(qsettings, clock)
    reminder.set_plan(Plan(True, 4, time(16, 0)))
    fired: list[datetime] = []
    reminder.due.connect(lambda: fired.append(clock.now))
    reminder.check()
    assert fired == []
    clock.now = datetime(2026, 12, 4, 16, 0, 20)
    reminder.check()
    reminder.check()
    assert fired == [datetime(2026, 12, 4, 16, 0, 20)]
    assert reminder.next_time == datetime(2026, 12, 11, 16, 0)
    clock.now = datetime(2026, 12, 14, 9, 0)  # the laptop slept from Thursday to Monday
    reminder.check()
    assert len(fired) == 1 and reminder.next_time == datetime(2026, 12, 18, 16, 0)


def test_without_a_tray_a_due_reminder_asks_in_the_window_and_opens_this_week(
    qtbot: QtBot, ctx: Context
) -> None:
    install_sample(ctx.paths, ctx.conn, ctx.zone)
    ctx.reload_settings()
    window = tray_window(qtbot, ctx, available=False)
    window.session.load_now()
    window.session.set_week(date(2026, 1, 5))
    window.show_view("people")
    window.show()
    window.reminder.set_plan(Plan(True, 4, time(16, 0)))
    assert not window.tray.active
    window.reminder.due.emit()
    notice = window.tray.last_notice
    assert isinstance(notice, QMessageBox) and notice.isVisible()
    assert notice.text() == "Time for your weekly review"
    start = next(b for b in notice.buttons() if b.text() == "Start the Review")
    start.click()
    assert window.current_view() == "week"
    assert window.session.week == monday_of(today_in(window.session.zone_or_utc()))
    review = window.friday_review
    assert isinstance(review, FridayReviewDialog) and review.isVisible()
    assert review.week == window.session.week
    review.reject()


def test_closing_the_window_quits_while_the_reminder_is_off(qtbot: QtBot, ctx: Context) -> None:
    window = tray_window(qtbot, ctx, available=True)
    window.show()
    assert window.tray.icon is None
    assert QApplication.quitOnLastWindowClosed()
    window.close()
    assert not window.isVisible() and not window.tray.keep_running()


@TRAY_NOISE
def test_with_a_tray_the_window_closes_to_it_and_says_so_once(qtbot: QtBot, ctx: Context) -> None:
    window = tray_window(qtbot, ctx, available=True)
    window.show()
    window.reminder.set_plan(Plan(True, 4, time(16, 0)))
    assert window.tray.active and window.tray.icon is not None
    assert "Friday at 16:00" in window.tray.icon.toolTip()
    assert not QApplication.quitOnLastWindowClosed()
    told = settings_of(ctx)
    assert not told.value(TOLD_KEY, False, type=bool)
    window.close()
    assert not window.isVisible() and window.tray.active, "the app left the tray"
    told.sync()
    assert told.value(TOLD_KEY, False, type=bool), "the first close to the tray was not explained"

    # clicking the tray icon shows the window, clicking again hides it
    window.tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert window.isVisible()
    window.tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert not window.isVisible()

    # the notification opens the week view (and the Friday review once there is data)
    window.show_view("people")
    window.tray.icon.messageClicked.emit()
    assert window.isVisible() and window.current_view() == "week"
    assert getattr(window, "friday_review", None) is None  # nothing imported yet

    # turning the reminder off takes the icon away, and closing quits again
    window.reminder.set_plan(Plan(False, 4, time(16, 0)))
    assert not window.tray.active and QApplication.quitOnLastWindowClosed()


@TRAY_NOISE
def test_file_quit_ends_the_app_even_in_the_tray(qtbot: QtBot, ctx: Context) -> None:
    window = tray_window(qtbot, ctx, available=True)
    window.show()
    window.reminder.set_plan(Plan(True, 4, time(16, 0)))
    window.act_quit.trigger()
    assert window.tray.quitting and not window.isVisible()
    assert window.tray.icon is not None and not window.tray.icon.isVisible()
    window.reminder.set_plan(Plan(False, 4, time(16, 0)))


def test_a_saved_plan_that_is_nonsense_reads_as_the_default(ctx: Context) -> None:
    qsettings = settings_of(ctx)
    qsettings.setValue("reminder/enabled", True)
    qsettings.setValue("reminder/day", "9")
    qsettings.setValue("reminder/time", "tea time")
    assert load_plan(qsettings) == Plan(True, 4, time(16, 0))
    assert timedelta(0) < next_due(datetime(2026, 1, 1), 4, time(16)) - datetime(2026, 1, 1)
