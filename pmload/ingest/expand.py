"""Expand parsed event groups with recurring-ical-events into rows for the store.

Produces plain rows for the ``occurrences`` table (see pmload.store). Identity
is (UID, start) — never RECURRENCE-ID, which recurring-ical-events reports
wrongly for RANGE=THISANDFUTURE instances (its issue 222).

Everything here is per event group, never per file: a group that cannot be
read or expanded comes back as a :class:`~pmload.ingest.limits.Refusal`
(pmload.ingest.isolate), hostile rules are thinned or refused before
expansion and every series is capped after it (pmload.ingest.thinning), and
DURATION ends are exact (pmload.ingest.durations). Two events that share a
UID but not a start are both kept, as (UID, start) identity allows; the
library would keep only one of them.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pmload.errors import ImportCancelled, ImportRejected
from pmload.ingest.durations import exact_end, exact_fix
from pmload.ingest.ics_text import shown_tzid
from pmload.ingest.isolate import collect_series, drop_uids, parse_calendar, short, uid_of
from pmload.ingest.limits import MAX_PER_SERIES, Refusal, every, span_of
from pmload.ingest.rows import Row, component_facts, make_row
from pmload.ingest.thinning import Thinned, cap_series, human, refusal, thin
from pmload.model import TIME_UTC

__all__ = ["Expansion", "Row", "Window", "expand", "library_warnings_logged", "parse_calendar"]

log = logging.getLogger(__name__)

_NAIVE_EPOCH = datetime(1970, 1, 1)

# A safety net behind the work estimates of pmload.ingest.limits: no file's
# expansion may take longer than this (an ordinary one takes well under 10 s).
EXPAND_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Window:
    """Whole days in the user's zone, both inclusive."""

    first: date
    last: date
    zone: ZoneInfo

    def contains(self, kind: str, ts: float) -> bool:
        if kind == TIME_UTC:
            day = datetime.fromtimestamp(ts, self.zone).date()
        else:
            day = (_NAIVE_EPOCH + timedelta(seconds=ts)).date()
        return self.first <= day <= self.last


@dataclass(slots=True)
class Expansion:
    """Rows by UID, and the groups that could not be expanded."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)


@contextmanager
def library_warnings_logged() -> Iterator[None]:
    """icalendar and friends warn about guesses (e.g. a globally unique TZID); log them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        log.debug("calendar library: %s", w.category.__name__)


_TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


def _check_components(cal: Any, notes: list[str], zone: ZoneInfo) -> list[Refusal]:
    """Refuse groups with damaged times; drop events without a start; note unknown zones.

    An event with no DTSTART cannot be placed on a calendar (RFC 5545 allows
    it only in scheduling messages): it is dropped, and its group refused when
    nothing else of it remains. Unknown TZIDs are read in the user's zone,
    like floating times.
    """
    unknown: set[str] = set()
    refused: dict[str, Refusal] = {}
    startless: list[Any] = []
    for ev in cal.walk("VEVENT"):
        start = ev.get("DTSTART")
        if start is None:
            startless.append(ev)
            continue
        try:
            value = start.dt
        except Exception:
            uid = uid_of(ev)
            refused.setdefault(uid, Refusal(uid, "DTSTART", "its start time cannot be read"))
            continue
        for prop, message in getattr(ev, "errors", None) or []:
            name = str(prop).upper()
            if name in _TIME_PROPERTIES:
                uid = uid_of(ev)
                detail = short(Exception(message))
                refused.setdefault(uid, Refusal(uid, name, f"its {name} is invalid ({detail})"))
        tzid = start.params.get("TZID") if hasattr(start, "params") else None
        if tzid and isinstance(value, datetime) and value.tzinfo is None:
            unknown.add(str(tzid))
    if startless:
        for parent in [cal, *cal.walk()]:
            parent.subcomponents[:] = [c for c in parent.subcomponents if c not in startless]
        remaining = {uid_of(ev) for ev in cal.walk("VEVENT")}
        for ev in startless:
            uid = uid_of(ev)
            if uid not in remaining:
                refused.setdefault(uid, Refusal(uid, "DTSTART", "it has no start time (DTSTART)"))
    drop_uids(cal, set(refused))
    for tzid in sorted(unknown):
        shown = shown_tzid(tzid)
        notes.append(f"unknown time zone '{shown}'; its times were read in your zone ({zone.key})")
    return list(refused.values())


def _label(comp: Any, uid: str) -> str:
    title = str(comp.get("SUMMARY", "") or "").strip() if comp is not None else ""
    return f"the event '{title}'" if title else f"the event with UID {uid}"


def _prepare_masters(
    cal: Any, window: Window, span: tuple[date, date], refused: list[Refusal], notes: list[str]
) -> tuple[dict[str, Thinned], list[Any]]:
    """Thin plain sub-daily rules, refuse costly ones, set aside extra masters of a UID."""
    thinned: dict[str, Thinned] = {}
    masters: dict[str, list[Any]] = {}
    for ev in cal.walk("VEVENT"):
        if "RECURRENCE-ID" not in ev:
            masters.setdefault(uid_of(ev), []).append(ev)
    bad: set[str] = set()
    extras: list[Any] = []
    for uid, comps in masters.items():
        for comp in comps:
            if "RRULE" not in comp:
                continue
            try:
                t = thin(comp, window.first, window.last, window.zone)
                problem = None if t is not None else refusal(comp, span)
            except Exception as exc:
                t, problem = None, ("RRULE", f"its recurrence cannot be limited ({short(exc)})")
            if t is not None:
                thinned[uid] = t
            if problem is not None:
                refused.append(Refusal(uid, *problem))
                bad.add(uid)
                break
        if uid in bad or len(comps) < 2:
            continue
        top = max(int(c.get("SEQUENCE", 0) or 0) for c in comps)
        newest = [c for c in comps if int(c.get("SEQUENCE", 0) or 0) == top]
        if len(newest) < len(comps):
            older = len(comps) - len(newest)
            notes.append(
                f"{_label(newest[0], uid)} appears {len(comps)} times with the same UID; "
                f"{older} older version{'s' if older > 1 else ''} (lower SEQUENCE) "
                f"{'were' if older > 1 else 'was'} ignored"
            )
        seen = {str(newest[0].get("DTSTART").to_ical())}
        for comp in newest[1:]:  # same UID, same SEQUENCE: distinct events if their starts differ
            key = str(comp.get("DTSTART").to_ical())
            if key not in seen:
                seen.add(key)
                extras.append(comp)
    drop_uids(cal, bad)
    if extras:
        ids = {id(c) for c in extras}
        cal.subcomponents[:] = [c for c in cal.subcomponents if id(c) not in ids]
    return thinned, extras


