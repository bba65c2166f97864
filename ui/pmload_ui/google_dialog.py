"""The Google Calendar dialog: connect with your own OAuth client, choose calendars, sync.

Everything that talks to Google runs off the GUI thread (``Session.run``,
through pmload_ui.google_sync.in_worker): the browser sign-in too, which the
Cancel button stops. The dialog shows the same calendars, with the same
checkmarks, as ``pmload google calendars``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pmload.google.errors import ConnectCancelled, SyncCancelled
from pmload_ui.background import BackgroundOp, Job, failure_text
from pmload_ui.google_sync import GoogleSync, in_worker, preload_google

log = logging.getLogger(__name__)

INTRO = (
    "pmload reads your Google calendars with read-only access, straight from Google to "
    "this computer. It signs in with an OAuth client of your own: a Desktop app client "
    "of a Google Cloud project (the README's “Google Calendar” section shows how). "
    "Choose its JSON file, then sign in in your browser."
)


class GoogleDialog(QDialog):
    """Connect, choose calendars, sync, disconnect.

    Signals:
        connectedChanged(): the account was connected or disconnected.
    """

    connectedChanged = Signal()

    def __init__(self, google: GoogleSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("google-dialog")
        self.setWindowTitle("Google Calendar")
        self.setMinimumWidth(520)
        self.google = google
        self.session = google.session
        self.job: BackgroundOp[Any] | None = None

        # not connected: the client file and the browser sign-in
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.secrets = QLineEdit()
        self.secrets.setPlaceholderText("client_secret_….apps.googleusercontent.com.json")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.secrets, 1)
        row.addWidget(choose)
        self.connect_button = QPushButton("Sign In with Google…")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.start_connect)
        self.cancel_button = QPushButton("Cancel Sign-In")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_job)
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        connect_page = QWidget()
        lay = QVBoxLayout(connect_page)
        lay.addWidget(intro)
        lay.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        lay.addWidget(self.waiting)
        lay.addStretch(1)

        # connected: the calendars, sync, disconnect
        self.account = QLabel()
        self.account.setWordWrap(True)
        self.calendars = QListWidget()
        self.calendars.setObjectName("google-calendars")
        self.use_button = QPushButton("Sync the Checked Calendars")
        self.use_button.clicked.connect(self.use_checked)
        self.sync_button = QPushButton("Sync Now")
        self.sync_button.clicked.connect(lambda: self.google.sync())
        self.on_start = QCheckBox("Sync when pmload starts")
        self.on_start.setChecked(self.google.sync_on_start)
        self.on_start.toggled.connect(self.google.set_sync_on_start)
        self.reconnect_button = QPushButton("Reconnect…")
        self.reconnect_button.setToolTip("Sign in again, e.g. after Google expired the access")
        self.reconnect_button.clicked.connect(self.show_connect_page)
        self.disconnect_button = QPushButton("Disconnect…")
        self.disconnect_button.clicked.connect(self.disconnect_account)
        self.status = QLabel()
        self.status.setWordWrap(True)
        connected_page = QWidget()
        lay = QVBoxLayout(connected_page)
        lay.addWidget(self.account)
        lay.addWidget(QLabel("Calendars to sync:"))
        lay.addWidget(self.calendars, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.use_button)
        actions.addWidget(self.sync_button)
        actions.addStretch(1)
        actions.addWidget(self.reconnect_button)
        actions.addWidget(self.disconnect_button)
        lay.addLayout(actions)
        lay.addWidget(self.on_start)
        lay.addWidget(self.status)

        self.pages = QStackedWidget()
        self.connect_page, self.connected_page = connect_page, connected_page
        self.pages.addWidget(connect_page)
        self.pages.addWidget(connected_page)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        outer.addWidget(close)
        google.stateChanged.connect(self._state_changed)
        self.refresh()

    # --- pages ---------------------------------------------------------------------

    def refresh(self) -> None:
        """The page for the current state; when connected, the calendars are (re)loaded."""
        if not self.google.connected():
            self.pages.setCurrentWidget(self.connect_page)
            return
        self.pages.setCurrentWidget(self.connected_page)
        from pmload.google.tokens import connected_account

        who = connected_account(self.session.ctx.conn) or "your Google account"
        self.account.setText(f"Connected to {who} (read-only).")
        self.load_calendars()

    def show_connect_page(self) -> None:
        self.pages.setCurrentWidget(self.connect_page)

    def _state_changed(self) -> None:
        busy = self.google.running is not None
        self.sync_button.setEnabled(not busy and self.job is None)
        self.use_button.setEnabled(not busy and self.job is None)

    def _run(
        self,
        fn: Callable[[sqlite3.Connection, Job], Any],
        done: Callable[[Any], None],
        progress: Callable[[int, int, str], None] | None = None,
    ) -> BackgroundOp[Any]:
        """Run ``fn(conn, job)`` in the background; failures are shown in one sentence."""
        preload_google()
        db = self.session.paths.database

        def finished(result: Any) -> None:
            self.job = None
            self._state_changed()
            done(result)

        op: BackgroundOp[Any] = BackgroundOp(
            lambda job: in_worker(db, lambda conn: fn(conn, job)), self
        )
        op.success(finished).failure(self._failed)
        if progress is not None:
            op.progress(progress)
        self.job = self.session.run(op)
        self._state_changed()
        return op

    def _failed(self, exc: BaseException) -> None:
        text = failure_text(exc)
        self.job = None
        self.connect_button.setEnabled(True)
        self.cancel_button.setVisible(False)
        self._state_changed()
        sentence = text[:1].upper() + text[1:]
        self.waiting.setText("")
        self.status.setText(sentence)
        if isinstance(exc, SyncCancelled | ConnectCancelled):
            return
        if self.isVisible():
            QMessageBox.warning(self, "Google Calendar", sentence)
        else:  # the dialog was closed meanwhile: the status bar says it
            self.session.message.emit(sentence)

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def reject(self) -> None:
        """Closing stops a sign-in that still waits for the browser."""
        if self.job is not None and self.cancel_button.isVisible():
            self.cancel_job()
        super().reject()

    # --- connecting ------------------------------------------------------------------

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the OAuth Client File", str(Path.home()), "OAuth client (*.json)"
        )
        if name:
            self.secrets.setText(name)

    def start_connect(self) -> None:
        text = self.secrets.text().strip()
        if not text:
            self.waiting.setText("Choose the client file of your Desktop app OAuth client first.")
            return
        from pmload.google import account

        paths, secrets = self.session.paths, Path(text)

        def work(conn: sqlite3.Connection, job: Job) -> Any:
            return account.connect(
                paths,
                conn,
                secrets,
                cancelled=job.cancelled,
                show_url=lambda url, _opened: job.progress(0, 0, url),
            )

        self.connect_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.waiting.setText("Opening your browser…")
        self._run(work, self._connected, self._show_url)

    def _show_url(self, _done: int, _total: int, url: str) -> None:
        self.waiting.setText(
            "Waiting for your answer in the browser. If no browser opened, visit this "
            f"address:\n{url}"
        )

    def _connected(self, result: Any) -> None:
        self.connect_button.setEnabled(True)
        self.cancel_button.setVisible(False)
        self.waiting.setText("")
        if result.added_me:
            self.session.ctx.reload_settings()
            self.session.settingsChanged.emit()
        self.google.set_sync_on_start(True)  # on by default once connected
        self.on_start.setChecked(True)
        self.connectedChanged.emit()
        self.google.stateChanged.emit()
        self.refresh()
        self.google.sync()

    # --- calendars -------------------------------------------------------------------

    def load_calendars(self) -> None:
        from pmload.google import account
        from pmload.google.sync import google_sources

        paths = self.session.paths
        self.calendars.clear()
        self.status.setText("Loading your calendars…")

        def work(conn: sqlite3.Connection, job: Job) -> Any:
            return account.calendars(paths), {s.calendar_id for s in google_sources(conn)}

        self._run(work, self._show_calendars)

    def _show_calendars(self, result: Any) -> None:
        found, synced = result
        self.calendars.clear()
        for cal in found:
            item = QListWidgetItem(cal.name + (" (primary)" if cal.primary else ""))
            item.setData(Qt.ItemDataRole.UserRole, cal.id)
            item.setToolTip(cal.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = cal.id in synced or (not synced and cal.primary)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.calendars.addItem(item)
        self.status.setText("")

    def checked_ids(self) -> list[str]:
        return [
            str(self.calendars.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.calendars.count())
            if self.calendars.item(i).checkState() == Qt.CheckState.Checked
        ]

    def use_checked(self) -> None:
        ids = self.checked_ids()
        if not ids:
            self.status.setText("Check at least one calendar.")
            return
        from pmload.google import account

        paths = self.session.paths

        def work(conn: sqlite3.Connection, job: Job) -> Any:
            return account.use(paths, conn, ids)

        def done(result: Any) -> None:
            _chosen, dropped = result
            gone = "".join(
                f" {s.name} stopped syncing; its meetings left the audit." for s in dropped
            )
            self.status.setText(f"Syncing {len(ids)} calendar{'s' if len(ids) != 1 else ''}.{gone}")
            self.google.sync()

        self._run(work, done)

    # --- disconnecting -------------------------------------------------------------------

    def disconnect_account(self) -> None:
        answer = QMessageBox.question(
            self,
            "Disconnect Google Calendar?",
            "pmload's access will be revoked at Google and its token deleted from this "
            "computer. The meetings already synced stay. Disconnect?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from pmload.google import account

        paths = self.session.paths

        def work(conn: sqlite3.Connection, job: Job) -> Any:
            return account.disconnect(paths, conn)

        def done(reached: Any) -> None:
            self.connectedChanged.emit()
            self.google.stateChanged.emit()
            self.refresh()
            if reached is False:
                QMessageBox.warning(
                    self,
                    "Google Calendar",
                    "The token is deleted here, but Google could not be reached to revoke it; "
                    "remove pmload at https://myaccount.google.com/permissions.",
                )
            else:
                self.session.message.emit("Disconnected from Google Calendar.")

        self._run(work, done)
