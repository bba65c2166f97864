"""The main window: a sidebar of views, menus, toolbar, status bar, drag and drop."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)

from pmload.period import Period, parse_week, week_label
from pmload_ui.google_sync import GoogleSync
from pmload_ui.icon import app_icon
from pmload_ui.import_flow import ImportFlow
from pmload_ui.reminder import Reminder
from pmload_ui.session import Session
from pmload_ui.tray import Tray
from pmload_ui.welcome import WelcomeView
from pmload_ui.whatif_panel import plan_for

log = logging.getLogger(__name__)

VIEW_TITLES = {
    "week": "Week",
    "review": "Review",
    "people": "People",
    "trends": "Trends",
    "journal": "Journal",
    "settings": "Settings",
}
DATA_VIEWS = ("week", "review", "people", "trends")


def journal_available() -> bool:
    """The journal view ships separately; its entry appears only when it is there."""
    try:
        return importlib.util.find_spec("pmload_ui.journal_view") is not None
    except (ImportError, ValueError):
        return False


class MainWindow(QMainWindow):
    """The pmload window.

    Signals:
        firstPainted(): emitted once, after the window's first paint.
        viewChanged(str): the name of the view now shown.
    """

    firstPainted = Signal()
    viewChanged = Signal(str)

    def __init__(
        self,
        session: Session,
        qsettings: QSettings,
        parent: QWidget | None = None,
        tray_available: bool | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.qsettings = qsettings
        self._painted = False
        self._views: dict[str, QWidget] = {}
        self._current = "week"
        self._store_empty = session.store_is_empty()
        self.setWindowTitle("pmload")
        self.setAcceptDrops(True)
        self.imports = ImportFlow(session, self)
        self.google = GoogleSync(session, qsettings, self)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.sidebar.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys switch views
        self.sidebar.setAccessibleName("Views")
        names = [n for n in VIEW_TITLES if n != "journal" or journal_available()]
        for name in names:
            item = QListWidgetItem(VIEW_TITLES[name])
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setSizeHint(QSize(120, 34))
            self.sidebar.addItem(item)
        self.sidebar.setFixedWidth(
            max(
                130,
                self.sidebar.sizeHintForColumn(0) + 4 * self.fontMetrics().horizontalAdvance("M"),
            )
        )
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)
        self._shade_sidebar()

        self.stack = QStackedWidget()
        self.welcome = WelcomeView(self.imports, self.open_google)
        self.stack.addWidget(self.welcome)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._central = central

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self.setWindowIcon(app_icon())
        self.reminder = Reminder(qsettings, parent=self)
        self.tray = Tray(
            self, qsettings, self.reminder, self.show_this_week, app_icon(), tray_available
        )
        self.tray.start_review = self.start_friday_review

        session.loaded.connect(self._data_loaded)
        session.weekChanged.connect(self._week_changed)
        session.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        session.failed.connect(self._show_failure)
        session.busyChanged.connect(self._busy.setVisible)
        session.dataDeleted.connect(self._data_deleted)
        session.deletingChanged.connect(self._deleting_changed)
        session.reclassified.connect(self._refresh_journal)
        self._restore()
        self._enable_navigation(not self._store_empty)

    # --- construction --------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str | None = None,
        icon: QStyle.StandardPixmap | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_import = self._action(
            "&Import Calendar Files…",
            self.imports.choose_files,
            QKeySequence.StandardKey.Open,
            "Import .ics files exported from your calendar",
            sp.SP_DialogOpenButton,
        )
        self.act_import_folder = self._action(
            "Import &Folder…",
            self.imports.choose_folder,
            "Ctrl+Shift+O",
            "Import every .ics file in a folder",
        )
        self.act_subscribe = self._action(
            "Subscribe to a Calendar &URL…",
            self.subscribe,
            None,
            "Subscribe to a private ICS address (Google, Outlook, iCloud, Fastmail)",
        )
        self.act_refresh = self._action(
            "&Re-import Calendars",
            self.imports.refresh,
            "Ctrl+R",
            "Read every imported calendar file again and fetch subscriptions (changes only)",
        )
        self.act_google = self._action(
            "&Google Calendar…",
            self.open_google,
            None,
            "Connect Google Calendar (read-only), choose calendars, sync",
        )
        self.act_google_sync = self._action(
            "Sync Google &Calendar",
            self.sync_google,
            "Ctrl+Shift+R",
            "Read what changed in your Google calendars",
        )
        self.act_sample = self._action(
            "Try the &Sample Calendar",
            self.imports.install_sample,
            None,
            "Load a realistic sample calendar",
        )
        self.act_export = self._action(
            "&Export Brief or Charts…",
            self.export,
            "Ctrl+E",
            "Export the one-page brief or a chart for a one-on-one",
        )
        self.act_review = self._action(
            "&Friday Review…",
            self.start_friday_review,
            "Ctrl+Shift+F",
            "A guided weekly review: refresh, settle the week, check in, compare, export",
        )
        self.act_quit = self._action("&Quit", self.quit_app, QKeySequence.StandardKey.Quit)
        self.act_undo = self._action("&Undo", self.undo)
        self.act_undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.act_redo = self._action("&Redo", self.redo)
        # Every platform binding of Redo, and Ctrl+Y once: the same key twice in the
        # list makes Qt log "Ambiguous shortcut overload" and do nothing.
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.act_redo.setShortcuts(redo_keys)
        # The stack's state as its signals give it (asking the stack from a slot fails
        # while the stack itself is being destroyed); bound methods, so that Qt drops
        # the connections when the window goes first.
        stack = self.session.undo_stack
        self._undo_state = {"undo": (False, ""), "redo": (False, "")}
        stack.canUndoChanged.connect(self._can_undo_changed)
        stack.canRedoChanged.connect(self._can_redo_changed)
        stack.undoTextChanged.connect(self._undo_text_changed)
        stack.redoTextChanged.connect(self._redo_text_changed)
        self._undo_changed("undo")
        self._undo_changed("redo")
        self.act_prev = self._action(
            "&Previous Week",
            lambda: self.session.step_week(-1),
            "Alt+Left",
            "Show the previous week",
            sp.SP_MediaSeekBackward,
        )
        self.act_next = self._action(
            "&Next Week",
            lambda: self.session.step_week(1),
            "Alt+Right",
            "Show the next week",
            sp.SP_MediaSeekForward,
        )
        self.act_today = self._action(
            "&This Week",
            lambda: self.session.set_week(self.session.default_week()),
            "Ctrl+T",
            "Go back to the current week",
        )
        self.act_jump = self._action(
            "&Jump to Week…", self.jump_to_week, "Ctrl+J", "Choose a week to show"
        )
        self.act_about = self._action("&About pmload", self.about)
        self.act_how = self._action(
            "&How pmload Counts",
            self.how_it_counts,
            QKeySequence.StandardKey.HelpContents,
            "What counts as a meeting, the categories, the share, the range and the verdict",
        )
        self.view_actions: dict[str, QAction] = {}
        for i, name in enumerate(n for n in VIEW_TITLES if n != "settings"):
            if name == "journal" and not journal_available():
                continue
            self.view_actions[name] = self._action(
                VIEW_TITLES[name], functools.partial(self.show_view, name), f"Ctrl+{i + 1}"
            )
        self.view_actions["settings"] = self._action(
            "Settings", lambda: self.show_view("settings"), QKeySequence.StandardKey.Preferences
        )
        if self.view_actions["settings"].shortcut().isEmpty():
            self.view_actions["settings"].setShortcut(QKeySequence("Ctrl+,"))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions(
            [
                self.act_import,
                self.act_import_folder,
                self.act_subscribe,
                self.act_refresh,
                self.act_sample,
            ]
        )
        file_menu.addSeparator()
        file_menu.addActions([self.act_google, self.act_google_sync])
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        view = bar.addMenu("&View")
        view.addActions(list(self.view_actions.values()))
        go = bar.addMenu("&Go")
        go.addActions([self.act_prev, self.act_next, self.act_today, self.act_jump])
        go.addSeparator()
        go.addAction(self.act_review)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.act_how, self.act_about])

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main")
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addAction(self.act_import)
        self.act_import.setIconText("Import…")
        # the Import button's menu: files, a folder (or zip), a calendar subscription
        self.import_menu = QMenu("Import", self)
        self.import_menu.addActions([self.act_import, self.act_import_folder, self.act_subscribe])
        button = tb.widgetForAction(self.act_import)
        if isinstance(button, QToolButton):
            button.setMenu(self.import_menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        tb.addSeparator()
        tb.addAction(self.act_prev)
        self.week_button = QToolButton()
        self.week_button.setToolTip("Jump to another week (Ctrl+J)")
        self.week_button.setAutoRaise(True)
        self.week_button.clicked.connect(self.jump_to_week)
        self.week_button.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("2026-W52 · 28 Dec – 3 Jan") + 24
        )
        tb.addWidget(self.week_button)
        tb.addAction(self.act_next)
        tb.addAction(self.act_today)
        tb.addSeparator()
        tb.addAction(self.act_undo)
        tb.addAction(self.act_redo)
        tb.addSeparator()
        self.act_export.setIconText("Export…")
        tb.addAction(self.act_export)
        self.act_review.setIconText("Friday Review")
        tb.addAction(self.act_review)
        # Short on the toolbar whatever the command ("Undo", not "Undo tag 'Sales x ML
        # sync' as translation"), so nothing falls off a narrow window; the menu and the
        # tooltip say what it undoes.
        self.act_undo.setIconText("Undo")
        self.act_redo.setIconText("Redo")
        self.addToolBar(tb)
        self._week_changed(self.session.week)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self._summary = QLabel()
        self._busy = QProgressBar()
        self._busy.setRange(0, 0)
        self._busy.setMaximumWidth(120)
        self._busy.setMaximumHeight(14)
        self._busy.setTextVisible(False)
        self._busy.setVisible(False)
        sb.addPermanentWidget(self._busy)
        sb.addPermanentWidget(self.google.label)
        sb.addPermanentWidget(self._summary)

    # --- views ---------------------------------------------------------------

    def view(self, name: str) -> QWidget:
        """The view called ``name``, created on first use (so the window paints first)."""
        widget = self._views.get(name)
        if widget is None:
            widget = self._create_view(name)
            self._views[name] = widget
            self.stack.addWidget(widget)
        return widget

    def _create_view(self, name: str) -> QWidget:
        if name == "week":
            from pmload_ui.week_view import WeekView

            week = WeekView(self.session)
            week.settleRequested.connect(self.settle_week)
            return week
        if name == "review":
            from pmload_ui.review_view import ReviewView

            review = ReviewView(self.session)
            review.weekOpened.connect(self.open_week)
            review.peopleRequested.connect(self.show_people)
            return review
        if name == "people":
            from pmload_ui.people_view import PeopleView

            return PeopleView(self.session)
        if name == "trends":
            from pmload_ui.trends_view import TrendsView

            view = TrendsView(self.session)
            view.weekOpened.connect(self.open_week)
            return view
        if name == "settings":
            from pmload_ui.reminder import ReminderSettings
            from pmload_ui.settings_view import SettingsView

            settings = SettingsView(self.session, self.imports)
            settings.add_group(ReminderSettings(self.reminder, self.tray.available))
            from pmload_ui.sources_panel import SourcesPanel

            settings.add_group(SourcesPanel(self.session, self.imports))
            return settings
        if name == "journal":
            module: Any = importlib.import_module("pmload_ui.journal_view")
            journal: QWidget = module.JournalView(
                self.session.paths,
                weekly_shares=self._weekly_shares,
                week_figures=self._week_figures,
                threshold=lambda: self.session.settings.threshold,
            )
            message = getattr(journal, "message", None)
            if message is not None:
                message.connect(lambda text: self.statusBar().showMessage(text, 6000))
            return journal
        raise KeyError(name)

    def _weekly_shares(self) -> dict[str, float]:
        """Week label -> translation share, for the journal's view beside the numbers.

        The journal calls it on a pool thread: it reads the session's Analysis
        once, an object the app replaces but never changes.
        """
        analysis = self.session.analysis
        if analysis is None or analysis.first_week is None or analysis.last_week is None:
            return {}
        period = Period(analysis.first_week, analysis.last_week + timedelta(days=6))
        return {w.week: w.translation_share for w in analysis.audit(period).weeks}

    def _week_figures(self, label: str) -> Any:
        """The week's audit figures for the journal's Friday review (None without data)."""
        from pmload.journal.records import WeekFigures

        analysis = self.session.analysis
        if analysis is None or not analysis.occurrences:
            return None
        w = analysis.audit(Period.of_weeks(parse_week(label), 1)).weeks[0]
        if w.meeting_hours <= 0:
            return None
        return WeekFigures(w.week, w.translation_share, w.meeting_hours, w.streak)

    def current_view(self) -> str:
        return self._current

    def show_view(self, name: str, remember: bool = True) -> None:
        if name not in VIEW_TITLES or (name == "journal" and not journal_available()):
            name = "week"
        if name != self._current and not self._may_leave_view():
            name = self._current  # stay, and keep the sidebar on it
        self._current = name
        self.setWindowTitle(f"{VIEW_TITLES[name]} — pmload")
        if remember:
            self.qsettings.setValue("window/view", name)
        if name in DATA_VIEWS and not self.session.has_data() and self._store_empty:
            self.stack.setCurrentWidget(self.welcome)
        else:
            self.stack.setCurrentWidget(self.view(name))
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name and self.sidebar.currentRow() != row:
                self.sidebar.blockSignals(True)
                self.sidebar.setCurrentRow(row)
                self.sidebar.blockSignals(False)
        self.viewChanged.emit(name)

    def _may_leave_view(self) -> bool:
        """Whether the view shown may be left: one with unsaved changes (Settings) asks."""
        confirm = getattr(self._views.get(self._current), "confirm_leave", None)
        return not callable(confirm) or bool(confirm())

    def _sidebar_changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.show_view(str(item.data(Qt.ItemDataRole.UserRole)))

    def settle(self) -> None:
        """Finish any deferred drawing (charts) of the visible view: for screenshots."""
        widget = self.stack.currentWidget()
        settle = getattr(widget, "settle", None)
        if callable(settle):
            settle()

    # --- reactions -----------------------------------------------------------

    def _shade_sidebar(self) -> None:
        """The sidebar a shade off the window colour, in light and dark palettes alike."""
        window_colour = self.palette().color(QPalette.ColorRole.Window)
        dark = window_colour.lightness() < 128
        shade = window_colour.lighter(130) if dark else window_colour.darker(107)
        self.sidebar.setStyleSheet(
            f"QListWidget#sidebar {{ background: {shade.name()}; }}"
            " QListWidget#sidebar::item { padding-left: 14px; }"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "sidebar"):
            self._shade_sidebar()

    def _refresh_journal(self) -> None:
        journal = self._views.get("journal")
        refresh = getattr(journal, "refresh", None)
        if callable(refresh):
            refresh()

    def _deleting_changed(self, deleting: bool) -> None:
        """While all data is deleted, lock the journal and let nothing write to the store."""
        if deleting:
            journal = self._views.get("journal")
            lock = getattr(journal, "lock", None)
            if callable(lock):
                lock()
        self._central.setEnabled(not deleting)
        for action in (self.act_import, self.act_import_folder, self.act_refresh, self.act_sample):
            action.setEnabled(not deleting)
        if deleting:
            self._enable_navigation(False)

    def _data_deleted(self) -> None:
        """Forget the first-run answer along with the data."""
        self.imports.reset_first_run()

    def _enable_navigation(self, on: bool) -> None:
        for action in (
            self.act_prev,
            self.act_next,
            self.act_today,
            self.act_jump,
            self.act_export,
            self.act_review,
        ):
            action.setEnabled(on)
        self.week_button.setEnabled(on)
        if on:
            self._update_week_actions()

    def _update_week_actions(self) -> None:
        """Previous/Next Week stop at the first and last weeks navigation reaches."""
        self.act_prev.setEnabled(self.session.can_step(-1))
        self.act_next.setEnabled(self.session.can_step(1))

    def _data_loaded(self) -> None:
        self._store_empty = not self.session.has_data()
        self._enable_navigation(not self._store_empty)
        self._refresh_journal()
        analysis = self.session.analysis
        n = 0 if analysis is None else analysis.meeting_count
        zone = self.session.zone_or_utc().key
        self._summary.setText(f"{n:,} meetings · {zone}" if n else zone)
        self.show_view(self._current, remember=False)
        if self.session.has_data():
            self.imports.ask_first_run_questions()

    def _week_changed(self, monday: object) -> None:
        from datetime import date, timedelta

        assert isinstance(monday, date)
        sunday = monday + timedelta(days=6)
        self.week_button.setText(f"{week_label(monday)} · {monday:%-d %b} – {sunday:%-d %b}")
        if self.act_jump.isEnabled():  # navigation is on: data is shown
            self._update_week_actions()

    def undo(self) -> None:
        stack = self.session.undo_stack
        if stack.canUndo():
            text = stack.undoText()
            stack.undo()
            self.statusBar().showMessage(f"Undone: {text}.", 6000)

    def redo(self) -> None:
        stack = self.session.undo_stack
        if stack.canRedo():
            text = stack.redoText()
            stack.redo()
            self.statusBar().showMessage(f"Redone: {text}.", 6000)

    def _can_undo_changed(self, can: bool) -> None:
        self._undo_changed("undo", can=can)

    def _can_redo_changed(self, can: bool) -> None:
        self._undo_changed("redo", can=can)

    def _undo_text_changed(self, text: str) -> None:
        self._undo_changed("undo", text=text)

    def _redo_text_changed(self, text: str) -> None:
        self._undo_changed("redo", text=text)

    def _undo_changed(self, which: str, can: bool | None = None, text: str | None = None) -> None:
        """Keep the Undo (or Redo) action's state, menu text and tooltip up to date."""
        old_can, old_text = self._undo_state[which]
        can = old_can if can is None else can
        text = old_text if text is None else text
        self._undo_state[which] = (can, text)
        action, verb = (self.act_undo, "Undo") if which == "undo" else (self.act_redo, "Redo")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        what = f"{verb} {text}" if can and text else verb
        action.setEnabled(can)
        action.setText(f"&{what}")
        action.setToolTip(f"{what} ({keys})" if can else f"Nothing to {verb.lower()}")
        action.setStatusTip(what if can else "")

    def _show_failure(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)
        QMessageBox.warning(self, "pmload", text)

    def open_week(self, monday: object) -> None:
        """Show the week starting ``monday`` (a ``date``) in the Week view."""
        from datetime import date

        if isinstance(monday, date):
            self.session.set_week(monday)
            self.show_view("week")

    def jump_to_week(self) -> None:
        from pmload_ui.week_picker import WeekPicker

        picker = WeekPicker(self.session.week, self, bounds=self.session.week_bounds())
        if picker.exec():
            self.session.set_week(picker.monday())
            if self._current not in ("week",):
                self.show_view("week")

    def open_google(self) -> None:
        """The Google Calendar dialog: connect, choose calendars, sync, disconnect.

        One dialog, kept: its background work may still answer after it closes.
        """
        from pmload_ui.google_dialog import GoogleDialog

        dialog = getattr(self, "google_dialog", None)
        if dialog is None:
            dialog = self.google_dialog = GoogleDialog(self.google, self)
        else:
            dialog.refresh()
        dialog.open()

    def subscribe(self) -> None:
        """File › Subscribe to a Calendar URL…: the address, then a background import."""
        from pmload_ui.subscribe_dialog import SubscribeDialog

        SubscribeDialog(self.imports.subscribe, self).open()

    def sync_google(self) -> None:
        """Sync now when connected; otherwise the dialog that connects."""
        if self.google.connected():
            self.google.sync()
        else:
            self.open_google()

    def settle_week(self, view: str, people: object) -> None:
        """Show what settles an unsure week: its people with no side, or the review queue."""
        if view == "people":
            from pmload_ui.people_focus import show_only

            self.show_view("people")
            keys = tuple(str(k) for k in people) if isinstance(people, tuple) else ()
            show_only(self.view("people"), keys, week_label(self.session.week))
        else:
            self.show_view("review")

    def show_people(self, keys: object, where: str) -> None:
        """The People view showing only ``keys`` (people with no side ``where``)."""
        from pmload_ui.people_focus import show_only

        self.show_view("people")
        if self._current == "people" and isinstance(keys, tuple):
            show_only(self.view("people"), tuple(str(k) for k in keys), where)

    def export(self) -> Any:
        """The export dialog (brief and charts), on the classified history; the week chart
        starts on the week shown. Returns the dialog (None without data)."""
        if self.session.analysis is None:
            return None
        module: Any = importlib.import_module("pmload_ui.export_dialog")
        dialog = module.ExportDialog(
            self.session.analysis,
            self.session.paths,
            parent=self,
            today=self.session.today(),
            week=self.session.week,
            bounds=self.session.week_bounds(),
            source=lambda: self.session.analysis,
            proposals=plan_for(self.session).proposals,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one dialog per opening
        # Re-classified under new settings while it is open (a threshold just saved):
        # the previews follow. A bound slot is disconnected when the dialog is deleted.
        self.session.reclassified.connect(dialog.analysis_changed)
        saved = getattr(dialog, "saved", None)
        if saved is not None:
            saved.connect(lambda path: self.statusBar().showMessage(f"Saved {path}.", 8000))
        dialog.open()
        return dialog

    def start_friday_review(self) -> None:
        """The guided Friday review (pmload_ui.friday_review), one at a time; nothing to
        review before a calendar is imported (the welcome view says how)."""
        from pmload_ui.friday_review import open_friday_review

        if self._store_empty:
            return
        self.friday_review = open_friday_review(self, self)

    def about(self) -> None:
        from pmload_ui.about import AboutDialog

        dialog = AboutDialog(self.session.paths, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog = dialog
        dialog.open()

    def how_it_counts(self) -> None:
        from pmload_ui.how_it_counts import HowItCountsDialog

        dialog = HowItCountsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.how_dialog = dialog
        dialog.open()

    def show_this_week(self) -> None:
        """Bring the window back on the current week (the reminder's destination)."""
        from pmload_ui.single_instance import bring_to_front

        bring_to_front(self)
        self.session.set_week(self.session.default_week())
        self.show_view("week")

    def quit_app(self) -> None:
        """File ▸ Quit: end the app, even while the reminder keeps it in the tray."""
        if self.tray.active:
            self.tray.quit()
        else:
            self.close()

    # --- window state ----------------------------------------------------------

    # False for a --screenshot run: rendering offscreen must not change the
    # window size and view the user gets next time.
    remember_state = True

    def default_size(self) -> QSize:
        return QSize(1200, 780)

    def _restore(self) -> None:
        geometry = self.qsettings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(self.default_size())
        view = self.qsettings.value("window/view", "week")
        self.show_view(str(view) if view else "week", remember=False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave_view():  # unsaved settings: the user chose Cancel
            event.ignore()
            return
        if self.remember_state:
            self.qsettings.setValue("window/geometry", self.saveGeometry())
            self.qsettings.setValue("window/view", self._current)
            self.qsettings.sync()
        if self.tray.keep_running():  # the reminder keeps pmload in the tray
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self.firstPainted.emit)

    # --- drag and drop -----------------------------------------------------------

    @staticmethod
    def _dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        out = []
        for url in mime.urls():
            if url.isLocalFile():
                p = Path(url.toLocalFile())
                if p.is_dir() or p.suffix.lower() in (".ics", ".zip"):
                    out.append(p)
        return out

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.imports.start(paths)
