"""The local store: one SQLite database (``data/pmload.sqlite3``).

Schema (version kept in ``PRAGMA user_version``; one migration step per version
in ``_MIGRATIONS``; WAL journal; every import is one transaction):

``sources``      a calendar source.
    id            INTEGER PRIMARY KEY
    kind          'file' | 'zip' | 'url' | 'google'
    location      file path (absolute); for 'zip' ``<zip path>!<member>``; for 'url'
                  ``sha256:<hex>`` of the subscribed address (never the address);
                  or the Google calendar id. UNIQUE with kind
    name          display name (X-WR-CALNAME or file name)
    window_start  first day of the expansion window (ISO date, user's zone)
    window_end    last day of the window, inclusive (ISO date)
    window_explicit 1 when the user gave --from/--to, 0 for the default window
    content_hash  SHA-256 of the bytes last imported (skip unchanged files)
    tz            the zone floating times were read in (informational)
    last_import   UTC ISO timestamp of the last successful import (Google: sync)
    added         UTC ISO timestamp
    sync_token    Google only: the nextSyncToken of the last sync (NULL: the
                  next sync is a full one)
    url_masked    'url' only (schema 5): the address as shown, scheme and host and "…"
    url_secret    'url' only: the full address when no system keyring works (else NULL:
                  it is in the keyring, see pmload.ingest.subscriptions)
    etag, last_modified  'url' only: the validators of the last download (conditional GET)
    last_checked  'url' only: UTC ISO timestamp of the last successful fetch (a 304 too)

``events``       one row per UID in a source: all VEVENT blocks with that UID
                 (master plus RECURRENCE-ID overrides) form one group.
    source_id, uid  PRIMARY KEY
    block_hash    SHA-256 of the group's raw VEVENT text (changed groups only
                  are parsed again on re-import)
    title         summary of the master (or first) block
    rrule         1 when the group recurs

``occurrences``  the expanded occurrences, everything later features need.
    source_id, id PRIMARY KEY (id = occurrence_id(uid, start_key), see model)
    uid, recurrence_id (ISO text as written, may be wrong for THISANDFUTURE:
                  identity never relies on it)
    start_ts, end_ts  REAL epoch seconds; UTC instants for time_kind 'utc',
                  naive wall-clock read as UTC for 'floating' and 'date'
    time_kind     'utc' | 'floating' | 'date'
    start_key     text form of the start used in ids and tag keys
    title, organizer (normalised address or CN)
    attendees     JSON: [[key, cn, partstat, cutype, role], ...]
    status        STATUS (upper case) or NULL; transp: TRANSP or NULL
    event_type    what the calendar says the entry is when it is not an
                  ordinary event: 'focus-time', 'out-of-office',
                  'working-location' or 'birthday' (Google's eventType, as
                  an Exclusion word); NULL otherwise

``google_events`` Google only: which occurrence each Google event id gave, so
                 an incremental sync can move or remove it (a change may carry
                 only the id). With singleEvents each instance has its own id.
    source_id, event_id  PRIMARY KEY
    series_id     recurringEventId of an instance, else NULL
    occurrence_id the row in ``occurrences`` (same source)

``tags``         manual categories, keyed so they survive re-imports.
    uid, start_key  start_key '' means the whole series (all occurrences of uid)
    category      translation | coordination | strategy
    tagged_at     UTC ISO timestamp
    PRIMARY KEY (uid, start_key)

``skipped``      event groups of a source that could not be imported (schema 2).
    source_id, uid  PRIMARY KEY
    block_hash    SHA-256 of the group's raw text (the same text is not reported twice)
    title         summary of the group, as in ``events``
    property      the property at fault (RRULE, DTSTART…) or ''
    reason        what is wrong, a clause shown to the user

``notes``        the user's own words on a meeting or a series (schema 4), keyed like
                 ``tags`` so they survive re-imports; never logged, never exported
                 unless the user asks (``--include-notes``).
    uid, start_key  start_key '' means the whole series
    text          the note (at most 2000 characters, one paragraph or a few lines)
    noted_at      UTC ISO timestamp
    PRIMARY KEY (uid, start_key)

``asks``         the "My asks" of a brief, remembered per period (schema 4), so the
                 next brief can say what was asked last time and what changed since.
    period_end    the ISO date of the period's last Sunday; PRIMARY KEY
    period_start  the ISO date of its first Monday
    asks          JSON list of bullet lines, as the user edited them
    share, share_high, verdict  the period's translation share (its range) and
                  verdict when the brief was made; NULL when it had no complete week
                  with calendar data
    week          the label of the period's last complete week ("2026-W08") or ''
    saved_at      UTC ISO timestamp

``meta``         key/value pairs for small bookkeeping: ``context:<source id>`` (the
                 importer's time zone table digest), ``zones:<source id>`` (events
                 per time zone, see :mod:`pmload.ingest.calendar_facts`).

Concurrency: every write is one ``BEGIN IMMEDIATE`` transaction, and an
import reads the state it compares against inside its write transaction
(see pmload.ingest.importer), so two imports of the same file serialise.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pmload.errors import PmloadError
from pmload.fileio import PRIVATE_DIR, PRIVATE_FILE, tighten
from pmload.model import TIME_UTC, Attendee, Occurrence, attendees_from_json, resolve_local

SCHEMA_VERSION = 5
# SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN: the file or its folder cannot be written.
_READ_ONLY = frozenset({3, 8, 14})

_V1 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'file',
    location TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    window_start TEXT,
    window_end TEXT,
    window_explicit INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT,
    tz TEXT,
    last_import TEXT,
    added TEXT NOT NULL,
    UNIQUE (kind, location)
);
CREATE TABLE events (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    block_hash TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    rrule INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, uid)
) WITHOUT ROWID;
CREATE TABLE occurrences (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    uid TEXT NOT NULL,
    recurrence_id TEXT,
    start_ts REAL NOT NULL,
    end_ts REAL NOT NULL,
    time_kind TEXT NOT NULL,
    start_key TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    organizer TEXT,
    attendees TEXT NOT NULL DEFAULT '[]',
    status TEXT,
    transp TEXT,
    PRIMARY KEY (source_id, id)
) WITHOUT ROWID;
CREATE INDEX occurrences_uid ON occurrences (source_id, uid);
CREATE INDEX occurrences_start ON occurrences (start_ts);
CREATE TABLE tags (
    uid TEXT NOT NULL,
    start_key TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    tagged_at TEXT NOT NULL,
    PRIMARY KEY (uid, start_key)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
"""

