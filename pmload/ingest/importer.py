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

One bad event costs only itself: an event group (a UID and its overrides)
that cannot be read, or whose recurrence asks for absurd work
(pmload.ingest.limits), is skipped and reported in ``FileResult.skipped``;
everything else of the file is imported. Skipped groups are stored with
their hash (table ``skipped``) so an unchanged one is not reported as new
by the next import. A file of which no event can be read is rejected and
the store keeps what it had.

Concurrent imports: what an import compares against (the source row and
stored hashes, pmload.ingest.plan) is read again inside its write
transaction (``BEGIN IMMEDIATE``); when another import of the same file
committed meanwhile, the plan is made again from the fresh state and any
group not expanded yet is expanded under the lock. The content hash is of
the bytes that were parsed. An import waits up to ``IMPORT_WAIT_SECONDS``
for the write lock, then says in one sentence that another pmload is busy.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pmload.errors import ImportCancelled, ImportRejected
from pmload.fileread import FileReadError, read_regular_file
from pmload.ingest import ics_text, zipped
from pmload.ingest.apply import write_plan
from pmload.ingest.calendar_facts import store_zone_counts, zone_counts
from pmload.ingest.expand import Row, Window
from pmload.ingest.ics_text import EventGroup, SplitCalendar
from pmload.ingest.limits import OverBudget, Refusal, screen, span_of
from pmload.ingest.parallel import expand_groups
from pmload.ingest.plan import (
    Plan,
    SourceState,
    default_window,
    is_unchanged,
    make_plan,
    read_state,
    rolled_window,
)
from pmload.ingest.report import FileResult, ImportReport, SkippedEvent
from pmload.store import StoreBusy, write_transaction

__all__ = [
    "FileResult",
    "ImportReport",
    "Origin",
    "SkippedEvent",
    "collect_files",
    "default_window",
    "import_bytes",
    "import_file",
    "import_paths",
    "import_zip",
    "refresh_sources",
    "rolled_window",
]

log = logging.getLogger(__name__)

# Bump when the rows produced for the same text change, to force a re-expansion.
# 2: series thinned and capped, UIDs unescaped, VALARMs left out. 3: exact DURATION ends.
EXPANSION_VERSION = "3"

# How long an import waits for another one to release the store.
IMPORT_WAIT_SECONDS = 30.0
BUSY_MESSAGE = "another pmload is importing into this store; try again when it has finished."

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Expand folders to the *.ics files inside (recursively, sorted); a .zip stays a path."""
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
        if zipped.is_zip_path(path):
            report.results.extend(import_zip(conn, path, zone, window, cancelled, today))
            continue
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
    """Re-import every file source, and every zip a source came from, with its window.

    (Subscriptions are fetched again by pmload.ingest.subscriptions.refresh.)
    """
    rows = conn.execute(
        "SELECT kind, location FROM sources WHERE kind IN ('file', 'zip') ORDER BY id"
    ).fetchall()
    paths = [Path(loc) if kind == "file" else zipped.zip_path_of(loc) for kind, loc in rows]
    return import_paths(conn, list(dict.fromkeys(paths)), zone, None, progress, cancelled, today)


def import_zip(
    conn: sqlite3.Connection,
    path: Path,
    zone: ZoneInfo,
    window: tuple[date, date] | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> list[FileResult]:
    """Each .ics inside the zip at ``path`` as a source of its own (pmload.ingest.zipped)."""
    zip_abs = Path(path).absolute()

    def member(raw: bytes, location: str, stem: str) -> FileResult:
        origin = Origin("zip", location, zip_abs, stem, location)
        return import_bytes(conn, raw, origin, zone, window, cancelled, today)

    return zipped.import_zip(zip_abs, member, cancelled)


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
        raw = _read(path)
    except ImportRejected as exc:
        return FileResult(path, "rejected", str(exc))
    return import_bytes(
        conn, raw, Origin("file", str(path), path, path.stem), zone, window, cancelled, today
    )


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the bytes of one calendar came from: the source's kind and key, and how to show it.

    ``kind``/``location`` identify the source row (``file`` and its absolute
    path, ``zip`` and ``<zip path>!<member>``, ``url`` and the key of a
    subscription, never its URL); ``path`` and ``name`` go to the FileResult;
    ``fallback_name`` names the calendar when it has no X-WR-CALNAME.
    """

    kind: str
    location: str
    path: Path
    fallback_name: str
    name: str = ""


