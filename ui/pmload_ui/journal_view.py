"""The Journal view: the private, encrypted journal, locked until the passphrase is given.

All journal logic is in :mod:`pmload.journal`; this view collects input and
shows results. Unlocking, creating, restoring and re-keying (a deliberately
slow key derivation) run as background ops (:mod:`pmload_ui.background`), and
so does the whole-history audit behind the chart (:mod:`pmload_ui.journal_shares`). The
passphrase is never stored: not in QSettings, not in an attribute; only the
unlocked :class:`pmload.journal.Journal` (the data key and decrypted data) is
held, and :meth:`JournalView.lock` drops it (a result still on its way is then
dropped too).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pmload.config import Settings
from pmload.errors import PmloadError
from pmload.journal import CheckIn, Entry, Journal, JournalChanged, JournalData, WeekFigures
from pmload.journal import delete as delete_journal
from pmload.journal import fileformat as ff
from pmload.journal import restore as restore_journal
from pmload.journal.insights import (
    peer_reminders,
    review_prompt,
    sustained_high,
    week_label,
    weekly,
)
from pmload.journal.instruments import instrument, score
from pmload.journal.vault import OLD_COPIES, backup_path
from pmload.paths import Paths
from pmload_ui.background import JOURNAL_MODULES, BackgroundOp, failure_text
from pmload_ui.journal_dialogs import (
    CheckInDialog,
    NewPassphraseDialog,
    PassphraseDialog,
    passphrase_problem,
)
from pmload_ui.journal_lock import LockScreen
from pmload_ui.journal_panels import EntryEditor, PeersPanel, ReviewPanel
from pmload_ui.journal_shares import SharesCache, WeeklyShares
from pmload_ui.journal_widgets import CheckInsModel, EntriesModel, JournalChart

log = logging.getLogger(__name__)

WeekFiguresFn = Callable[[str], WeekFigures | None]
ACTIVITY = (
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
)


class JournalView(QWidget):
    """The journal: lock screen, entry editor, history, check-ins, review, peers, chart.

    Signals:
        unlocked(): the journal was opened (or created) with its passphrase.
        locked(): the journal was locked (button, idle time-out, or deletion).
        journalChanged(): something was saved to the journal file.
        busyChanged(bool): a background unlock/re-key started (True) or ended (False).
        message(str): a short status sentence for the window's status bar ('' clears
            it); never a score or any journal text.
    """

    unlocked = Signal()
    locked = Signal()
    journalChanged = Signal()
    busyChanged = Signal(bool)
    message = Signal(str)

    def __init__(
        self,
        paths: Paths,
        parent: QWidget | None = None,
        weekly_shares: WeeklyShares | None = None,
        week_figures: WeekFiguresFn | None = None,
        auto_lock_minutes: float = 10.0,
        threshold: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.shares = SharesCache(weekly_shares, self)
        self._week_figures = week_figures
        # the settings' threshold, read when the chart is drawn (it may change meanwhile)
        self._threshold = threshold or (lambda: Settings().threshold)
        self._journal: Journal | None = None
        self._ops: set[BackgroundOp[Any]] = set()
        self._lock_generation = 0  # a result started before the last lock is dropped
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._idle_lock)
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self._build_locked_page()
        self._build_unlocked_page()
        self.set_auto_lock_minutes(auto_lock_minutes)
        self._show_locked()

    # ----- construction -------------------------------------------------------------
    def _build_locked_page(self) -> None:
        self.locked_page = LockScreen(self)
        page = self.locked_page
        self.passphrase, self.confirm, self.warning = page.passphrase, page.confirm, page.warning
        self.unlock_button, self.lock_status = page.button, page.status
        self.recover_button = page.recover_button
        page.submitted.connect(self._submit_passphrase)
        page.recoverRequested.connect(self._recover_previous)
        self.stack.addWidget(page)

    def _build_unlocked_page(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        bar = QHBoxLayout()
        title = QLabel("Journal", page)
        title.setStyleSheet("font-size: 14pt; font-weight: 600")
        bar.addWidget(title)
        bar.addStretch(1)
        self.cbi_button = QPushButton("Burnout check-in (CBI)…", page)
        self.ucla_button = QPushButton("Loneliness check-in (UCLA)…", page)
        self.tools_button = QPushButton("Journal file", page)
        menu = QMenu(self.tools_button)
        self.passwd_action = menu.addAction("Change passphrase…")
        self.backup_action = menu.addAction("Back up to a file…")
        self.restore_action = menu.addAction("Restore from a backup…")
        menu.addSeparator()
        self.delete_action = menu.addAction("Delete journal…")
        self.tools_button.setMenu(menu)
        self.lock_button = QPushButton("Lock", page)
        for w in (self.cbi_button, self.ucla_button, self.tools_button, self.lock_button):
            bar.addWidget(w)
        col.addLayout(bar)
        self.notes = QLabel(page)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(
            "QLabel { background: palette(alternate-base); padding: 8px; border-radius: 4px; }"
        )
        col.addWidget(self.notes)
        self.tabs = QTabWidget(page)
        col.addWidget(self.tabs, 1)

        entries = QSplitter(Qt.Orientation.Horizontal, page)
        self.editor = EntryEditor(entries)
        self.history_model = EntriesModel(self)
        self.history_proxy = QSortFilterProxyModel(self)
        self.history_proxy.setSourceModel(self.history_model)
        self.history = QTableView(entries)
        self.history.setModel(self.history_proxy)
        self.history.setAccessibleName("Journal entries")
        self.history.setTabKeyNavigation(False)
        self.history.setSortingEnabled(True)
        self.history.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(False)
        self.history.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        entries.addWidget(self.editor)
        entries.addWidget(self.history)
        entries.setStretchFactor(1, 1)
        entries.setSizes([380, 520])
        self.tabs.addTab(entries, "Entries")

        checks = QWidget(page)
        ccol = QVBoxLayout(checks)
        self.checkins_model = CheckInsModel(self)
        self.checkins = QTableView(checks)
        self.checkins.setModel(self.checkins_model)
        self.checkins.setAccessibleName("Check-ins")
        self.checkins.setTabKeyNavigation(False)
        self.checkins.verticalHeader().hide()
        self.checkins.setWordWrap(False)
        self.checkins.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.checkins.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.checkins.horizontalHeader().setStretchLastSection(True)
        self.checkins.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checkin_result = QLabel(checks)
        self.checkin_result.setWordWrap(True)
        ccol.addWidget(self.checkin_result)
        ccol.addWidget(self.checkins, 1)
        self.tabs.addTab(checks, "Check-ins")

        self.review = ReviewPanel(page)
        self.tabs.addTab(self.review, "Friday review")
        self.peers = PeersPanel(page)
        self.tabs.addTab(self.peers, "Peer council")
        self.chart = JournalChart(page)
        self.tabs.addTab(self.chart, "Chart")
        self.unlocked_page = page
        self.stack.addWidget(page)

        self.lock_button.clicked.connect(self.lock)
        self.cbi_button.clicked.connect(lambda: self.start_checkin("cbi"))
        self.ucla_button.clicked.connect(lambda: self.start_checkin("ucla"))
        self.passwd_action.triggered.connect(self.change_passphrase)
        self.backup_action.triggered.connect(self.backup)
        self.restore_action.triggered.connect(self.restore)
        self.delete_action.triggered.connect(self.delete)
        self.editor.saveRequested.connect(self._save_entry)
        self.editor.deleteRequested.connect(self._delete_entry)
        self.history.selectionModel().currentRowChanged.connect(self._history_selected)
        self.peers.addRequested.connect(
            lambda n: self._change(lambda d: d.with_peer(n, date.today()))
        )
        self.peers.talkedRequested.connect(
            lambda n, day: self._change(lambda d: d.talked_to(n, day))
        )
        self.peers.removeRequested.connect(lambda n: self._change(lambda d: d.without_peer(n)))
        self.review.saveRequested.connect(lambda r: self._change(lambda d: d.with_review(r)))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.shares.ready.connect(self._shares_ready)

    # ----- public API ---------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return self._journal is None

    def auto_lock_minutes(self) -> float:
        return self._idle.interval() / 60000 if self._idle.interval() > 0 else 0.0

    def set_auto_lock_minutes(self, minutes: float) -> None:
        """Lock after ``minutes`` without keyboard or mouse activity (0 = never)."""
        self._idle.setInterval(max(0, round(minutes * 60000)))
        self._arm_idle()

    def lock(self) -> None:
        """Forget the key and every decrypted value shown, and show the lock screen."""
        if self._journal is not None:
            self._journal.lock()
            self._journal = None
            log.info("journal locked")
        self._lock_generation += 1
        self.shares.forget()
        self._idle.stop()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():  # an open check-in must not outlive the key
                dialog.reject()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.editor.edit(None)
        self.history_model.set_entries(())
        self.checkins_model.set_checkins(())
        self.peers.set_peers((), date.today())
        self.review.show_week("", None, None, "", (), [])
        self.review.answer.clear()
        self.notes.clear()
        self.checkin_result.clear()
        self._show_locked()
        self.locked.emit()

    def refresh(self) -> None:
        """Re-read the weekly figures from the app and redraw (e.g. after an import)."""
        self.shares.invalidate()
        if self._journal is not None:
            self._show_data()

    # ----- lock screen --------------------------------------------------------------
    def _show_locked(self) -> None:
        self.locked_page.set_mode(creating=not self.paths.journal_file.exists())
        self.stack.setCurrentWidget(self.locked_page)

    def _submit_passphrase(self) -> None:
        if self._ops:
            return
        passphrase = self.passphrase.text()
        path = self.paths.journal_file
        if not path.exists():
            problem = passphrase_problem(passphrase, self.confirm.text())
            if problem:
                self.lock_status.setText(problem)
                return
            self.paths.ensure()
            self._run(lambda: Journal.create(path, passphrase), self._opened, "Creating…")
        else:
            if not passphrase:
                self.lock_status.setText("Type your passphrase.")
                return
            self._run(
                lambda: Journal.unlock(path, passphrase),
                self._opened,
                "Unlocking…",
                on_fail=self._offer_previous_version,
            )
        self.passphrase.clear()
        self.confirm.clear()

    def _offer_previous_version(self) -> None:
        """After a failed unlock: offer the backup when the journal is damaged and it is not."""
        path = self.paths.journal_file
        bak = backup_path(path)
        try:
            offer = not ff.looks_intact(path.read_bytes()) and ff.looks_intact(bak.read_bytes())
        except OSError:
            offer = False
        self.recover_button.setVisible(offer)

    def _recover_previous(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self.lock_status.setText("Type your passphrase, then open the previous version.")
            return
        path = self.paths.journal_file
        self.recover_button.hide()
        self.passphrase.clear()
        self._run(
            lambda: restore_journal(path, backup_path(path), passphrase),
            self._opened,
            "Opening the previous version…",
        )

    def _run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        status: str,
        on_fail: Callable[[], None] | None = None,
    ) -> None:
        generation = self._lock_generation
        op = BackgroundOp(lambda _job: fn(), self, imports=JOURNAL_MODULES)
        self._ops.add(op)
        self.lock_status.setText(status)
        self.message.emit(status)
        self._set_busy(True)

        def finish() -> bool:
            """True when the result still matters (the journal was not locked since)."""
            self._ops.discard(op)
            self._set_busy(False)
            return generation == self._lock_generation

        def ok(result: object) -> None:
            if not finish():
                if isinstance(result, Journal):
                    result.lock()
                return
            self.lock_status.clear()
            self.message.emit("")  # "Unlocking…" is over: clear it from the status bar
            done(result)

        def failed(exc: BaseException) -> None:
            if not finish():
                return
            text = failure_text(exc)
            self.lock_status.setText(text)
            if on_fail is not None:
                on_fail()
            if self._journal is not None:
                QMessageBox.warning(self, "Journal", text)
            self.message.emit(text)

        op.success(ok).failure(failed).run_in_background()

    def _set_busy(self, busy: bool) -> None:
        for w in (self.unlock_button, self.passphrase, self.confirm, self.unlocked_page):
            w.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()
        self.busyChanged.emit(busy)

    def _opened(self, journal: object) -> None:
        assert isinstance(journal, Journal)
        self._journal = journal
        log.info("journal unlocked")
        self.recover_button.hide()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._arm_idle()
        self.editor.edit(None)
        self._show_data()
        self.stack.setCurrentWidget(self.unlocked_page)
        self.unlocked.emit()

    # ----- idle lock ----------------------------------------------------------------
    def _arm_idle(self) -> None:
        if self._journal is not None and self._idle.interval() > 0:
            self._idle.start()
        else:
            self._idle.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._journal is not None and self._idle.interval() > 0:
            self._idle.start()
        return False

    def _idle_lock(self) -> None:
        if self._journal is not None and not self._ops:
            self.lock()
            self.lock_status.setText("Locked after a while without activity.")

    # ----- data ---------------------------------------------------------------------
    def _data(self) -> JournalData:
        if self._journal is None:
            raise PmloadError("The journal is locked.")
        return self._journal.data

    def _shares_ready(self) -> None:
        if self._journal is None:
            return
        self.review.show_share((self.shares.shares or {}).get(week_label(date.today())))
        if self.tabs.currentWidget() is self.chart or self.chart.drawn:
            self._draw_chart()

    def _draw_chart(self) -> None:
        if self._journal is None:
            return
        shares = self.shares.shares
        if shares is None:
            self.chart.sentence.setText("Working out your weekly translation shares…")
            self.shares.request()
            return
        self.chart.update_chart(weekly(self._data().entries), shares, self._threshold())

    def _change(self, change: Callable[[JournalData], JournalData]) -> bool:
        """Apply ``change`` to the journal and save; a PmloadError is shown, not raised."""
        if self._journal is None:
            return False
        try:
            self._journal.save(change(self._journal.data))
        except JournalChanged as exc:  # another window or a command saved meanwhile
            text = str(exc)
            try:
                self._journal.reload()  # so that trying again applies the change to that
            except PmloadError as again:
                text = str(again)
            QMessageBox.warning(self, "Journal", text)
            return False
        except PmloadError as exc:
            QMessageBox.warning(self, "Journal", str(exc))
            return False
        self._show_data()
        self.journalChanged.emit()
        self.message.emit("Journal saved.")
        return True

    def _show_data(self) -> None:
        data = self._data()
        today = date.today()
        self.history_model.set_entries(data.entries)
        self.checkins_model.set_checkins(data.checkins)
        latest = {c.instrument: c for c in data.checkins}  # sorted by day: the last wins
        self.checkin_result.setText(
            "\n\n".join(
                f"Latest {c.instrument.upper()} ({c.day}): "
                + score(c.instrument, c.answers).explanation
                for c in latest.values()
            )
            or "No check-ins yet. They take two minutes: use the buttons at the top."
        )
        self.peers.set_peers(data.peers, today)
        notes = []
        calm = sustained_high(data.entries, today)
        if calm:
            notes.append(calm)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        week = week_label(today)
        figures = self._week_figures(week) if self._week_figures else None
        self.review.show_week(
            week,
            figures,
            (self.shares.shares or {}).get(week),
            review_prompt(today),
            data.reviews,
            peer_reminders(data.peers, today),
        )
        self.shares.request()
        if self.tabs.currentWidget() is self.chart or self.chart.drawn:
            self._draw_chart()

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.chart:
            self._draw_chart()

    def _history_selected(self) -> None:
        index = self.history.currentIndex()
        if index.isValid():
            self.editor.edit(self.history_model.entry(self.history_proxy.mapToSource(index).row()))

    def _save_entry(self, entry: Entry) -> None:
        """Save ``entry``; the form then edits that entry, so saving again updates it."""
        if not self._change(lambda d: d.with_entry(entry)):
            return
        for row in range(self.history_proxy.rowCount()):
            source = self.history_proxy.mapToSource(self.history_proxy.index(row, 0))
            if self.history_model.entry(source.row()).id == entry.id:
                self.history.selectRow(row)  # shows it in the form, as a click on it would
                break
        self.editor.edit(entry)

    def _delete_entry(self, entry_id: str) -> None:
        answer = QMessageBox.question(
            self, "Delete entry", "Delete this journal entry? This cannot be undone."
        )
        if answer == QMessageBox.StandardButton.Yes and self._change(
            lambda d: d.without_entry(entry_id)
        ):
            self.editor.edit(None)

    # ----- check-ins ----------------------------------------------------------------
    def start_checkin(self, key: str) -> CheckInDialog:
        """Open the check-in dialog (window-modal); the answers are saved when accepted."""
        dialog = CheckInDialog(instrument(key), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._checked_in(key, dialog.answers()))
        dialog.open()
        return dialog

    def _checked_in(self, key: str, answers: tuple[int, ...]) -> None:
        # The score is shown in the Check-ins tab, never in the window's status bar,
        # where it would stay in sight after leaving the journal.
        if self._change(lambda d: d.with_checkin(CheckIn(date.today(), key, answers))):
            self.tabs.setCurrentIndex(1)
            self.message.emit("Check-in saved.")

    # ----- the journal file ---------------------------------------------------------
    def change_passphrase(self) -> NewPassphraseDialog:
        dialog = NewPassphraseDialog("Change passphrase", ask_current=True, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            journal, path = self._journal, self.paths.journal_file
            current, new = dialog.current.text(), dialog.new.text()
            if journal is None:
                return

            def work() -> None:
                Journal.unlock(path, current)  # proves the current passphrase
                journal.change_passphrase(new)

            self._run(
                work, lambda _: self.message.emit(f"Passphrase changed. {OLD_COPIES}"), "Re-keying…"
            )

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def backup(self) -> None:
        if self._journal is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Back up the journal", str(Path.home() / "pmload-journal-backup.pmj"),
            "pmload journal (*.pmj)",
        )  # fmt: skip
        if not name:
            return
        try:
            self._journal.export(Path(name))
        except PmloadError as exc:
            QMessageBox.warning(self, "Journal", str(exc))
            return
        self.message.emit(f"Encrypted backup written to {name}; it opens with your passphrase.")

    def restore(self) -> PassphraseDialog | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore the journal from a backup", str(Path.home()), "pmload journal (*.pmj)"
        )
        if not name:
            return None
        answer = QMessageBox.question(
            self,
            "Restore",
            "Replace your journal with this backup? Your current journal is kept as "
            "journal.pmj.bak until your next change.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        dialog = PassphraseDialog("Restore", "Type the passphrase the backup was made with.", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            passphrase, path = dialog.edit.text(), self.paths.journal_file
            self.lock()
            self._run(lambda: restore_journal(path, Path(name), passphrase), self._opened,
                      "Restoring…")  # fmt: skip

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def delete(self) -> None:
        answer = QMessageBox.warning(
            self,
            "Delete journal",
            "Delete your journal and its backup copy for good? This cannot be undone. "
            "Backups you saved elsewhere are not touched.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.lock()
        try:
            delete_journal(self.paths.journal_file)
        except PmloadError as exc:
            QMessageBox.warning(self, "Journal", str(exc))
        self._show_locked()
        self.message.emit("The journal was deleted.")