# Google Calendar sources (pmload.google): the sync token, the event kind and
# the event-id map. A step of its own, so it can be renumbered beside others.
_GOOGLE_SOURCES = """
ALTER TABLE sources ADD COLUMN sync_token TEXT;
ALTER TABLE occurrences ADD COLUMN event_type TEXT;
CREATE TABLE google_events (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    series_id TEXT,
    occurrence_id TEXT NOT NULL,
    PRIMARY KEY (source_id, event_id)
) WITHOUT ROWID;
CREATE INDEX google_events_series ON google_events (source_id, series_id);
CREATE INDEX google_events_occurrence ON google_events (source_id, occurrence_id);
"""


# Events that could not be read, by hash, so an unchanged one is named once (ingest).
_SKIPPED_EVENTS = """
CREATE TABLE skipped (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    block_hash TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    property TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    PRIMARY KEY (source_id, uid)
) WITHOUT ROWID;
"""

# The user's own words: notes on meetings and series, the asks of each brief.
_NOTES_AND_ASKS = """
CREATE TABLE notes (
    uid TEXT NOT NULL,
    start_key TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    noted_at TEXT NOT NULL,
    PRIMARY KEY (uid, start_key)
) WITHOUT ROWID;
CREATE TABLE asks (
    period_end TEXT PRIMARY KEY,
    period_start TEXT NOT NULL,
    asks TEXT NOT NULL DEFAULT '[]',
    share REAL,
    share_high REAL,
    verdict TEXT,
    week TEXT NOT NULL DEFAULT '',
    saved_at TEXT NOT NULL
) WITHOUT ROWID;
"""

