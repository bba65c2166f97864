"""Parse event groups with icalendar and expand them with recurring-ical-events.

Produces plain rows for the ``occurrences`` table (see pmload.store). Identity
is (UID, start) — never RECURRENCE-ID, which recurring-ical-events reports
wrongly for RANGE=THISANDFUTURE instances (its issue 222).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pmload.errors import ImportCancelled, ImportRejected
from pmload.model import (
    TIME_DATE,
    TIME_FLOATING,
    TIME_UTC,
    Attendee,
    attendees_to_json,
    occurrence_id,
    start_key,
)

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)

# (uid, id, recurrence_id, start_ts, end_ts, time_kind, start_key, title,
#  organizer, attendees_json, status, transp)
Row = tuple[
    str, str, str | None, float, float, str, str, str, str | None, str, str | None, str | None
]


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


def _ts(value: date | datetime) -> tuple[float, str]:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            return (value - _NAIVE_EPOCH).total_seconds(), TIME_FLOATING
        return (value - _EPOCH).total_seconds(), TIME_UTC
    return (datetime(value.year, value.month, value.day) - _NAIVE_EPOCH).total_seconds(), TIME_DATE


def _address(value: Any) -> str:
    text = str(value).strip()
    low = text.lower()
    if low.startswith("mailto:"):
        return low[7:].strip()
    if "@" in low and ":" not in low:
        return low
    return ""


def _person(value: Any) -> Attendee | None:
    params = getattr(value, "params", {})
    cn = params.get("CN")
    cn = str(cn).strip() if cn else None
    key = _address(value) or (cn.lower() if cn else "")
    if not key:
        return None
    partstat = params.get("PARTSTAT")
    cutype = params.get("CUTYPE")
    role = params.get("ROLE")
    return Attendee(
        key,
        cn,
        str(partstat).upper() if partstat else None,
        str(cutype).upper() if cutype else None,
        str(role).upper() if role else None,
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


class _ComponentFacts:
    """Per-component values shared by all occurrences of a series (computed once)."""

    __slots__ = ("attendees_json", "organizer", "status", "title", "transp")

    def __init__(self, comp: Any) -> None:
        self.title = str(comp.get("SUMMARY", "") or "").strip()
        org = comp.get("ORGANIZER")
        person = _person(org) if org is not None else None
        self.organizer = person.key if person else None
        people = [p for p in (_person(a) for a in _as_list(comp.get("ATTENDEE"))) if p is not None]
        self.attendees_json = attendees_to_json(people)
        status = comp.get("STATUS")
        self.status = str(status).strip().upper() if status else None
        transp = comp.get("TRANSP")
        self.transp = str(transp).strip().upper() if transp else None


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


@contextmanager
def library_warnings_logged() -> Iterator[None]:
    """icalendar and friends warn about guesses (e.g. a globally unique TZID); log them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        log.debug("calendar library: %s: %s", w.category.__name__, w.message)


def parse_calendar(text: str) -> Any:
    import icalendar

    try:
        cals = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError…
        log.debug("icalendar rejected the text", exc_info=True)
        raise ImportRejected(f"icalendar cannot parse it ({_short(exc)}).") from None
    if not cals:
        raise ImportRejected("this is not an iCalendar file (no VCALENDAR found).")
    cal = cals[0]
    if cal.get("X-WR-TIMEZONE"):
        import x_wr_timezone

        try:
            cal = x_wr_timezone.to_standard(cal)
        except Exception as exc:
            log.debug("x-wr-timezone failed", exc_info=True)
            raise ImportRejected(f"its X-WR-TIMEZONE cannot be applied ({_short(exc)}).") from None
    return cal


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 120:
        text = text[:117] + "…"
    return text or type(exc).__name__


def _describe(series: Any) -> str:
    try:
        comps = series.components
        comp = comps[0]._component if comps else None
        title = str(comp.get("SUMMARY", "")) if comp is not None else ""
    except Exception:
        title = ""
    uid = getattr(series, "uid", "?")
    return f"the event '{title}' (UID {uid})" if title else f"the event with UID {uid}"


