"""What a (re-)import of one file has to do, from what the store holds for that file.

:func:`read_state` reads a source's row, context and stored hashes;
:func:`make_plan` compares them with the file's event groups. The importer
(pmload.ingest.importer) does this once before expanding anything, to
know what to expand, and again inside its write transaction: when another
import of the same file committed in between, the second plan is the one
that is written.

The window rules (default, rolled, explicit) are described in
pmload.ingest.importer.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from pmload.errors import ImportRejected
from pmload.ingest.ics_text import EventGroup, SplitCalendar


@dataclass(frozen=True, slots=True)
class StoredSkip:
    block_hash: str
    title: str
    prop: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceState:
    """Everything an import of one file compares against (None fields: never imported)."""

    source_id: int
    window_start: str | None
    window_end: str | None
    window_explicit: bool
    content_hash: str | None
    context_key: str | None
    context_digest: str | None
    events: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, StoredSkip] = field(default_factory=dict)

    @property
    def stored_window(self) -> tuple[date, date] | None:
        if not self.window_start or not self.window_end:
            return None
        return date.fromisoformat(self.window_start), date.fromisoformat(self.window_end)


def read_state(
    conn: sqlite3.Connection, location: str, kind: str = "file", with_events: bool = True
) -> SourceState | None:
    """The source's state; without ``with_events`` the per-event hashes are left out
    (a subscription answered 304 needs only the row, its window and its skipped events)."""
    src = conn.execute(
        "SELECT id, window_start, window_end, window_explicit, content_hash, tz FROM sources"
        " WHERE kind = ? AND location = ?",
        (kind, location),
    ).fetchone()
    if src is None:
        return None
    meta = conn.execute("SELECT value FROM meta WHERE key = ?", (f"context:{src[0]}",)).fetchone()
    events: dict[str, str] = {}
    if with_events:
        events = dict(
            conn.execute("SELECT uid, block_hash FROM events WHERE source_id = ?", (src[0],))
        )
    skipped = {
        r[0]: StoredSkip(r[1], r[2], r[3], r[4])
        for r in conn.execute(
            "SELECT uid, block_hash, title, property, reason FROM skipped WHERE source_id = ?",
            (src[0],),
        )
    }
    return SourceState(
        int(src[0]),
        src[1],
        src[2],
        bool(src[3]),
        src[4],
        src[5],
        meta[0] if meta else None,
        events,
        skipped,
    )


def default_window(earliest: date | None, today: date) -> tuple[date, date]:
    floor = today - timedelta(days=1826)  # five years
    first = max(earliest, floor) if earliest else floor
    last = today + timedelta(weeks=26)
    return min(first, last), last


def rolled_window(window: tuple[date, date], today: date) -> tuple[date, date]:
    """A default window whose end has come within 22 weeks of today moves to 26 weeks ahead."""
    first, last = window
    if last < today + timedelta(weeks=22):
        return first, today + timedelta(weeks=26)
    return window


def effective_window(
    state: SourceState | None, window: tuple[date, date] | None, today: date
) -> tuple[tuple[date, date] | None, bool]:
    """The stored window as it applies today (rolled when default), and whether it moved."""
    stored = state.stored_window if state is not None else None
    if stored is not None and window is None and state is not None and not state.window_explicit:
        rolled = rolled_window(stored, today)
        return rolled, rolled[1] != stored[1]
    return stored, False


def is_unchanged(
    state: SourceState | None,
    content_hash: str,
    window: tuple[date, date] | None,
    context_key: str,
    today: date,
) -> bool:
    """The same bytes, window and zone as the last import: nothing to do."""
    if state is None:
        return False
    stored, moved = effective_window(state, window, today)
    return (
        state.content_hash == content_hash
        and (window is None or window == stored)
        and not moved
        and state.context_key == context_key
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """The window of this import and the groups to (re-)expand, remove or keep."""

    first: date
    last: date
    explicit: bool
    full: bool
    needed: list[EventGroup]
    removed: list[str]


def make_plan(
    state: SourceState | None,
    split: SplitCalendar,
    window: tuple[date, date] | None,
    context_key: str,
    today: date,
) -> Plan:
    """Which groups need parsing: all when the window, zone or time zone table changed.

    A group skipped before is always parsed again (its reason may depend on the others).
    """
    stored_window, _ = effective_window(state, window, today)
    if window is not None:
        (first, last), explicit = window, True
    elif stored_window is not None and state is not None:
        (first, last), explicit = stored_window, state.window_explicit
    else:
        (first, last), explicit = default_window(split.earliest_start(), today), False
    if last < first:
        raise ImportRejected("the import window ends before it starts.")
    full = state is None or not (
        state.context_digest == split.context_digest
        and (state.window_start, state.window_end) == (first.isoformat(), last.isoformat())
        and state.context_key == context_key
    )
    events = state.events if state is not None else {}
    needed = [g for uid, g in split.groups.items() if full or events.get(uid) != g.digest]
    removed = [uid for uid in events if uid not in split.groups]
    return Plan(first, last, explicit, full, needed, removed)
