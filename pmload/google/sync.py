"""Syncing chosen Google calendars into the store: one transaction per calendar.

Each chosen calendar is a source of kind 'google' (location = calendar id).
The first sync reads events.list with ``singleEvents=true`` over the same
window as an .ics import (pmload.ingest.importer: five years back to 26
weeks ahead, the end rolling forward; or an explicit --from/--to), every
page. It stores the final page's ``nextSyncToken``; later syncs send only
that token (no time bounds, as the API requires) and apply the changes: a
changed event replaces its occurrence, a cancelled one (or one moved out of
the window) removes it. 410 Gone, a moved window or another time zone drop
the token and sync in full. Manual tags live apart (keyed by UID and start),
so they survive every kind of sync.

All pages are read before anything is written, then one transaction writes
the calendar: a network failure, a garbled reply or a cancel leaves that
calendar exactly as it was. Rows go through the importer's writer.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from pmload.google.client import CalendarInfo, Client, FullSyncRequired
from pmload.google.errors import BadReply, SyncCancelled
from pmload.google.mapping import Mapped, map_event, query_bounds
from pmload.ingest.apply import write_events, write_occurrences
from pmload.ingest.expand import Row, Window
from pmload.ingest.importer import default_window, rolled_window
from pmload.store import now_utc_iso, transaction

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class GoogleSource:
    id: int
    calendar_id: str
    name: str
    window: tuple[date, date] | None
    explicit: bool
    sync_token: str | None
    zone_key: str | None
    last_sync: str | None
    occurrences: int


@dataclass(frozen=True, slots=True)
class CalendarResult:
    """What one calendar's sync did. ``full``: the reason for a full sync, '' for incremental."""

    source_id: int
    name: str
    full: str
    occurrences: int
    changed: int
    removed: int
    self_addresses: tuple[str, ...] = ()


def google_sources(conn: sqlite3.Connection) -> list[GoogleSource]:
    rows = conn.execute(
        "SELECT s.id, s.location, s.name, s.window_start, s.window_end, s.window_explicit,"
        " s.sync_token, s.tz, s.last_import,"
        " (SELECT COUNT(*) FROM occurrences o WHERE o.source_id = s.id)"
        " FROM sources s WHERE s.kind = 'google' ORDER BY s.id"
    ).fetchall()
    return [
        GoogleSource(
            r[0],
            r[1],
            r[2],
            (date.fromisoformat(r[3]), date.fromisoformat(r[4])) if r[3] and r[4] else None,
            bool(r[5]),
            r[6],
            r[7],
            r[8],
            r[9],
        )
        for r in rows
    ]


def add_calendar(conn: sqlite3.Connection, calendar: CalendarInfo) -> int:
    """The source of ``calendar`` (created, not yet synced, when it is new)."""
    with transaction(conn):
        conn.execute(
            "INSERT OR IGNORE INTO sources (kind, location, name, added) VALUES ('google', ?, ?, ?)",
            (calendar.id, calendar.name, now_utc_iso()),
        )
        conn.execute(
            "UPDATE sources SET name = ? WHERE kind = 'google' AND location = ?",
            (calendar.name, calendar.id),
        )
        row = conn.execute(
            "SELECT id FROM sources WHERE kind = 'google' AND location = ?", (calendar.id,)
        ).fetchone()
    return int(row[0])


def choose_calendars(
    conn: sqlite3.Connection, chosen: Sequence[CalendarInfo]
) -> list[GoogleSource]:
    """Sync exactly ``chosen`` from now on; the sources dropped (their rows removed, tags kept)."""
    keep = {c.id for c in chosen}
    dropped = [s for s in google_sources(conn) if s.calendar_id not in keep]
    for calendar in chosen:
        add_calendar(conn, calendar)
    with transaction(conn):
        conn.executemany("DELETE FROM sources WHERE id = ?", ((s.id,) for s in dropped))
    return dropped


