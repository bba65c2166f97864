"""The app's state: one pmload home, its settings, the classified history, the chosen week.

The session calls the same core functions as the CLI (pmload.rules.analysis,
pmload.rules.classify, pmload.config); it holds no business logic of its own.
Heavy work (loading, re-classifying, deleting all data) runs as background ops
(:mod:`pmload_ui.background`), each with a database connection of its own.

The :class:`Analysis` in :attr:`Session.analysis` is never changed once it is
there: a tag, a rules change or a reload builds a new one (tags on the GUI
thread, the rest off it) and swaps it in on the GUI thread, then emits
``reclassified`` or ``loaded``. Views and background jobs (the export preview,
the journal's chart) may therefore read the object they hold from any thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from pmload import store
from pmload.config import Settings, update_rules
from pmload.context import Context
from pmload.errors import PmloadError
from pmload.paths import Paths
from pmload.period import Period, monday_of, today_in
from pmload_ui.background import (
    BACKGROUND_MODULES,
    JOURNAL_MODULES,
    BackgroundOp,
    Job,
    failure_text,
)

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

    from pmload.refresh import RefreshReport
    from pmload.rules.analysis import Analysis
    from pmload.rules.audit import AuditResult
    from pmload.rules.classify import Classified, Tag

log = logging.getLogger(__name__)

T = TypeVar("T")


def read_analysis(database: Path, settings: Settings, zone: ZoneInfo) -> Analysis:
    """All history classified, read through a connection of its own (closed after).

    The analysis keeps no connection: the session writes tags through its own.
    """
    from pmload.rules.analysis import Analysis
    from pmload.rules.classify import load_tags

    with store.connected(database) as conn:
        occurrences = store.load_occurrences(conn, zone)
        tags = load_tags(conn)
    return Analysis(None, settings, zone, occurrences, tags)


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
        reclassified(): a re-classified Analysis replaced the last (tags, rules, people).
        weekChanged(object): the chosen week's Monday (a ``date``).
        settingsChanged(): rules.toml was rewritten.
        busyChanged(bool): background work started or ended.
        deletingChanged(bool): deleting all data started (True) or ended (False);
            while it runs nothing may write to the store.
        message(str): a short status-bar message.
        failed(str): a one-sentence error to show the user.
        dataDeleted(): the user's data is deleted (before deletingChanged(False)).
    """

    loaded = Signal()
    reclassified = Signal()
    weekChanged = Signal(object)
    settingsChanged = Signal()
    busyChanged = Signal(bool)
    deletingChanged = Signal(bool)
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
        self._ops: set[BackgroundOp[Any]] = set()
        # Results of a load or a re-classification started before the latest
        # one (or before all data was deleted) are dropped when they arrive.
        self._load_generation = 0
        self._rules_generation = 0
        self._deleting = False

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
        return bool(self._ops)

    @property
    def deleting(self) -> bool:
        return self._deleting

    def has_data(self) -> bool:
        return bool(self.analysis is not None and self.analysis.occurrences)

    def store_is_empty(self) -> bool:
        row = self.ctx.conn.execute("SELECT 1 FROM occurrences LIMIT 1").fetchone()
        return row is None

    # --- background work ---------------------------------------------------

    def run(self, op: BackgroundOp[T]) -> BackgroundOp[T]:
        """Start ``op`` with the window shown busy; a failure it does not handle goes to
        ``failed`` as one sentence."""
        if not op.handles_failure:
            op.failure(lambda exc: self.failed.emit(failure_text(exc)))
        op.finished(lambda: self._done(op))
        self._ops.add(op)
        if len(self._ops) == 1:
            self.busyChanged.emit(True)
        return op.run_in_background()

    def _done(self, op: BackgroundOp[Any]) -> None:
        self._ops.discard(op)
        if not self._ops:
            self.busyChanged.emit(False)

    # --- loading -----------------------------------------------------------

    def load_now(self) -> None:
        """Load and classify all history in this thread (screenshots, tests)."""
        self._load_generation += 1
        self._set_analysis(read_analysis(self.paths.database, self.settings, self.ctx.zone))

    def load_week_now(self, week: date | None = None) -> None:
        """Load in this thread only what the Week view shows first (screenshots): the
        weeks around ``week`` (default: the week the app opens on), with figures the same
        as the full analysis's (:mod:`pmload.rules.first_screen`)."""
        from pmload.rules.first_screen import read_first_screen

        self._load_generation += 1
        weeks = [week] if week is not None else []
        zone = self.ctx.zone
        self._set_analysis(
            read_first_screen(self.ctx.conn, self.settings, zone, self.today(), weeks)
        )

    def load_async(self, then: Callable[[], None] | None = None) -> None:
        """Load and classify all history in the background, then emit loaded()."""
        database, settings = self.paths.database, self.settings
        try:
            zone = self.ctx.zone
        except PmloadError as exc:
            self.failed.emit(failure_text(exc))
            return
        self._load_generation += 1
        generation = self._load_generation

        # Said only when there is a calendar to load (never on the empty welcome
        # screen), and taken back once it is loaded.
        loading = not self.store_is_empty()

        def done(analysis: Analysis) -> None:
            if generation != self._load_generation:
                return  # a newer load (or a deletion) is on its way
            if loading:
                self.message.emit("")
            self._set_analysis(analysis)
            if analysis.settings is not self.settings:
                self._reclassify(None)  # the rules changed while it loaded
            if then is not None:
                then()

        if loading:
            self.message.emit("Loading your calendar…")
        self.run(
            BackgroundOp(lambda _job: read_analysis(database, settings, zone), self).success(done)
        )

    def _set_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.undo_stack.clear()
        self._week = self.clamp_week(self._week) if self._week_chosen else self.default_week()
        self.loaded.emit()
        self.weekChanged.emit(self._week)

    def today(self) -> date:
        """Today in the user's zone: it decides which week is in progress."""
        return today_in(self.zone_or_utc())

    def default_week(self) -> date:
        """The week in progress when a meeting of it has started, else the last complete
        week with calendar data (the core's), else the week in progress."""
        today = self.today()
        current = monday_of(today)
        if self.analysis is None:
            return current
        zone = self.analysis.zone
        counted = self.analysis.counted_in_week(current)
        if any(c.occ.start.astimezone(zone).date() <= today for c in counted):
            return current
        latest = self.analysis.latest_complete_week(today)
        return latest if latest is not None else current

    # --- the chosen week ---------------------------------------------------

    def week_bounds(self) -> tuple[date, date]:
        """The first and last Mondays week navigation reaches: the first and last weeks
        with calendar data, widened to take in the week in progress."""
        current = monday_of(self.today())
        analysis = self.analysis
        if analysis is None or analysis.first_week is None or analysis.last_week is None:
            return current, current
        return min(analysis.first_week, current), max(analysis.last_week, current)

    def clamp_week(self, monday: date) -> date:
        """``monday``'s week, or the nearest week navigation reaches."""
        first, last = self.week_bounds()
        return min(max(monday_of(monday), first), last)

    def can_step(self, weeks: int) -> bool:
        """Whether stepping ``weeks`` from the chosen week stays within :meth:`week_bounds`."""
        target = self._week + timedelta(weeks=weeks)
        return self.analysis is not None and self.clamp_week(target) == target

    def set_week(self, monday: date) -> None:
        """Show ``monday``'s week; once history is loaded, kept within :meth:`week_bounds`."""
        monday = monday_of(monday)
        if self.analysis is not None:
            monday = self.clamp_week(monday)
        self._week_chosen = True
        if monday != self._week:
            self._week = monday
            self.weekChanged.emit(monday)

    def step_week(self, weeks: int) -> None:
        self.set_week(self._week + timedelta(weeks=weeks))

    def week_result(self, monday: date | None = None) -> AuditResult | None:
        """The core's audit of one week (the chosen one by default) as of today."""
        if self.analysis is None:
            return None
        period = Period.of_weeks(monday if monday is not None else self._week, 1)
        return self.analysis.audit(period, self.today())

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
            changes.setdefault(
                (occ.uid, key),
                TagChange(
                    occurrence_id=oid, uid=occ.uid, start_key=key, before=before, after=category
                ),
            )
        return list(changes.values())

    def apply_tag_changes(self, changes: Sequence[TagChange], undo: bool = False) -> None:
        """Write the ``after`` (or, undoing, the ``before``) state of each change, then swap
        in a copy of the analysis with only the touched series classified again."""
        from pmload.rules.classify import load_tags

        assert self.analysis is not None
        self._write_tags(changes, undo)
        tags = load_tags(self.ctx.conn)
        self.analysis = self.analysis.retagged(tags, (ch.uid for ch in changes))
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

    # --- settings ----------------------------------------------------------

    def update_rules(self, mutate: Callable[[TOMLDocument], None], what: str) -> None:
        """Rewrite rules.toml (comments kept), then re-classify all history."""
        before_zone = self.zone_or_utc().key
        settings = update_rules(self.ctx.paths, mutate)
        self.ctx._settings = settings
        self.ctx._zone = None
        # The zone in use, not the setting: writing down the zone already in use
        # (the system's, say) re-reads nothing and says nothing about a new zone.
        zone_changed = self.zone_or_utc().key != before_zone
        self.settingsChanged.emit()
        if self.analysis is None:
            return
        if zone_changed:
            self.load_async(lambda: self.message.emit(f"{what}: history re-read in the new zone."))
            return
        self._reclassify(f"{what}: all history re-classified.")

    def _reclassify(self, done_message: str | None) -> None:
        """Classify a copy of the analysis under the current settings off the GUI thread,
        then swap it in (again from the newest analysis if tags changed meanwhile)."""
        base, settings = self.analysis, self.settings
        if base is None:
            return
        self._rules_generation += 1
        generation = self._rules_generation

        def done(fresh: Analysis) -> None:
            if generation != self._rules_generation:
                return  # newer rules (or a deletion) came since: their result will do
            if self.analysis is not base:
                self._reclassify(done_message)  # tagged or reloaded meanwhile: start over
                return
            self.analysis = fresh
            self.reclassified.emit()
            if done_message:
                self.message.emit(done_message)

        self.run(BackgroundOp(lambda _job: base.reclassified(settings), self).success(done))

    def refresh_all(
        self,
        done: Callable[[RefreshReport], None],
        failed: Callable[[BaseException], None],
        imports: tuple[str, ...] = (),
    ) -> BackgroundOp[RefreshReport]:
        """Refresh every source (:func:`pmload.refresh.refresh_all`) on a connection of its
        own, then reload the history when anything changed, then ``done(report)``."""
        paths, zone, cli_how = self.paths, self.ctx.zone, "use File › Google Calendar… › Reconnect"

        def work(job: Job) -> RefreshReport:
            from pmload.refresh import RefreshContext, refresh_all

            with store.connected(paths.database) as conn:
                rc = RefreshContext(
                    paths, conn, zone, job.progress, job.cancelled, reconnect_how=cli_how
                )
                return refresh_all(rc)

        def finished(report: RefreshReport) -> None:
            if report.added_me:
                self.ctx.reload_settings()
                self.settingsChanged.emit()
            self.message.emit(report.text())
            if report.changed:
                self.load_async(lambda: done(report))
            else:
                done(report)

        modules = ("pmload.refresh", "pmload.google.errors", "pmload.google.tokens", *imports)
        op = BackgroundOp(work, self, imports=(*BACKGROUND_MODULES, *modules))
        return self.run(op.success(finished).failure(failed))

    def delete_all_data(self) -> None:
        """Empty the store and remove rules.toml and the journal (the user confirmed).

        Runs in the background (VACUUM of a large store takes a while) on a
        connection of its own; ``deletingChanged`` brackets it, and results of
        loads or re-classifications still on their way are dropped.
        """
        if self._deleting:
            return
        from pmload.wipe import delete_all_data

        database, paths = self.paths.database, self.paths
        self._deleting = True
        self._load_generation += 1
        self._rules_generation += 1
        self.undo_stack.clear()
        self.deletingChanged.emit(True)
        self.message.emit("Deleting all your data…")

        def work(_job: Job) -> None:
            with store.connected(database) as conn:
                delete_all_data(conn, paths)

        def done(_result: None) -> None:
            self._deleting = False
            self.ctx.reload_settings()
            self._week_chosen = False
            self.settingsChanged.emit()
            self.dataDeleted.emit()
            self.deletingChanged.emit(False)
            self.load_now()  # the store is empty: nothing to wait for
            self.message.emit("All your data was deleted.")

        def failed(exc: BaseException) -> None:
            self._deleting = False
            self.deletingChanged.emit(False)
            self.failed.emit(failure_text(exc))
            self.load_async()  # show what the store holds now

        op = BackgroundOp(work, self, imports=BACKGROUND_MODULES + JOURNAL_MODULES)
        self.run(op.success(done).failure(failed))
