"""Storing what an import planned (pmload.ingest.plan), inside the importer's transaction.

The source row and its context, then per event group: occurrences and events
rows of the groups (re-)expanded, ``skipped`` rows of the groups that could not
be read (with their hash), and removal of whatever the file no longer holds.
The schema is documented in pmload.store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

from pmload.ingest.ics_text import SplitCalendar
from pmload.ingest.plan import Plan, SourceState
from pmload.ingest.report import SkippedEvent
from pmload.ingest.rows import Row
from pmload.store import now_utc_iso


def write_plan(
    conn: sqlite3.Connection,
    location: str,
    split: SplitCalendar,
    plan: Plan,
    state: SourceState | None,
    rows: Mapping[str, Sequence[Row]],
    skipped: dict[str, SkippedEvent],
    content_hash: str,
    context_key: str,
    kind: str = "file",
) -> tuple[int, int]:
    """Store the plan inside the caller's transaction: (source id, occurrences of the source)."""
    now = now_utc_iso()
    if state is None:
        cur = conn.execute(
            "INSERT INTO sources (kind, location, name, added) VALUES (?, ?, ?, ?)",
            (kind, location, split.name, now),
        )
        source_id = int(cur.lastrowid or 0)
    else:
        source_id = state.source_id
    conn.execute(
        "UPDATE sources SET name = ?, window_start = ?, window_end = ?, window_explicit = ?,"
        " content_hash = ?, tz = ?, last_import = ? WHERE id = ?",
        (
            split.name,
            plan.first.isoformat(),
            plan.last.isoformat(),
            int(plan.explicit),
            content_hash,
            context_key,
            now,
            source_id,
        ),
    )
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (f"context:{source_id}", split.context_digest),
    )
    imported = [g for g in plan.needed if g.uid not in skipped]
    if plan.full and state is not None:
        for table in ("occurrences", "events", "skipped"):
            conn.execute(f"DELETE FROM {table} WHERE source_id = ?", (source_id,))
    elif state is not None:
        stale = plan.removed + [g.uid for g in plan.needed if g.uid in state.events]
        gone = plan.removed + [g.uid for g in plan.needed if g.uid in skipped]
        unskip = plan.removed + [g.uid for g in plan.needed]
        unskip += [uid for uid in state.skipped if uid not in split.groups]
        for table, uids in (("occurrences", stale), ("events", gone), ("skipped", unskip)):
            conn.executemany(
                f"DELETE FROM {table} WHERE source_id = ? AND uid = ?",
                ((source_id, u) for u in uids),
            )
    write_events(conn, source_id, ((g.uid, g.digest, g.title, g.recurs) for g in imported))
    conn.executemany(
        "INSERT OR REPLACE INTO skipped (source_id, uid, block_hash, title, property, reason)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            (source_id, uid, split.groups[uid].digest, s.title, s.prop, s.reason)
            for uid, s in skipped.items()
        ),
    )
    write_occurrences(conn, source_id, (r for g in imported for r in rows.get(g.uid, ())))
    occ_total = conn.execute(
        "SELECT COUNT(*) FROM occurrences WHERE source_id = ?", (source_id,)
    ).fetchone()[0]
    return source_id, int(occ_total)


def write_events(
    conn: sqlite3.Connection, source_id: int, events: Iterable[tuple[str, str, str, bool]]
) -> None:
    """Store (uid, digest, title, recurs) event rows of a source, in the caller's transaction."""
    conn.executemany(
        "INSERT OR REPLACE INTO events (source_id, uid, block_hash, title, rrule) VALUES (?, ?, ?, ?, ?)",
        ((source_id, uid, digest, title, int(recurs)) for uid, digest, title, recurs in events),
    )


def write_occurrences(conn: sqlite3.Connection, source_id: int, rows: Iterable[Row]) -> None:
    """Store occurrence rows of a source (replacing same ids), in the caller's transaction.

    Every calendar source writes its rows through here (pmload.google too).
    """
    # in id order: B-tree appends instead of random inserts, twice as fast
    ordered = sorted(rows, key=itemgetter(1))
    conn.executemany(
        "INSERT OR REPLACE INTO occurrences (source_id, uid, id, recurrence_id, start_ts, end_ts,"
        " time_kind, start_key, title, organizer, attendees, status, transp)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((source_id, *r) for r in ordered),
    )
