"""Event lengths as RFC 5545 defines them (3.3.6, 3.8.2.5, 3.8.5.3).

A DURATION's weeks and days are *nominal* (a day is the same wall-clock time
on the next date, 23 or 25 hours across a DST change); its hours, minutes
and seconds are *exact* elapsed time. ``DTSTART;TZID=America/New_York:
20260308T010000`` with ``DURATION:PT3H`` ends three real hours later, at
05:00 local time, across the spring-forward gap; with ``P1D`` it ends at
01:00 the next day.

recurring-ical-events (3.x) adds the whole DURATION in wall-clock time
(``start + timedelta`` on an aware datetime), so it reports 04:00 above: a
meeting of two hours. :func:`exact_end` recomputes such ends. A series
given with DURATION keeps that DURATION in every occurrence (the same exact
length for PT…); a series given with DTEND keeps its wall-clock length, as
the library computes it and calendar applications show it (RFC 5545 3.8.5.3
literally says "the same exact duration" for DTEND; the two readings only
differ when the first occurrence itself spans a DST change).

icalendar folds ``PT25H`` and ``P1DT1H`` into one timedelta, so where that
matters the text as written travels in ``X-PMLOAD-DURATION``
(pmload.ingest.ics_text).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

X_DURATION = "X-PMLOAD-DURATION"

_RAW = re.compile(
    r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.IGNORECASE
)


def split_duration(raw: str) -> tuple[timedelta, timedelta] | None:
    """``(nominal, exact)`` parts of a DURATION value as written, or None if unreadable."""
    m = _RAW.match(raw.strip())
    if not m:
        return None
    sign = -1 if m.group(1) == "-" else 1
    weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in m.groups()[1:])
    nominal = timedelta(days=sign * (weeks * 7 + days))
    exact = timedelta(seconds=sign * (hours * 3600 + minutes * 60 + seconds))
    return nominal, exact


def exact_fix(comp: Any) -> tuple[timedelta, timedelta, timedelta] | None:
    """For a component whose end comes from a DURATION with a time part:
    ``(what the library adds, nominal part, exact part)``; else None.

    Without ``X-PMLOAD-DURATION`` the timedelta is unambiguous: under a day
    is all time part (``PT45M``), whole days are all nominal (``P1D``).
    """
    if "DTEND" in comp:
        return None
    library = getattr(comp.get("DURATION"), "dt", None)
    if not isinstance(library, timedelta):
        return None
    if X_DURATION in comp:
        parts = split_duration(str(comp.get(X_DURATION)))
    elif library.days == 0 and library.seconds:
        parts = timedelta(0), library
    else:
        return None
    if parts is None or not parts[1]:
        return None
    return library, parts[0], parts[1]


def exact_end(
    start: datetime, nominal: timedelta, exact: timedelta, floating_zone: tzinfo
) -> datetime:
    """The end of an occurrence starting at ``start``: nominal days on the wall clock, then exact time.

    A floating start (no zone) is read in the user's zone, and the end is given back floating.
    """
    wall = start + nominal  # aware arithmetic is wall-clock arithmetic
    if start.tzinfo is not None and start.tzinfo.utcoffset(start) is not None:
        return (wall.astimezone(UTC) + exact).astimezone(start.tzinfo)
    placed = wall.replace(tzinfo=floating_zone)
    return (placed.astimezone(UTC) + exact).astimezone(floating_zone).replace(tzinfo=None)
