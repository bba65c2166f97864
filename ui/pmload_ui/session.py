"""The app's state: one pmload home, its settings, the classified history, the chosen week.

The session calls the same core functions as the CLI (pmload.rules.analysis,
pmload.rules.classify, pmload.config); it holds no business logic of its own.
Heavy work (loading, re-classifying) runs on the thread pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from tomlkit.toml_document import TOMLDocument

from pmload.config import Settings, update_rules
from pmload.context import Context
from pmload.errors import PmloadError
from pmload.paths import Paths
from pmload.period import monday_of, today_in
from pmload_ui import workers

if TYPE_CHECKING:
    from pmload.rules.analysis import Analysis
    from pmload.rules.classify import Classified, Tag

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TagChange:
    """One tag key and its category before and after a change (None = no tag)."""

    occurrence_id: str
    uid: str
    start_key: str  # '' for the whole series
    before: Tag | None
    after: str | None


class Session(QObject):
    """State shared by every view.

    Signals:
        loaded(): a new Analysis is ready (first load, import, zone change).
        reclassified(): categories changed in place (tags, rules, people).
        weekChanged(object): the chosen week's Monday (a ``date``).
        settingsChanged(): rules.toml was rewritten.
        busyChanged(bool): background work started or ended.
        message(str): a short status-bar message.
        failed(str): a one-sentence error to show the user.
        dataDeleted(): the user deleted all their data.
    """

    loaded = Signal()
    reclassified = Signal()
    weekChanged = Signal(object)
    settingsChanged = Signal()
    busyChanged = Signal(bool)
    message = Signal(str)
    failed = Signal(str)
    dataDeleted = Signal()

    def __init__(self, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.analysis: Analysis | None = None
        self.undo_stack = QUndoStack(self)
        self._week: date = monday_of(today_in(self.zone_or_utc()))
        self._week_chosen = False
        self._workers: set[workers.Worker] = set()
        # Held while the Analysis is re-classified (pool thread or GUI thread).
        self._classify_lock = threading.Lock()

    # --- plain accessors ---------------------------------------------------

    @property
    def paths(self) -> Paths:
        return self.ctx.paths

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    def zone_or_utc(self) -> ZoneInfo:
        """The user's zone, or UTC while rules.toml names none that works."""
        try:
            return self.ctx.zone
        except PmloadError:
            return ZoneInfo("UTC")

    @property
    def week(self) -> date:
        return self._week

    @property
    def busy(self) -> bool:
        return bool(self._workers)

    def has_data(self) -> bool:
        return bool(self.analysis is not None and self.analysis.occurrences)

    def store_is_empty(self) -> bool:
        row = self.ctx.conn.execute("SELECT 1 FROM occurrences LIMIT 1").fetchone()
        return row is None

    # --- background work ---------------------------------------------------

    def run(
        self,
        fn: Callable[[workers.Job], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> workers.Worker:
        """Run ``fn`` on the pool; failures go to ``on_failure`` or the failed signal."""
        workers.preload()
        worker = workers.Worker(fn)
        self._workers.add(worker)
        if len(self._workers) == 1:
            self.busyChanged.emit(True)
        if on_success is not None:
            worker.signals.succeeded.connect(on_success)
        worker.signals.failed.connect(on_failure or self.failed.emit)
        if on_progress is not None:
            worker.signals.progress.connect(on_progress)
        worker.signals.finished.connect(lambda: self._done(worker))
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().start(worker)
        return worker

    def _done(self, worker: workers.Worker) -> None:
        self._workers.discard(worker)
        if not self._workers:
            self.busyChanged.emit(False)

    # --- loading -----------------------------------------------------------

    def _load(self) -> Analysis:
        from pmload.rules.analysis import Analysis

        return Analysis.load(self.ctx.conn, self.ctx.settings, self.ctx.zone)

    def load_now(self) -> None:
        """Load and classify all history in this thread (screenshots, tests)."""
        self._set_analysis(self._load())

    def load_async(self, then: Callable[[], None] | None = None) -> None:
        """Load and classify all history in the background, then emit loaded()."""

        def done(result: Any) -> None:
            self._set_analysis(result)
            if then is not None:
                then()

        self.message.emit("Loading your calendar…")
        self.run(lambda job: self._load(), done)

    def _set_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.undo_stack.clear()
        if not self._week_chosen:
            self._week = self.default_week()
        self.loaded.emit()
        self.weekChanged.emit(self._week)

    def default_week(self) -> date:
        """The current week when it has meetings so far, else the last complete week."""
        today = today_in(self.zone_or_utc())
        current = monday_of(today)
        if self.analysis is None:
            return current
        counted = self.analysis.counted_in_week(current)
        if any(c.occ.start.astimezone(self.analysis.zone).date() <= today for c in counted):
            return current
        last = self.analysis.last_week
        if last is not None and last < current - timedelta(weeks=1):
            return last
        return current - timedelta(weeks=1)

    # --- the chosen week ---------------------------------------------------

    def set_week(self, monday: date) -> None:
        monday = monday_of(monday)
        self._week_chosen = True
        if monday != self._week:
            self._week = monday
            self.weekChanged.emit(monday)

    def step_week(self, weeks: int) -> None:
        self.set_week(self._week + timedelta(weeks=weeks))

    def week_meetings(self) -> list[Classified]:
        if self.analysis is None:
            return []
        y, w, _ = self._week.isocalendar()
        return self.analysis.week_meetings(y, w)

    # --- tags ----------------------------------------------------------------

    def plan_tags(
        self, occurrence_ids: Sequence[str], category: str | None, series: bool
    ) -> list[TagChange]:
        """The tag keys a tag (or untag, category None) of these meetings would touch."""
        from pmload.rules.classify import occurrence_start_key

        assert self.analysis is not None
        tags = self.analysis.tags
        changes: dict[tuple[str, str], TagChange] = {}
        for oid in occurrence_ids:
            occ = self.analysis.get(oid).occ
            key = "" if series else occurrence_start_key(occ)
            before = tags.series.get(occ.uid) if series else tags.occurrence.get((occ.uid, key))
            changes.setdefault((occ.uid, key), TagChange(oid, occ.uid, key, before, category))
        return list(changes.values())

    def apply_tag_changes(self, changes: Sequence[TagChange], undo: bool = False) -> None:
        """Write the ``after`` (or, undoing, the ``before``) state of each change."""

        assert self.analysis is not None
        with self._classify_lock:
            self._write_tags(changes, undo)
        self.reclassified.emit()

    def _write_tags(self, changes: Sequence[TagChange], undo: bool) -> None:
        from pmload.rules.classify import remove_tag, set_tag

        assert self.analysis is not None
        conn = self.ctx.conn
        for ch in changes:
            occ = self.analysis.get(ch.occurrence_id).occ
            series = ch.start_key == ""
            if undo:
                if ch.before is None:
                    remove_tag(conn, occ, series=series)
                else:
                    set_tag(conn, occ, ch.before.category, series=series, now=ch.before.tagged_at)
            elif ch.after is None:
                remove_tag(conn, occ, series=series)
            else:
                set_tag(conn, occ, ch.after, series=series)
        self.analysis.tags_changed(ch.uid for ch in changes)

    # --- settings ----------------------------------------------------------

    def update_rules(self, mutate: Callable[[TOMLDocument], None], what: str) -> None:
        """Rewrite rules.toml (comments kept), then re-classify all history."""
        before = self.ctx.settings
        settings = update_rules(self.ctx.paths, mutate)
        self.ctx._settings = settings
        zone_changed = settings.timezone != before.timezone and self.ctx.cli_tz is None
        if zone_changed:
            self.ctx._zone = None
        self.settingsChanged.emit()
        if self.analysis is None:
            return
        if zone_changed:
            self.load_async(lambda: self.message.emit(f"{what}: history re-read in the new zone."))
            return
        analysis = self.analysis

        def work(job: workers.Job) -> None:
            with self._classify_lock:
                analysis.reclassify(settings)

        def done(_result: Any) -> None:
            self.reclassified.emit()
            self.message.emit(f"{what}: all history re-classified.")

        self.run(work, done)

    def delete_all_data(self) -> None:
        """Empty the store and remove rules.toml and the journal (the user confirmed)."""
        from pmload.wipe import delete_all_data

        delete_all_data(self.ctx.conn, self.ctx.paths)
        self.ctx.reload_settings()
        self.undo_stack.clear()
        self._week_chosen = False
        self.settingsChanged.emit()
        self.dataDeleted.emit()
        self._set_analysis(self._load())
