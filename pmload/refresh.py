"""Refresh every source at once: the Friday review's first step.

:func:`refresh_all` runs each kind of source's refresh in turn, each in its own
transactions (an import or a sync is one transaction per file or calendar, as
everywhere), and goes on to the next kind when one fails: a Google account
that needs reconnecting does not stop the calendar files from being read
again. What each did is one :class:`SourceOutcome` with a sentence for the
user; a failure's sentence is the error's own (never a traceback, never a
token or a private URL: the errors of the importer and of the Google client
are written to be shown).

The kinds are the entries of :data:`REFRESHERS`, in order:

* ``files``: every imported calendar file and zip export read again
  (:func:`pmload.ingest.importer.refresh_sources`; unchanged files are skipped
  by their fingerprint);
* ``subscriptions``: every subscribed calendar address fetched again
  (:func:`pmload.ingest.subscriptions.refresh`; an unchanged calendar costs one 304);
* ``google``: the chosen Google calendars synced (:func:`pmload.google.account.sync`),
  only when an account is connected.

A new kind of source adds one :class:`Refresher` to :data:`REFRESHERS` (or
passes its own list): a name, whether there is anything to refresh, and the
function that refreshes it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pmload.errors import ImportCancelled, PmloadError
from pmload.paths import Paths

if TYPE_CHECKING:
    from pmload.ingest.report import ImportReport

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class RefreshContext:
    """What a refresher gets: the home, a connection of its own, the zone, progress, cancel."""

    paths: Paths
    conn: sqlite3.Connection
    zone: ZoneInfo
    progress: Progress | None = None
    cancelled: Cancelled | None = None
    today: date | None = None
    reconnect_how: str | None = None  # how the front end reconnects Google, for its message


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What refreshing one kind of source did."""

    kind: str
    text: str  # one sentence for the user
    changed: bool  # something was added, changed or removed
    failed: bool = False
    added_me: tuple[str, ...] = ()  # addresses added to ``me`` (Google)


@dataclass(frozen=True, slots=True)
class Refresher:
    kind: str
    applies: Callable[[RefreshContext], bool]
    run: Callable[[RefreshContext], SourceOutcome]


@dataclass(frozen=True, slots=True)
class RefreshReport:
    outcomes: tuple[SourceOutcome, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return any(o.changed for o in self.outcomes)

    @property
    def failed(self) -> bool:
        return any(o.failed for o in self.outcomes)

    @property
    def added_me(self) -> tuple[str, ...]:
        return tuple(a for o in self.outcomes for a in o.added_me)

    def text(self) -> str:
        if not self.outcomes:
            return "Nothing to refresh: import a calendar or connect Google Calendar first."
        return " ".join(o.text for o in self.outcomes)


# --- the kinds of source -------------------------------------------------------------


def _has_files(rc: RefreshContext) -> bool:
    row = rc.conn.execute("SELECT 1 FROM sources WHERE kind IN ('file', 'zip') LIMIT 1").fetchone()
    return row is not None


def _outcome(kind: str, report: ImportReport, noun: str, verb: str) -> SourceOutcome:
    """'2 calendar files read again: 1 changed, 1 could not be read.' from an import report.

    The first failure's sentence is added for a subscription, whose failures (not found,
    unauthorised, offline) the user can act on; those mark the kind as failed.
    """
    n = len(report.results)
    imported = sum(1 for r in report.results if r.status == "imported")
    rejected = report.rejected
    parts = [f"{imported} changed" if imported else "none changed"]
    if rejected:
        parts.append(f"{len(rejected)} could not be {verb}")
        if kind == "subscriptions":
            parts[-1] += f" ({rejected[0].message.rstrip('.')})"
    head = f"{n} {noun}{'s' if n != 1 else ''} {verb} again: "
    return SourceOutcome(
        kind,
        head + ", ".join(parts) + ".",
        changed=imported > 0,
        failed=kind == "subscriptions" and bool(rejected),
    )


def _refresh_files(rc: RefreshContext) -> SourceOutcome:
    from pmload.ingest.importer import refresh_sources

    report = refresh_sources(rc.conn, rc.zone, rc.progress, rc.cancelled, rc.today)
    return _outcome("files", report, "calendar file", "read")


def _has_subscriptions(rc: RefreshContext) -> bool:
    from pmload.ingest.subscriptions import KIND

    row = rc.conn.execute("SELECT 1 FROM sources WHERE kind = ? LIMIT 1", (KIND,)).fetchone()
    return row is not None


def _refresh_subscriptions(rc: RefreshContext) -> SourceOutcome:
    from pmload.ingest import subscriptions

    report = subscriptions.refresh(
        rc.conn, rc.paths, rc.zone, progress=rc.progress, cancelled=rc.cancelled, today=rc.today
    )
    return _outcome("subscriptions", report, "subscribed calendar", "fetched")


def _google_connected(rc: RefreshContext) -> bool:
    from pmload.google.tokens import seems_connected

    return seems_connected(rc.conn)


def _refresh_google(rc: RefreshContext) -> SourceOutcome:
    from pmload.google import account
    from pmload.google.errors import ReconnectNeeded
    from pmload.google.sync import describe

    try:
        report = account.sync(
            rc.paths, rc.conn, rc.zone, progress=rc.progress, cancelled=rc.cancelled, today=rc.today
        )
    except ReconnectNeeded:
        if rc.reconnect_how is None:
            raise
        raise ReconnectNeeded(rc.reconnect_how) from None
    changed = any(r.full or r.changed or r.removed for r in report.results)
    text = "Google Calendar synced: " + " ".join(describe(r) for r in report.results)
    return SourceOutcome("google", text, changed=changed, added_me=report.added_me)


REFRESHERS: tuple[Refresher, ...] = (
    Refresher("files", _has_files, _refresh_files),
    Refresher("subscriptions", _has_subscriptions, _refresh_subscriptions),
    Refresher("google", _google_connected, _refresh_google),
)

_KIND_NAMES = {
    "files": "The calendar files",
    "subscriptions": "The subscribed calendars",
    "google": "Google Calendar",
}


def refresh_all(rc: RefreshContext, refreshers: Sequence[Refresher] = REFRESHERS) -> RefreshReport:
    """Refresh every kind of source that has something to refresh (see the module).

    A cancel (``ImportCancelled`` or the Google sync's own) stops everything and is
    raised; any other :class:`PmloadError` of one kind is reported and the next runs.
    """
    from pmload.google.errors import ConnectCancelled, SyncCancelled

    outcomes: list[SourceOutcome] = []
    for r in refreshers:
        if rc.cancelled is not None and rc.cancelled():
            raise ImportCancelled
        if not r.applies(rc):
            continue
        try:
            outcomes.append(r.run(rc))
        except (ImportCancelled, SyncCancelled, ConnectCancelled):
            raise
        except PmloadError as exc:
            log.info("refreshing %s failed (%s)", r.kind, type(exc).__name__)
            name = _KIND_NAMES.get(r.kind, r.kind)
            reason = str(exc).strip().rstrip(".") or type(exc).__name__
            outcomes.append(SourceOutcome(r.kind, f"{name}: {reason}.", False, failed=True))
    return RefreshReport(tuple(outcomes))