def _extra_series(extras: list[Any], refused: list[Refusal]) -> list[Any]:
    import icalendar

    out: list[Any] = []
    for comp in extras:
        one = icalendar.Calendar()
        one.add_component(comp)
        out.extend(collect_series(one, refused))
    return out


def expand(
    cal: Any,
    window: Window,
    notes: list[str],
    cancelled: Callable[[], bool] | None = None,
) -> Expansion:
    """Expand every VEVENT series of ``cal`` over ``window``: rows grouped by UID."""
    if str(cal.get("CALSCALE", "GREGORIAN")).upper() != "GREGORIAN":
        raise ImportRejected("it uses a calendar scale other than the Gregorian one.")
    result = Expansion()
    result.refused = _check_components(cal, notes, window.zone)
    span = span_of(window.first, window.last)
    thinned, extras = _prepare_masters(cal, window, span, result.refused, notes)
    series_list = collect_series(cal, result.refused)
    series_list += _extra_series(extras, result.refused)
    deadline = time.monotonic() + EXPAND_SECONDS
    facts: dict[int, Any] = {}
    labels: dict[str, Any] = {}
    failed: set[str] = set()
    for n, series in enumerate(series_list):
        if n % 64 == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled
            if time.monotonic() > deadline:
                raise ImportRejected(
                    "expanding its events takes too long; import a shorter window with "
                    "--from and --to."
                )
        uid = str(series.uid).strip()
        if uid in failed:
            continue
        try:
            rows = _series_rows(series, uid, span, window, facts, labels)
        except Exception as exc:
            log.debug("expansion failed: %s", type(exc).__name__)  # its message may quote the file
            failed.add(uid)
            result.rows.pop(uid, None)
            reason = f"its recurrence cannot be expanded ({short(exc)})"
            result.refused.append(Refusal(uid, "RRULE", reason))
            continue
        if rows:
            result.rows.setdefault(uid, []).extend(rows)
    for uid, rows in result.rows.items():
        kept, overlapping, capped = cap_series(rows)
        result.rows[uid] = kept
        t = thinned.get(uid)
        if t is not None or overlapping or capped:
            label = _label(labels.get(uid), uid)
            _note_cap(notes, label, t, len(kept), overlapping, capped)
    return result


def _series_rows(
    series: Any,
    uid: str,
    span: tuple[date, date],
    window: Window,
    facts: dict[int, Any],
    labels: dict[str, Any],
) -> list[Row]:
    rows: list[Row] = []
    for occ in series.between(span[0], span[1]):
        comp = _component_of(occ)
        f = facts.get(id(comp))
        if f is None:
            f = facts[id(comp)] = component_facts(comp, exact_fix(comp))
            labels.setdefault(uid, comp)  # named only if a note needs it
        start = occ.start
        end = occ.end
        if f.fix is not None and isinstance(start, datetime) and end == start + f.fix[0]:
            # recurring-ical-events added the DURATION on the wall clock; its hours,
            # minutes and seconds are exact time (RFC 5545 3.3.6): see pmload.ingest.durations.
            end = exact_end(start, f.fix[1], f.fix[2], window.zone)
        row = make_row(uid, start, end, comp, f)
        if window.contains(row.time_kind, row.start_ts):
            rows.append(row)
    return rows


def _note_cap(
    notes: list[str], label: str, t: Thinned | None, kept: int, overlapping: int, capped: int
) -> None:
    if t is not None:
        total = max(t.total, kept + overlapping + capped)
        if total <= kept:
            return
        lasts = f" but lasts {human(t.length)}" if t.stretched else ""
        notes.append(
            f"{label} repeats {every(t.freq, t.interval)}{lasts}: {kept:,} of about {total:,} "
            f"occurrences in the import window were kept, {total - kept:,} dropped (a series "
            f"keeps at most {MAX_PER_SERIES:,}, none overlapping the one before)"
        )
    elif overlapping or capped:
        parts = []
        if overlapping:
            parts.append(f"{overlapping:,} overlapping the one before")
        if capped:
            parts.append(f"{capped:,} past the first {MAX_PER_SERIES:,}")
        notes.append(
            f"{label} recurs more often than it lasts or more than {MAX_PER_SERIES:,} times: "
            f"{overlapping + capped:,} occurrences in the import window were dropped "
            f"({', '.join(parts)})"
        )


def _component_of(occurrence: Any) -> Any:
    """The component an occurrence was made from (master or override), without copying.

    recurring-ical-events keeps it on the occurrence's adapter; copying every
    occurrence (``as_component``) would double the import time.
    """
    adapter = getattr(occurrence, "_adapter", None)
    comp = getattr(adapter, "_component", None)
    if comp is None:  # a future library version: fall back to the public copy
        comp = occurrence.as_component(False)
    return comp
