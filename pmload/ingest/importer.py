"""Import .ics files into the store: each file is one transaction.

First import: split the text into event groups (pmload.ingest.ics_text), parse and
expand them (pmload.ingest.expand), store the rows. Re-import: an unchanged file
(same bytes, same window) is skipped after hashing; otherwise only the event
groups whose raw text changed are parsed and replaced, groups gone from the
file are deleted, and everything else — tags included — stays as it is.

The expansion window is whole days in the user's zone. By default it runs
from the earliest event (but no earlier than 5 years before today) to 26
weeks after today; ``--from/--to`` set it. It is remembered per source, so
re-imports use the same one. A default window keeps its start, but its end
rolls forward so the weeks ahead stay filled: once fewer than 22 weeks remain
after today, the end moves to 26 weeks after today (a full re-expansion,
about once a month for someone who refreshes weekly). An explicit window
never moves.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

from pmload.errors import ImportCancelled, ImportRejected
from pmload.ingest import ics_text
from pmload.ingest.calendar_facts import store_zone_counts, zone_counts
from pmload.ingest.expand import Row, Window
from pmload.ingest.parallel import expand_groups
from pmload.store import now_utc_iso, transaction

log = logging.getLogger(__name__)

# Bump when the rows produced for the same text change, to force a re-expansion.
EXPANSION_VERSION = "1"

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file. ``status``: imported, unchanged or rejected."""

    path: Path
    status: str
    message: str = ""
    events: int = 0
    occurrences: int = 0
    changed_events: int = 0
    removed_events: int = 0
    warnings: tuple[str, ...] = ()
    source_id: int | None = None


@dataclass(slots=True)
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def rejected(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "rejected"]

    @property
    def ok(self) -> bool:
        return not self.rejected


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Expand folders to the *.ics files inside (recursively, sorted)."""
    files: list[Path] = []
    problems: list[FileResult] = []
    for p in paths:
        p = Path(p).expanduser()
        if p.is_dir():
            try:
                found = sorted(
                    q for q in p.rglob("*") if q.suffix.lower() == ".ics" and q.is_file()
                )
            except OSError as exc:
                problems.append(
                    FileResult(p, "rejected", f"cannot read the folder ({exc.strerror or exc}).")
                )
                continue
            if not found:
                problems.append(FileResult(p, "rejected", "the folder holds no .ics files."))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(FileResult(p, "rejected", "no such file or folder."))
    unique: dict[Path, None] = {}
    for f in files:
        unique.setdefault(f.absolute(), None)
    return list(unique), problems


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


def import_paths(
    conn: sqlite3.Connection,
    paths: Sequence[Path],
    zone: ZoneInfo,
    window: tuple[date, date] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import files and folders; see the module docstring. Never raises for bad files."""
    files, problems = collect_files(paths)
    report = ImportReport(list(problems))
    for i, path in enumerate(files):
        if progress is not None:
            progress(i, len(files), str(path))
        if cancelled is not None and cancelled():
            raise ImportCancelled
        report.results.append(
            import_file(conn, path, zone, window, cancelled=cancelled, today=today)
        )
    if progress is not None:
        progress(len(files), len(files), "")
    return report


