"""The tray icon of the weekly reminder, and what closing the window means while it is on.

While the reminder is on and the desktop has a system tray, pmload shows a tray
icon: clicking it shows or hides the window, its menu opens the week or quits,
and the reminder arrives as a notification that opens the week view. Closing
the window then hides it in the tray (said once, the first time); File ▸ Quit
and the tray's Quit end the app. Without a tray, or with the reminder off,
closing the window quits as before, and a due reminder shows a message in the
open window instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox, QSystemTrayIcon

from pmload_ui.reminder import Plan, Reminder

TOLD_KEY = "tray/toldStillRunning"


class Tray(QObject):
    """The tray icon and reminder notifications of one main window.

    ``open_week`` shows the current week in the window; ``available`` is
    whether the desktop has a tray (asked of Qt unless given). ``start_review``,
    when set, starts the guided Friday review: the reminder's notification and
    its message then open it (see :mod:`pmload_ui.friday_review`).
    """

    start_review: Callable[[], None] | None = None

    def __init__(
        self,
        window: QMainWindow,
        qsettings: QSettings,
        reminder: Reminder,
        open_week: Callable[[], None],
        icon: QIcon,
        available: bool | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.qsettings = qsettings
        self.reminder = reminder
        self.open_week = open_week
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self.quitting = False
        self.icon: QSystemTrayIcon | None = None
        self._app_icon = icon
        self.last_notice: QMessageBox | None = None
        reminder.due.connect(self.remind)
        reminder.planChanged.connect(self._plan_changed)
        self._plan_changed(reminder.plan)

    @property
    def active(self) -> bool:
        """True while the app lives on in the tray when its window closes."""
        return self.icon is not None and self.icon.isVisible()

    def _plan_changed(self, plan: object) -> None:
        assert isinstance(plan, Plan)
        if plan.enabled and self.available:
            if self.icon is None:
                self.icon = self._make_icon()
            self.icon.setToolTip(f"pmload: weekly review reminder on {plan.describe()}")
            self.icon.show()
        elif self.icon is not None:
            self.icon.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(not self.active)

    def _make_icon(self) -> QSystemTrayIcon:
        icon = QSystemTrayIcon(self._app_icon, self)
        menu = QMenu(self.window)
        menu.setObjectName("tray-menu")
        self.act_toggle = QAction("Show pmload", menu)
        self.act_toggle.triggered.connect(lambda _c=False: self.toggle_window())
        act_week = QAction("Open This Week", menu)
        act_week.triggered.connect(lambda _c=False: self.open_week())
        act_review = QAction("Friday Review…", menu)
        act_review.triggered.connect(lambda _c=False: self._reminder_clicked())
        act_quit = QAction("Quit pmload", menu)
        act_quit.triggered.connect(lambda _c=False: self.quit())
        menu.addActions([self.act_toggle, act_week, act_review])
        menu.addSeparator()
        menu.addAction(act_quit)
        menu.aboutToShow.connect(self._update_menu)
        icon.setContextMenu(menu)
        icon.activated.connect(self._activated)
        icon.messageClicked.connect(self._reminder_clicked)
        self.menu = menu
        return icon

    def _reminder_clicked(self) -> None:
        """The reminder was answered: this week in the window, and the Friday review on it."""
        self.open_week()
        if self.start_review is not None:
            self.start_review()

    def _update_menu(self) -> None:
        self.act_toggle.setText("Hide pmload" if self.window.isVisible() else "Show pmload")

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.toggle_window()

    def toggle_window(self) -> None:
        """Hide a visible window; show and raise a hidden or minimised one."""
        from pmload_ui.single_instance import bring_to_front

        if self.window.isVisible() and not self.window.isMinimized():
            self.window.hide()
        else:
            bring_to_front(self.window)

    def remind(self) -> None:
        """The reminder is due: a notification, or a message in the window without a tray."""
        title = "Time for your weekly review"
        text = "See where this week's meetings went, and fix a few tags."
        if self.active and self.icon is not None:
            self.icon.showMessage(title, text, self._app_icon, 15000)
            return
        box = QMessageBox(QMessageBox.Icon.Information, "pmload", title, parent=self.window)
        box.setInformativeText(text)
        box.setObjectName("reminder-notice")
        review = self.start_review
        open_button = box.addButton(
            "Start the Review" if review else "Open This Week", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(
            lambda _r: self._reminder_clicked() if box.clickedButton() is open_button else None
        )
        self.last_notice = box
        box.open()

    def keep_running(self) -> bool:
        """Called when the window is asked to close: hide it in the tray instead?"""
        if self.quitting or not self.active:
            return False
        if not self.qsettings.value(TOLD_KEY, False, type=bool) and self.icon is not None:
            self.icon.showMessage(
                "pmload is still running",
                "It stays in the tray to remind you to review your week. "
                "Quit from this icon's menu or with File ▸ Quit.",
                self._app_icon,
                10000,
            )
            self.qsettings.setValue(TOLD_KEY, True)
        return True

    def quit(self) -> None:
        """End the app, tray or not."""
        self.quitting = True
        self.window.close()
        if self.icon is not None:
            self.icon.hide()
        app = QApplication.instance()
        if app is not None:
            app.quit()