def _window(
    source: GoogleSource, window: tuple[date, date] | None, today: date
) -> tuple[tuple[date, date], bool]:
    """The window of this sync and whether it is explicit (the importer's rules)."""
    if window is not None:
        return window, True
    if source.window is not None:
        if source.explicit:
            return source.window, True
        return rolled_window(source.window, today), False
    return default_window(None, today), False


def _read(
    client: Client,
    source: GoogleSource,
    win: Window,
    token: str | None,
    progress: Progress | None,
    step: tuple[int, int],
) -> tuple[list[Mapped], str | None]:
    mapped: list[Mapped] = []
    new_token: str | None = None
    time_min, time_max = query_bounds(win)
    pages = client.event_pages(
        source.calendar_id,
        sync_token=token,
        time_min=None if token else time_min,
        time_max=None if token else time_max,
    )
    read = 0
    for page in pages:
        for item in page.items:
            if isinstance(item, dict) and (m := map_event(item, win)) is not None:
                mapped.append(m)
        read += len(page.items)
        new_token = page.sync_token
        if progress is not None:
            progress(step[0], step[1], f"{source.name}: {read:,} events read")
    return mapped, new_token


def sync_calendar(
    conn: sqlite3.Connection,
    client: Client,
    source: GoogleSource,
    zone: ZoneInfo,
    window: tuple[date, date] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    step: tuple[int, int] = (0, 1),
) -> CalendarResult:
    """Sync one calendar (module docstring); raises with nothing written on any failure."""
    (first, last), explicit = _window(source, window, today or date.today())
    win = Window(first, last, zone)
    full = ""
    if source.sync_token is None:
        full = "first sync" if source.last_sync is None else "full sync"
    elif source.window != (first, last):
        full = "the window moved"
    elif source.zone_key != zone.key:
        full = "the time zone changed"
    mapped: list[Mapped] = []
    token: str | None = None
    if not full:
        try:
            mapped, token = _read(client, source, win, source.sync_token, progress, step)
        except FullSyncRequired:
            full = "Google asked for a full sync"
    if full:
        try:
            mapped, token = _read(client, source, win, None, progress, step)
        except FullSyncRequired:  # 410 without a token: not expected, but one sentence
            raise BadReply from None
    if cancelled is not None and cancelled():
        raise SyncCancelled
    with transaction(conn):
        if full:
            changed, removed = _write_full(conn, source.id, mapped)
        else:
            changed, removed = _write_changes(conn, source.id, mapped)
        conn.execute(
            "UPDATE sources SET window_start = ?, window_end = ?, window_explicit = ?,"
            " sync_token = ?, tz = ?, last_import = ? WHERE id = ?",
            (
                first.isoformat(),
                last.isoformat(),
                int(explicit),
                token,
                zone.key,
                now_utc_iso(),
                source.id,
            ),
        )
        total = conn.execute(
            "SELECT COUNT(*) FROM occurrences WHERE source_id = ?", (source.id,)
        ).fetchone()[0]
    mine = tuple(dict.fromkeys(a for m in mapped for a in m.self_addresses))
    return CalendarResult(source.id, source.name, full, total, changed, removed, mine)


def _latest(mapped: Sequence[Mapped]) -> dict[str, Mapped]:
    """The last word on each event id (a feed may mention an event twice)."""
    out: dict[str, Mapped] = {}
    for m in mapped:
        out.pop(m.event_id, None)
        out[m.event_id] = m
    return out


def _store(conn: sqlite3.Connection, source_id: int, events: Sequence[Mapped]) -> None:
    rows: list[Row] = [m.row for m in events if m.row is not None]
    write_occurrences(conn, source_id, rows)
    conn.executemany(
        "INSERT OR REPLACE INTO google_events (source_id, event_id, series_id, occurrence_id)"
        " VALUES (?, ?, ?, ?)",
        ((source_id, m.event_id, m.series_id, m.row.id) for m in events if m.row is not None),
    )
    conn.executemany(
        "UPDATE occurrences SET event_type = ? WHERE source_id = ? AND id = ?",
        ((m.event_type, source_id, m.row.id) for m in events if m.row is not None and m.event_type),
    )