# Calendar subscriptions (pmload.ingest.subscriptions): the masked and (without a keyring)
# full address, and the validators of the last download.
_SUBSCRIPTIONS = """
ALTER TABLE sources ADD COLUMN url_masked TEXT;
ALTER TABLE sources ADD COLUMN url_secret TEXT;
ALTER TABLE sources ADD COLUMN etag TEXT;
ALTER TABLE sources ADD COLUMN last_modified TEXT;
ALTER TABLE sources ADD COLUMN last_checked TEXT;
"""

_MIGRATIONS: dict[int, str] = {
    1: _V1,
    2: _GOOGLE_SOURCES,
    3: _SKIPPED_EVENTS,
    4: _NOTES_AND_ASKS,
    5: _SUBSCRIPTIONS,
}


class StoreError(PmloadError):
    """The database cannot be opened or is newer than this pmload."""


def read_only_message(data_dir: Path) -> str:
    return f"pmload cannot write to its data folder {data_dir}."


def is_read_only(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying the database or its folder cannot be written."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.Error) and isinstance(code, int) and code & 0xFF in _READ_ONLY


def _writable(path: Path) -> bool:
    kw = {"effective_ids": True} if os.access in os.supports_effective_ids else {}
    folder = os.access(path.parent, os.W_OK | os.X_OK, **kw)
    return folder and (not path.exists() or os.access(path, os.W_OK, **kw))


def _database_files(path: Path) -> tuple[Path, Path, Path]:
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


class StoreBusy(PmloadError):
    """Another process held the write lock for longer than we were willing to wait."""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the database at ``path``.

    The database and its -wal and -shm files are private to the user (0600:
    a new database is created so, SQLite gives its journals the same mode,
    and older ones lose their group and other bits here).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if not _writable(path):
        raise StoreError(read_only_message(path.parent))
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    except OSError:
        raise StoreError(read_only_message(path.parent)) from None
    try:
        conn = _open(path)
    except sqlite3.DatabaseError as exc:
        if is_read_only(exc):
            raise StoreError(read_only_message(path.parent)) from None
        raise StoreError(f"the database {path} cannot be opened ({exc}).") from None
    for file in _database_files(path):
        tighten(file)
    return conn


@contextmanager
def connected(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection of its own for one piece of work (a worker thread's), closed after."""
    conn = connect(path)
    try:
        yield conn
    finally:
        conn.close()


def _open(path: Path) -> sqlite3.Connection:
    """Connect, switch to WAL and migrate, waiting while another process does the same.

    Switching a new database to WAL needs a lock for which SQLite does not always
    call its busy handler (two processes opening one new store at once), so a
    busy answer is retried here for up to the same 5 seconds.
    """
    deadline = time.monotonic() + 5.0
    while True:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            _migrate(conn)
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        except BaseException:
            conn.close()
            raise


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    with transaction(conn):
        # again under the write lock: two processes opening a new store at once migrate once
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the database was written by a newer pmload (schema {version}); please upgrade."
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def write_transaction(
    conn: sqlite3.Connection, wait_seconds: float, busy_message: str
) -> Iterator[sqlite3.Connection]:
    """:func:`transaction`, waiting up to ``wait_seconds`` for the write lock.

    When another process keeps the lock longer, :class:`StoreBusy` carries
    ``busy_message`` (one sentence) instead of SQLite's "database is locked".
    """
    previous = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {max(0, int(wait_seconds * 1000))}")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy(busy_message) from None
            raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(previous)}")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.execute("ROLLBACK")
        if _is_busy(exc):
            raise StoreBusy(busy_message) from None
        raise


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    kind: str
    location: str
    name: str
    window_start: date | None
    window_end: date | None
    window_explicit: bool
    content_hash: str | None
    last_import: str | None
    events: int = 0
    occurrences: int = 0
    skipped: int = 0
    url_masked: str | None = None
    last_checked: str | None = None

    @property
    def shown(self) -> str:
        """The source as listed: a path, ``zip!member``, a masked address, a calendar id."""
        return (self.url_masked or "…") if self.kind == "url" else self.location


def list_sources(conn: sqlite3.Connection) -> list[Source]:
    rows = conn.execute(
        """SELECT s.id, s.kind, s.location, s.name, s.window_start, s.window_end,
                  s.window_explicit, s.content_hash, s.last_import,
                  (SELECT COUNT(*) FROM events e WHERE e.source_id = s.id),
                  (SELECT COUNT(*) FROM occurrences o WHERE o.source_id = s.id),
                  (SELECT COUNT(*) FROM skipped k WHERE k.source_id = s.id),
                  s.url_masked, s.last_checked
           FROM sources s ORDER BY s.id"""
    ).fetchall()
    return [
        Source(
            r[0],
            r[1],
            r[2],
            r[3],
            date.fromisoformat(r[4]) if r[4] else None,
            date.fromisoformat(r[5]) if r[5] else None,
            bool(r[6]),
            r[7],
            r[8],
            r[9],
            r[10],
            r[11],
            r[12],
            r[13],
        )
        for r in rows
    ]


def remove_source(conn: sqlite3.Connection, source_id: int) -> bool:
    with transaction(conn):
        cur = conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
    return cur.rowcount > 0


def load_occurrences(
    conn: sqlite3.Connection,
    zone: ZoneInfo,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Occurrence]:
    """All stored occurrences (deduplicated by id across sources), sorted by start.

    ``start``/``end`` (aware) restrict to occurrences starting in [start, end).
    Floating and all-day values are placed in ``zone``. The filter is applied
    with a day of slack in SQL and exactly in Python, since floating values
    are stored as wall-clock times.
    """
    sql = (
        "SELECT id, source_id, uid, recurrence_id, start_ts, end_ts, time_kind, title,"
        " organizer, attendees, status, transp, event_type FROM occurrences"
    )
    args: list[float] = []
    clauses = []
    slack = 86400 * 2
    if start is not None:
        clauses.append("start_ts >= ?")
        args.append(start.timestamp() - slack)
    if end is not None:
        clauses.append("start_ts < ?")
        args.append(end.timestamp() + slack)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY source_id"
    seen: set[str] = set()
    people_cache: dict[str, tuple[Attendee, ...]] = {}
    out: list[Occurrence] = []
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    naive_epoch = datetime(1970, 1, 1)
    for row in conn.execute(sql, args):
        oid = row[0]
        if oid in seen:
            continue
        seen.add(oid)
        kind = row[6]
        att_text = row[9]
        people = people_cache.get(att_text)
        if people is None:
            people = people_cache[att_text] = attendees_from_json(att_text)
        if kind == TIME_UTC:
            s = epoch + timedelta(seconds=row[4])
            e = epoch + timedelta(seconds=row[5])
            sl = el = None
        else:
            s = resolve_local(row[4], zone)
            e = resolve_local(row[5], zone)
            sl = naive_epoch + timedelta(seconds=row[4])
            el = naive_epoch + timedelta(seconds=row[5])
        if start is not None and s < start:
            continue
        if end is not None and s >= end:
            continue
        out.append(
            Occurrence(
                oid,
                row[1],
                row[2],
                row[3],
                s,
                e,
                kind,
                row[7],
                row[8],
                people,
                row[10],
                row[11],
                sl,
                el,
                row[12],
            )
        )
    out.sort(key=lambda o: (o.start, o.id))
    return out


def now_utc_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