def refresh_sources(
    conn: sqlite3.Connection,
    zone: ZoneInfo,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> ImportReport:
    """Re-import every file source with its remembered window."""
    rows = conn.execute("SELECT location FROM sources WHERE kind = 'file' ORDER BY id").fetchall()
    return import_paths(conn, [Path(r[0]) for r in rows], zone, None, progress, cancelled, today)


def import_file(
    conn: sqlite3.Connection,
    path: Path,
    zone: ZoneInfo,
    window: tuple[date, date] | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> FileResult:
    """Import one file in one transaction; a bad file is reported, never raised."""
    path = Path(path).absolute()
    try:
        return _import_file(conn, path, zone, window, cancelled, today or date.today())
    except ImportCancelled:
        raise
    except ImportRejected as exc:
        log.info("rejected %s: %s", path, exc)
        return FileResult(path, "rejected", str(exc))
    except MemoryError:
        return FileResult(path, "rejected", "the file is too large to import.")
    except RecursionError:
        return FileResult(path, "rejected", "the file is nested too deeply to be a calendar.")


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > ics_text.MAX_BYTES:
            raise ImportRejected(
                f"the file is too large ({size // 1_000_000} MB) to be a calendar."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportRejected("no such file.") from None
    except IsADirectoryError:
        raise ImportRejected("this is a folder, not a file.") from None
    except PermissionError:
        raise ImportRejected("permission denied.") from None
    except OSError as exc:
        raise ImportRejected(f"cannot read it ({exc.strerror or exc}).") from None


def _import_file(
    conn: sqlite3.Connection,
    path: Path,
    zone: ZoneInfo,
    window: tuple[date, date] | None,
    cancelled: Cancelled | None,
    today: date,
) -> FileResult:
    raw = _read(path)
    content_hash = hashlib.sha256(raw).hexdigest()
    location = str(path)
    src = conn.execute(
        "SELECT id, window_start, window_end, window_explicit, content_hash, tz FROM sources"
        " WHERE kind = 'file' AND location = ?",
        (location,),
    ).fetchone()
    stored_window = (
        (date.fromisoformat(src[1]), date.fromisoformat(src[2])) if src and src[1] else None
    )
    if stored_window is not None and window is None and not src[3]:
        stored_window = rolled_window(stored_window, today)
        window_moved = stored_window[1] != date.fromisoformat(src[2])
    else:
        window_moved = False
    context_key = f"{EXPANSION_VERSION}|{zone.key}"
    if (
        src is not None
        and src[4] == content_hash
        and (window is None or window == stored_window)
        and not window_moved
        and src[5] == context_key
    ):
        counts = conn.execute(
            "SELECT (SELECT COUNT(*) FROM events WHERE source_id = ?),"
            " (SELECT COUNT(*) FROM occurrences WHERE source_id = ?)",
            (src[0], src[0]),
        ).fetchone()
        return FileResult(
            path,
            "unchanged",
            "unchanged since the last import.",
            counts[0],
            counts[1],
            source_id=src[0],
        )

    warnings: list[str] = []
    text = ics_text.decode(raw, warnings)
    split = ics_text.split(text, path.stem)
    warnings.extend(split.warnings)
    if window is not None:
        first, last = window
        explicit = True
    elif stored_window is not None:
        first, last = stored_window
        explicit = bool(src[3])
    else:
        first, last = default_window(split.earliest_start(), today)
        explicit = False
    if last < first:
        raise ImportRejected("the import window ends before it starts.")
    win = Window(first, last, zone)

    # Which groups need parsing: all when the window, zone or time zone table changed.
    stored: dict[str, str] = {}
    full = True
    if src is not None:
        stored = dict(
            conn.execute("SELECT uid, block_hash FROM events WHERE source_id = ?", (src[0],))
        )
        meta = conn.execute(
            "SELECT value FROM meta WHERE key = ?", (f"context:{src[0]}",)
        ).fetchone()
        full = not (
            meta is not None
            and meta[0] == split.context_digest
            and (src[1], src[2]) == (first.isoformat(), last.isoformat())
            and src[5] == context_key
        )
    groups = split.groups
    changed = [g for uid, g in groups.items() if full or stored.get(uid) != g.digest]
    removed = [uid for uid in stored if uid not in groups]

    rows: dict[str, list[Row]] = {}
    if changed:
        rows = expand_groups(split, changed, win, warnings, cancelled)
    if cancelled is not None and cancelled():
        raise ImportCancelled

    now = now_utc_iso()
    occ_total = 0
    with transaction(conn):
        if src is None:
            cur = conn.execute(
                "INSERT INTO sources (kind, location, name, added) VALUES ('file', ?, ?, ?)",
                (location, split.name, now),
            )
            source_id = int(cur.lastrowid or 0)
        else:
            source_id = int(src[0])
        conn.execute(
            "UPDATE sources SET name = ?, window_start = ?, window_end = ?, window_explicit = ?,"
            " content_hash = ?, tz = ?, last_import = ? WHERE id = ?",
            (
                split.name,
                first.isoformat(),
                last.isoformat(),
                int(explicit),
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
        store_zone_counts(conn, source_id, zone_counts(split))
        stale = removed + [g.uid for g in changed if g.uid in stored]
        if full and src is not None:
            conn.execute("DELETE FROM occurrences WHERE source_id = ?", (source_id,))
            conn.execute("DELETE FROM events WHERE source_id = ?", (source_id,))
        else:
            conn.executemany(
                "DELETE FROM occurrences WHERE source_id = ? AND uid = ?",
                ((source_id, u) for u in stale),
            )
            conn.executemany(
                "DELETE FROM events WHERE source_id = ? AND uid = ?",
                ((source_id, u) for u in removed),
            )
        conn.executemany(
            "INSERT OR REPLACE INTO events (source_id, uid, block_hash, title, rrule) VALUES (?, ?, ?, ?, ?)",
            ((source_id, g.uid, g.digest, g.title, int(g.recurs)) for g in changed),
        )
        # in id order: B-tree appends instead of random inserts, twice as fast
        ordered = sorted((r for group_rows in rows.values() for r in group_rows), key=itemgetter(1))
        conn.executemany(
            "INSERT OR REPLACE INTO occurrences (source_id, uid, id, recurrence_id, start_ts, end_ts,"
            " time_kind, start_key, title, organizer, attendees, status, transp)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((source_id, *r) for r in ordered),
        )
        occ_total = conn.execute(
            "SELECT COUNT(*) FROM occurrences WHERE source_id = ?", (source_id,)
        ).fetchone()[0]
    for w in warnings:
        log.warning("%s: %s", path, w)
    return FileResult(
        path,
        "imported",
        "",
        len(groups),
        occ_total,
        len(changed),
        len(removed),
        tuple(dict.fromkeys(warnings)),
        source_id,
    )
