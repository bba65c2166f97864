"""Importing calendars from the GUI: file dialogs, a cancellable progress dialog,
the report of rejected files, the sample calendar, calendar subscriptions (subscribe,
refresh on demand and on start), and the first-run questions."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from pmload import store
from pmload.errors import ImportCancelled
from pmload_ui.background import BackgroundOp, Job, failure_text
from pmload_ui.session import Session

if TYPE_CHECKING:
    from pmload.ingest.importer import ImportReport

log = logging.getLogger(__name__)

FIRST_RUN_KEY = "firstRun/asked"
REFRESH_ON_START_KEY = "subscriptions/refreshOnStart"


def report_text(report: ImportReport) -> tuple[str, str]:
    """(summary sentence, rejected files and skipped events, each with its reason)."""
    imported = [r for r in report.results if r.status == "imported"]
    unchanged = [r for r in report.results if r.status == "unchanged"]
    rejected = report.rejected
    parts = []
    if imported:
        occ = sum(r.occurrences for r in imported)
        parts.append(
            f"Imported {len(imported)} file{'s' if len(imported) != 1 else ''} "
            f"({occ:,} occurrences)."
        )
    if unchanged:
        parts.append(
            f"{len(unchanged)} file{'s were' if len(unchanged) != 1 else ' was'} unchanged."
        )
    if rejected:
        parts.append(
            f"{len(rejected)} file{'s were' if len(rejected) != 1 else ' was'} not imported."
        )
    skipped = [(r, s) for r in report.results for s in r.new_skipped]
    if skipped:
        n = len(skipped)
        parts.append(f"{n} event{'s were' if n != 1 else ' was'} skipped (unreadable).")
    lines = [f"• {r.short}: {r.message}" for r in rejected]
    lines += [f"• {r.short}: {r.message}" for r in report.ignored]
    lines += [f"• {r.short}: skipped {s.sentence}" for r, s in skipped]
    return " ".join(parts) or "Nothing to import.", "\n".join(lines)


def _on_own_connection(
    db: Path, work: Callable[[sqlite3.Connection, Job], ImportReport]
) -> Callable[[Job], ImportReport]:
    """``work`` as a background job with a connection of its own (closed after)."""

    def job_work(job: Job) -> ImportReport:
        with store.connected(db) as conn:
            return work(conn, job)

    return job_work


class ImportFlow(QObject):
    """Runs imports in the background with a progress dialog.

    Signals:
        finished(object): the ImportReport of a finished import.
    """

    finished = Signal(object)

    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.progress: QProgressDialog | None = None
        self.last_report: ImportReport | None = None
        self._quiet: BackgroundOp[ImportReport] | None = None
        self._started = False

    # --- entry points ------------------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self.window,
            "Import Calendar Files",
            str(Path.home()),
            "Calendars (*.ics *.zip);;All files (*)",
        )
        if files:
            self.start([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Import a Folder of Calendars", str(Path.home())
        )
        if folder:
            self.start([Path(folder)])

    def start(self, paths: Sequence[Path]) -> None:
        """Import ``paths`` (files or folders) in the background."""
        if self.progress is not None:
            return
        zone = self.session.ctx.zone

        def work(conn: sqlite3.Connection, job: Job) -> ImportReport:
            from pmload.ingest.importer import import_paths

            return import_paths(
                conn, list(paths), zone, progress=job.progress, cancelled=job.cancelled
            )

        self._run(work, "Importing calendars…")

    def refresh(self) -> None:
        """Re-import every calendar file and zip, fetch every subscription (changes only)."""
        if self.progress is not None:
            return
        zone, paths = self.session.ctx.zone, self.session.paths

        def work(conn: sqlite3.Connection, job: Job) -> ImportReport:
            from pmload.ingest import subscriptions
            from pmload.ingest.importer import refresh_sources

            report = refresh_sources(conn, zone, progress=job.progress, cancelled=job.cancelled)
            fetched = subscriptions.refresh(
                conn, paths, zone, progress=job.progress, cancelled=job.cancelled
            )
            report.results.extend(fetched.results)
            return report

        self._run(work, "Re-importing your calendars…")

    def subscribe(self, url: str) -> None:
        """Subscribe to the calendar at ``url``: fetched and imported now, in the background."""
        if self.progress is not None:
            return
        zone, paths = self.session.ctx.zone, self.session.paths

        def work(conn: sqlite3.Connection, job: Job) -> ImportReport:
            from pmload.ingest.importer import ImportReport
            from pmload.ingest.subscriptions import subscribe

            return ImportReport([subscribe(conn, paths, url, zone)])

        self._run(work, "Fetching the calendar…")

    def refresh_subscriptions(
        self, source_ids: Sequence[int] | None = None, quiet: bool = False
    ) -> None:
        """Fetch subscriptions again (those of ``source_ids``, else all).

        ``quiet`` (on start): no progress dialog and no dialog for a failure; the status
        bar says what happened.
        """
        if self.progress is not None or (quiet and self._quiet is not None):
            return
        zone, paths = self.session.ctx.zone, self.session.paths
        ids = None if source_ids is None else list(source_ids)

        def work(conn: sqlite3.Connection, job: Job) -> ImportReport:
            from pmload.ingest import subscriptions

            return subscriptions.refresh(
                conn, paths, zone, ids, progress=job.progress, cancelled=job.cancelled
            )

        if not quiet:
            self._run(work, "Fetching your subscribed calendars…")
            return
        db = self.session.paths.database

        op = (
            BackgroundOp(_on_own_connection(db, work), self)
            .success(self._quiet_done)
            .failure(self._quiet_failed)
        )
        self._quiet = self.session.run(op)

    @property
    def refresh_on_start(self) -> bool:
        qsettings = getattr(self.window, "qsettings", None)
        if qsettings is None:
            return False
        return bool(qsettings.value(REFRESH_ON_START_KEY, True, type=bool))

    def set_refresh_on_start(self, on: bool) -> None:
        qsettings = getattr(self.window, "qsettings", None)
        if qsettings is not None:
            qsettings.setValue(REFRESH_ON_START_KEY, on)

    def start_once(self) -> None:
        """On start (once): fetch the subscriptions again when the setting is on."""
        if self._started:
            return
        self._started = True
        if self.refresh_on_start and self._has_subscriptions():
            self.refresh_subscriptions(quiet=True)

    def _has_subscriptions(self) -> bool:
        """One indexed row read (as Session.store_is_empty): no wait for the window."""
        row = self.session.ctx.conn.execute(
            "SELECT 1 FROM sources WHERE kind = 'url' LIMIT 1"
        ).fetchone()
        return row is not None

    def _quiet_done(self, report: ImportReport) -> None:
        self._quiet = None
        self.last_report = report
        summary, _ = report_text(report)
        if report.rejected:
            first = report.rejected[0]
            summary = f"Subscribed calendar {first.short}: {first.message}"
        self.session.message.emit(summary)
        self.finished.emit(report)
        self.session.load_async()

    def _quiet_failed(self, exc: BaseException) -> None:
        self._quiet = None
        self.session.message.emit(failure_text(exc))

    def install_sample(self) -> None:
        """Install the re-dated sample calendar and its rules, in the background."""
        if self.progress is not None:
            return
        if not self.session.store_is_empty():
            answer = QMessageBox.question(
                self.window,
                "Add the Sample Calendar?",
                "The sample calendar and its people (Alex Rivera at the fictional Northwind) "
                "will be added beside your own data, and its address added to yours. "
                "Add it anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        from pmload.ingest.sample import install_sample

        paths = self.session.paths
        zone = self.session.ctx.zone

        def work(conn: sqlite3.Connection, job: Job) -> ImportReport:
            return install_sample(paths, conn, zone, progress=job.progress)

        self._run(work, "Installing the sample calendar…", sample=True)

    # --- the run ---------------------------------------------------------------------

    def _run(
        self,
        work: Callable[[sqlite3.Connection, Job], ImportReport],
        label: str,
        sample: bool = False,
    ) -> None:
        """Run ``work`` on a worker thread with its own connection to the database."""
        if self.session.deleting:
            self.session.message.emit("Wait until your data is deleted, then import again.")
            return
        db = self.session.paths.database

        job_work = _on_own_connection(db, work)

        dialog = QProgressDialog(label, "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Import")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        self.progress = dialog
        op = (
            BackgroundOp(job_work, self)
            .success(lambda report: self._done(report, sample))
            .failure(self._failed)
            .progress(self._progress)
        )
        dialog.canceled.connect(op.cancel)
        self.session.run(op)

    def _progress(self, done: int, total: int, text: str) -> None:
        if self.progress is None:
            return
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if text:
            name = text if "://" in text else Path(text).name  # a masked address stays whole
            self.progress.setLabelText(f"Importing {name} ({done + 1} of {total})…")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _failed(self, exc: BaseException) -> None:
        """A cancel is said in the status bar; any other failure is shown in a dialog."""
        self._close_progress()
        text = failure_text(exc)
        self.session.message.emit(text)
        if not isinstance(exc, ImportCancelled):
            self.session.failed.emit(text)

    def _done(self, report: ImportReport, sample: bool) -> None:
        self._close_progress()
        self.last_report = report
        summary, details = report_text(report)
        if sample:
            self.session.ctx.reload_settings()
            self.session.settingsChanged.emit()
            summary = "The sample calendar is installed: Alex Rivera, an AI product manager."
        self.session.message.emit(summary)
        if details:
            title = (
                "Some files were not imported" if report.rejected else "Some events were skipped"
            )
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                title,
                f"{summary}\n\n{details}",
                QMessageBox.StandardButton.Ok,
                self.window,
            )
            box.setObjectName("rejected-files")
            box.open()
        self.finished.emit(report)
        # The first-run questions come before the first week is drawn (in their zone).
        self.ask_first_run_questions(then=self.session.load_async)

    # --- first run -------------------------------------------------------------------

    def reset_first_run(self) -> None:
        """Ask the first-run questions again (after all data was deleted)."""
        qsettings = getattr(self.window, "qsettings", None)
        if qsettings is not None:
            qsettings.remove(FIRST_RUN_KEY)

    def ask_first_run_questions(self, then: Callable[[], None] | None = None) -> bool:
        """Once, when the first data is in the store: the user's own addresses and time
        zone. ``then`` runs when they are answered (or cancelled), or at once when there
        is nothing to ask; True when the question is open."""
        window = self.window
        qsettings = getattr(window, "qsettings", None)
        asked = qsettings is None or qsettings.value(FIRST_RUN_KEY, False, type=bool)
        if asked or self.session.store_is_empty():
            if then is not None:
                then()
            return False
        assert qsettings is not None
        qsettings.setValue(FIRST_RUN_KEY, True)
        if self.session.settings.me:
            if then is not None:
                then()
            return False
        from pmload_ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.session, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if then is not None:
            dialog.finished.connect(lambda _result: then())
        dialog.open()
        return True