def _write_full(
    conn: sqlite3.Connection, source_id: int, mapped: Sequence[Mapped]
) -> tuple[int, int]:
    before = conn.execute(
        "SELECT COUNT(*) FROM occurrences WHERE source_id = ?", (source_id,)
    ).fetchone()[0]
    for table in ("google_events", "occurrences", "events"):
        conn.execute(f"DELETE FROM {table} WHERE source_id = ?", (source_id,))
    events = [m for m in _latest(mapped).values() if m.row is not None]
    _store(conn, source_id, events)
    series: dict[str, tuple[str, bool]] = {}
    for m in events:
        assert m.row is not None
        title, recurs = series.get(m.row.uid, (m.row.title, False))
        series[m.row[0]] = (title, recurs or m.series_id is not None)
    write_events(conn, source_id, ((uid, "", t, r) for uid, (t, r) in series.items()))
    after = conn.execute(
        "SELECT COUNT(*) FROM occurrences WHERE source_id = ?", (source_id,)
    ).fetchone()[0]
    return after, max(0, before - after)


def _write_changes(
    conn: sqlite3.Connection, source_id: int, mapped: Sequence[Mapped]
) -> tuple[int, int]:
    latest = _latest(mapped)
    touched: set[str] = set()
    stale: list[tuple[str, str]] = []  # (occurrence id, uid) no longer given by an event
    removed = 0
    for m in latest.values():
        # the event itself; when a cancelled id is a series, all its instances too
        keys = [("event_id", m.event_id)] + ([("series_id", m.event_id)] if m.cancelled else [])
        olds = []
        for column, value in keys:  # one indexed query each (an OR would scan the table)
            olds += conn.execute(
                "SELECT g.occurrence_id, o.uid FROM google_events g LEFT JOIN occurrences o"
                " ON o.source_id = g.source_id AND o.id = g.occurrence_id"
                f" WHERE g.source_id = ? AND g.{column} = ?",
                (source_id, value),
            ).fetchall()
            conn.execute(
                f"DELETE FROM google_events WHERE source_id = ? AND {column} = ?",
                (source_id, value),
            )
        stale.extend((oid, uid) for oid, uid in olds if uid is not None)
        if m.row is None and olds:
            removed += len(olds)
    for oid, uid in stale:
        touched.add(uid)
        conn.execute(
            "DELETE FROM occurrences WHERE source_id = ? AND id = ? AND NOT EXISTS"
            " (SELECT 1 FROM google_events g WHERE g.source_id = ? AND g.occurrence_id = ?)",
            (source_id, oid, source_id, oid),
        )
    events = [m for m in latest.values() if m.row is not None]
    _store(conn, source_id, events)
    touched.update(m.row[0] for m in events if m.row is not None)
    for uid in touched:
        title, count = conn.execute(
            "SELECT MIN(title), COUNT(*) FROM occurrences WHERE source_id = ? AND uid = ?",
            (source_id, uid),
        ).fetchone()
        if count:
            write_events(conn, source_id, [(uid, "", title or "", count > 1)])
        else:
            conn.execute("DELETE FROM events WHERE source_id = ? AND uid = ?", (source_id, uid))
    return len(events), removed


def describe(result: CalendarResult) -> str:
    """One line for the user about one calendar's sync."""
    if result.full:
        return f"{result.name}: {result.occurrences:,} occurrences ({result.full})."
    if not result.changed and not result.removed:
        return f"{result.name}: unchanged ({result.occurrences:,} occurrences)."
    return (
        f"{result.name}: {result.changed} changed, {result.removed} removed "
        f"({result.occurrences:,} occurrences)."
    )