def expand(
    cal: Any,
    window: Window,
    notes: list[str],
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, list[Row]]:
    """Expand every VEVENT series of ``cal`` over ``window``: rows grouped by UID."""
    import recurring_ical_events

    _check_components(cal, notes, window.zone)
    try:
        query = recurring_ical_events.of(cal, components=("VEVENT",))
    except Exception as exc:
        log.debug("recurring-ical-events rejected the calendar", exc_info=True)
        raise ImportRejected(f"its events cannot be read ({_short(exc)}).") from None
    span_start = window.first - timedelta(days=2)
    span_end = window.last + timedelta(days=3)
    facts: dict[int, _ComponentFacts] = {}
    out: dict[str, list[Row]] = {}
    for n, series in enumerate(query.series):
        if cancelled is not None and n % 64 == 0 and cancelled():
            raise ImportCancelled
        rows: list[Row] = []
        try:
            for occ in series.between(span_start, span_end):
                comp = _component_of(occ)
                f = facts.get(id(comp))
                if f is None:
                    f = facts[id(comp)] = _ComponentFacts(comp)
                start_ts, kind = _ts(occ.start)
                end_ts, end_kind = _ts(occ.end)
                if end_kind != kind:
                    end_ts = start_ts + max(0.0, end_ts - start_ts)
                if end_ts < start_ts:
                    end_ts = start_ts
                if not window.contains(kind, start_ts):
                    continue
                uid = str(series.uid)
                key = start_key(kind, start_ts)
                rid = comp.get("RECURRENCE-ID")
                rows.append(
                    (
                        uid,
                        occurrence_id(uid, key),
                        rid.to_ical().decode() if rid is not None else None,
                        start_ts,
                        end_ts,
                        kind,
                        key,
                        f.title,
                        f.organizer,
                        f.attendees_json,
                        f.status,
                        f.transp,
                    )
                )
        except ImportRejected:
            raise
        except Exception as exc:
            log.debug("expansion failed", exc_info=True)
            raise ImportRejected(
                f"{_describe(series)} cannot be expanded ({_short(exc)})."
            ) from None
        if rows:
            out.setdefault(str(series.uid), []).extend(rows)
    return out


_TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


def _label(ev: Any) -> str:
    title = str(ev.get("SUMMARY", "") or "").strip()
    if title:
        return f"the event '{title}'"
    uid = str(ev.get("UID", "") or "").strip()
    return f"the event with UID {uid}" if uid else "an event without a title or UID"


def _check_components(cal: Any, notes: list[str], zone: ZoneInfo) -> None:
    """Reject damaged times; skip events without a start; warn about unknown time zones.

    An event with no DTSTART cannot be placed on a calendar (RFC 5545 allows
    it only in scheduling messages): it is dropped with a warning. Unknown
    TZIDs are read in the user's zone, like floating times.
    """
    unknown: set[str] = set()
    startless = []
    for ev in cal.walk("VEVENT"):
        errors = getattr(ev, "errors", None) or []
        start = ev.get("DTSTART")
        if start is None:
            startless.append(ev)
            continue
        try:
            value = start.dt
        except Exception:
            raise ImportRejected(f"{_label(ev)} has an unreadable start time (DTSTART).") from None
        for prop, message in errors:
            if str(prop).upper() in _TIME_PROPERTIES:
                detail = _short(Exception(message))
                raise ImportRejected(f"{_label(ev)} has an invalid {str(prop).upper()} ({detail}).")
        tzid = start.params.get("TZID") if hasattr(start, "params") else None
        if tzid and isinstance(value, datetime) and value.tzinfo is None:
            unknown.add(str(tzid))
    if startless:
        for parent in [cal, *cal.walk()]:
            parent.subcomponents[:] = [c for c in parent.subcomponents if c not in startless]
        n = len(startless)
        what = "events without a start time were" if n > 1 else "event without a start time was"
        notes.append(f"{n} {what} skipped")
    for tzid in sorted(unknown):
        notes.append(f"unknown time zone '{tzid}'; its times were read in your zone ({zone.key})")