def import_bytes(
    conn: sqlite3.Connection,
    raw: bytes,
    origin: Origin,
    zone: ZoneInfo,
    window: tuple[date, date] | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> FileResult:
    """Import one calendar's bytes in one transaction; bad bytes are reported, never raised.

    The path every source takes: a file, a member of a zip, a subscription's download.
    """
    try:
        return _import_bytes(conn, raw, origin, zone, window, cancelled, today or date.today())
    except ImportCancelled:
        raise
    except (ImportRejected, StoreBusy) as exc:
        log.info("%s: rejected (%s)", origin.location, type(exc).__name__)
        return FileResult(origin.path, "rejected", str(exc), name=origin.name)
    except MemoryError:
        return FileResult(
            origin.path, "rejected", "the file is too large to import.", name=origin.name
        )
    except RecursionError:
        return FileResult(
            origin.path,
            "rejected",
            "the file is nested too deeply to be a calendar.",
            name=origin.name,
        )


def _read(path: Path) -> bytes:
    try:
        return read_regular_file(path, ics_text.MAX_BYTES)
    except FileReadError as exc:
        raise ImportRejected(str(exc)) from None


class _Expanded:
    """Rows and refusals of the groups expanded so far for one window (a memo)."""

    def __init__(self, split: SplitCalendar, window: Window, cancelled: Cancelled | None) -> None:
        self.split = split
        self.window = window
        self.cancelled = cancelled
        self.rows: dict[str, list[Row]] = {}
        self.refused: dict[str, Refusal] = {}
        self.done: set[str] = set()
        self.warnings: list[str] = []

    def ensure(self, groups: list[EventGroup]) -> None:
        todo = [g for g in groups if g.uid not in self.done]
        if not todo:
            return
        span = span_of(self.window.first, self.window.last)
        try:
            screened = screen(((g.uid, g.blocks) for g in todo), span)
        except OverBudget as exc:
            raise ImportRejected(
                f"it asks for about {exc.work:,.0f} occurrences in the import window, more than "
                "pmload expands from one file; import a shorter window with --from and --to."
            ) from None
        for r in screened.refused:
            self.refused.setdefault(r.uid, r)
        accepted = set(screened.accepted)
        chosen = [g for g in todo if g.uid in accepted]
        if chosen:
            result = expand_groups(self.split, chosen, self.window, self.warnings, self.cancelled)
            self.rows.update(result.rows)
            for r in result.refused:
                self.refused.setdefault(r.uid, r)
                self.rows.pop(r.uid, None)
        self.done.update(g.uid for g in todo)


def _skipped_events(
    plan: Plan, state: SourceState | None, work: _Expanded
) -> dict[str, SkippedEvent]:
    out: dict[str, SkippedEvent] = {}
    for g in plan.needed:
        r = work.refused.get(g.uid)
        if r is None:
            continue
        before = state.skipped.get(g.uid) if state is not None else None
        known = before is not None and before.block_hash == g.digest
        out[g.uid] = SkippedEvent(g.uid, g.title, r.prop, r.reason, known)
    return out


def _none_readable(groups: dict[str, EventGroup], skipped: dict[str, SkippedEvent]) -> str:
    first = next(iter(skipped.values()))
    if len(groups) == 1:
        return f"its only event cannot be read ({first.label}: {first.reason})."
    return (
        f"none of its {len(groups)} events can be read (the first, {first.label}: {first.reason})."
    )


def _import_bytes(
    conn: sqlite3.Connection,
    raw: bytes,
    origin: Origin,
    zone: ZoneInfo,
    window: tuple[date, date] | None,
    cancelled: Cancelled | None,
    today: date,
) -> FileResult:
    content_hash = hashlib.sha256(raw).hexdigest()  # of the bytes parsed below, read once
    location, kind, path = origin.location, origin.kind, origin.path
    context_key = f"{EXPANSION_VERSION}|{zone.key}"
    state = read_state(conn, location, kind)
    if state is not None and is_unchanged(state, content_hash, window, context_key, today):
        return unchanged_result(conn, origin, state)

    warnings: list[str] = []
    text = ics_text.decode(raw, warnings)
    split = ics_text.split(text, origin.fallback_name)
    warnings.extend(split.warnings)
    plan = make_plan(state, split, window, context_key, today)
    work = _Expanded(split, Window(plan.first, plan.last, zone), cancelled)
    work.ensure(plan.needed)
    if cancelled is not None and cancelled():
        raise ImportCancelled

    with write_transaction(conn, IMPORT_WAIT_SECONDS, BUSY_MESSAGE):
        fresh = read_state(conn, location, kind)
        if fresh != state:  # another import of this file committed meanwhile
            log.info("%s: the store changed during the import; planning again", location)
            state = fresh
            plan = make_plan(state, split, window, context_key, today)
            if (plan.first, plan.last) != (work.window.first, work.window.last):
                work = _Expanded(split, Window(plan.first, plan.last, zone), cancelled)
            work.ensure(plan.needed)
        skipped = _skipped_events(plan, state, work)
        if split.groups and len(skipped) == len(split.groups):
            raise ImportRejected(_none_readable(split.groups, skipped))
        source_id, occ_total = write_plan(
            conn, location, split, plan, state, work.rows, skipped, content_hash, context_key, kind
        )
        store_zone_counts(conn, source_id, zone_counts(split))
    warnings.extend(work.warnings)
    _log_skipped(location, split, skipped)
    if warnings:
        log.info("%s: %d warnings", location, len(warnings))
    changed = [g for g in plan.needed if g.uid not in skipped]
    return FileResult(
        path,
        "imported",
        "",
        len(split.groups) - len(skipped),
        occ_total,
        len(changed),
        len(plan.removed),
        tuple(dict.fromkeys(warnings)),
        source_id,
        tuple(skipped.values()),
        origin.name,
    )


def unchanged_result(conn: sqlite3.Connection, origin: Origin, state: SourceState) -> FileResult:
    """The result of a source whose bytes are those of its last import (nothing parsed)."""
    counts = conn.execute(
        "SELECT (SELECT COUNT(*) FROM events WHERE source_id = ?),"
        " (SELECT COUNT(*) FROM occurrences WHERE source_id = ?)",
        (state.source_id, state.source_id),
    ).fetchone()
    skipped = tuple(
        SkippedEvent(uid, s.title, s.prop, s.reason, known=True) for uid, s in state.skipped.items()
    )
    return FileResult(
        origin.path,
        "unchanged",
        "unchanged since the last import.",
        counts[0],
        counts[1],
        source_id=state.source_id,
        skipped=skipped,
        name=origin.name,
    )


def _log_skipped(path: str, split: SplitCalendar, skipped: dict[str, SkippedEvent]) -> None:
    """Skipped events by position and UID hash only: titles and values stay out of the log."""
    if not skipped:
        return
    position = {uid: i for i, uid in enumerate(split.groups, 1)}
    for uid, s in skipped.items():
        digest = hashlib.sha256(uid.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        log.info(
            "%s: skipped event #%d (uid sha256 %s), property %s%s",
            path,
            position.get(uid, 0),
            digest,
            s.prop or "-",
            " (reported before)" if s.known else "",
        )
