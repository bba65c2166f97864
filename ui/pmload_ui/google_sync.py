"""Google Calendar in the app: syncing in the background, on start, and "synced N minutes ago".

The work is pmload.google.account's, the same functions the CLI calls; this
module only runs them off the GUI thread (through ``Session.run``) and shows
progress. The Connect dialog lives in pmload_ui.google_dialog.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from pmload import store
from pmload.google.errors import ConnectCancelled, SyncCancelled
from pmload_ui.background import BackgroundOp, Job, failure_text, preload
from pmload_ui.session import Session

if TYPE_CHECKING:
    from pmload.google.account import SyncReport

log = logging.getLogger(__name__)

SYNC_ON_START_KEY = "google/syncOnStart"
GUI_RECONNECT = "use File › Google Calendar… › Reconnect"
# What connecting and syncing import; imported on the GUI thread first (see background.preload).
GOOGLE_MODULES = (
    "_strptime",
    "email.utils",
    "http.client",
    "webbrowser",
    "wsgiref.simple_server",
    "tomllib",
    "tomlkit",
    "requests",
    "httplib2",
    "google.auth.exceptions",
    "google.auth.transport.requests",
    "google.oauth2.credentials",
    "google_auth_httplib2",
    "google_auth_oauthlib.flow",
    "oauthlib.oauth2.rfc6749.errors",
    "googleapiclient.discovery",
    "googleapiclient.discovery_cache",
    "googleapiclient.errors",
    "googleapiclient.http",
    "keyring",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "pmload.google.account",
    "pmload.google.auth",
    "pmload.google.client",
    "pmload.google.mapping",
    "pmload.google.sync",
    "pmload.google.tokens",
)


def preload_google() -> None:
    """Import the Google stack (and pick the keyring backend) on the GUI thread."""
    preload(GOOGLE_MODULES)
    try:
        import keyring

        keyring.get_keyring()
    except Exception as exc:  # a broken keyring must not stop the app
        log.info("no keyring backend (%s)", type(exc).__name__)


def synced_ago(last: str | None, now: datetime | None = None) -> str:
    """'synced just now', 'synced 1 minute ago', 'synced 3 hours ago'… ('' when never)."""
    if not last:
        return ""
    try:
        when = datetime.strptime(last, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return ""
    minutes = int(((now or datetime.now(UTC)) - when).total_seconds() // 60)
    if minutes < 1:
        return "synced just now"
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            n = minutes // size
            return f"synced {n} {unit}{'s' if n != 1 else ''} ago"
    return "synced just now"  # pragma: no cover


def in_worker(db: Any, fn: Callable[[sqlite3.Connection], Any]) -> Any:
    """Run ``fn`` with a connection of the worker's own; 'reconnect' worded for the app."""
    from pmload.google.errors import ReconnectNeeded

    with store.connected(db) as conn:
        try:
            return fn(conn)
        except ReconnectNeeded:
            raise ReconnectNeeded(GUI_RECONNECT) from None


class GoogleSync(QObject):
    """Runs Google syncs and keeps the status-bar label ("Google: synced 3 minutes ago").

    Signals:
        synced(object): the SyncReport of a finished sync (the history reloads next).
        stateChanged(): connected, disconnected, or the last sync time changed.
    """

    synced = Signal(object)
    stateChanged = Signal()

    def __init__(self, session: Session, qsettings: QSettings, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.qsettings = qsettings
        self.window = window
        self.progress: QProgressDialog | None = None
        self.running: BackgroundOp[SyncReport] | None = None
        self._started = False
        self.label = QLabel()
        self.label.setObjectName("google-status")
        self.label.setContentsMargins(0, 0, 12, 0)  # apart from the meetings summary
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.refresh_label)
        self._timer.start()
        self.stateChanged.connect(self.refresh_label)
        self.refresh_label()

    # --- state ---------------------------------------------------------------------

    def connected(self) -> bool:
        """As the store remembers it: asking the keyring would block the window's start."""
        from pmload.google.tokens import seems_connected

        return seems_connected(self.session.ctx.conn)

    def last_sync(self) -> str | None:
        row = self.session.ctx.conn.execute(
            "SELECT MAX(last_import) FROM sources WHERE kind = 'google'"
        ).fetchone()
        return str(row[0]) if row and row[0] else None

    @property
    def sync_on_start(self) -> bool:
        return bool(self.qsettings.value(SYNC_ON_START_KEY, True, type=bool))

    def set_sync_on_start(self, on: bool) -> None:
        self.qsettings.setValue(SYNC_ON_START_KEY, on)

    def refresh_label(self) -> None:
        if self.running is not None:
            self.label.setText("Google Calendar: syncing…")
        elif not self.connected():
            self.label.setText("")
        else:
            self.label.setText(
                f"Google Calendar: {synced_ago(self.last_sync()) or 'not synced yet'}"
            )
        self.label.setVisible(bool(self.label.text()))

    # --- syncing ---------------------------------------------------------------------

    def start_once(self) -> None:
        """Sync on start (once per session) when connected and the setting is on."""
        if self._started:
            return
        self._started = True
        if self.sync_on_start and self.connected():
            self.sync(interactive=False)

    def sync(self, interactive: bool = True) -> None:
        """Sync every chosen calendar; interactive: a progress dialog with Cancel."""
        if self.running is not None:
            return
        preload_google()
        from pmload.google import account

        paths, zone, db = self.session.paths, self.session.ctx.zone, self.session.paths.database

        def work(job: Job) -> SyncReport:
            report: SyncReport = in_worker(
                db,
                lambda conn: account.sync(
                    paths, conn, zone, progress=job.progress, cancelled=job.cancelled
                ),
            )
            return report

        if interactive:
            dialog = QProgressDialog("Syncing Google Calendar…", "Cancel", 0, 0, self.window)
            dialog.setObjectName("google-sync-progress")
            dialog.setWindowTitle("Google Calendar")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setMinimumWidth(420)
            self.progress = dialog
        op = BackgroundOp(work, self).success(self._done).progress(self._progressed)
        op.failure(lambda exc: self._failed(exc, interactive))
        self.running = self.session.run(op)
        if self.progress is not None:
            self.progress.canceled.connect(op.cancel)
        self.refresh_label()

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self.progress is None:
            return
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if text:
            self.progress.setLabelText(text)

    def _finish(self) -> None:
        self.running = None
        if self.progress is not None:
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None
        self.stateChanged.emit()

    def _done(self, report: SyncReport) -> None:
        from pmload.google.sync import describe

        self._finish()
        if report.added_me:
            self.session.ctx.reload_settings()
            self.session.settingsChanged.emit()
        lines = [describe(r) for r in report.results]
        self.session.message.emit("Google Calendar synced: " + " ".join(lines))
        self.synced.emit(report)
        self.session.load_async()

    def _failed(self, exc: BaseException, interactive: bool) -> None:
        self._finish()
        text = failure_text(exc)
        sentence = text[:1].upper() + text[1:]
        self.session.message.emit(sentence)
        if interactive and not isinstance(exc, SyncCancelled | ConnectCancelled):
            self.session.failed.emit(sentence)
