"""Occurrences as plain records for listing and export (``pmload meetings``).

The JSON field names are a contract other tools read: id, uid, start, end,
minutes, title, organizer, attendees, counted, excluded, category, reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from pmload.rules.classify import Classified

FIELDS = (
    "id",
    "uid",
    "start",
    "end",
    "minutes",
    "title",
    "organizer",
    "attendees",
    "counted",
    "excluded",
    "category",
    "reason",
)


def local_day(c: Classified, zone: ZoneInfo) -> date:
    occ = c.occ
    if occ.start_local is not None:
        return occ.start_local.date()
    return occ.start.astimezone(zone).date()


def select(
    items: Iterable[Classified], zone: ZoneInfo, first: date | None, last: date | None
) -> Iterator[Classified]:
    """Occurrences whose start falls on a day in [first, last] (user's zone)."""
    for c in items:
        day = local_day(c, zone)
        if (first is None or day >= first) and (last is None or day <= last):
            yield c


def _minutes(value: float) -> float | int:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def record(c: Classified, zone: ZoneInfo) -> dict[str, Any]:
    occ = c.occ
    if occ.all_day and occ.start_date is not None and occ.end_date is not None:
        start: str = occ.start_date.isoformat()
        end: str = occ.end_date.isoformat()
    else:
        start = occ.start.astimezone(zone).isoformat()
        end = occ.end.astimezone(zone).isoformat()
    return {
        "id": occ.id,
        "uid": occ.uid,
        "start": start,
        "end": end,
        "minutes": _minutes(occ.minutes),
        "title": occ.title,
        "organizer": occ.organizer,
        "attendees": [a.key for a in occ.attendees],
        "counted": c.counted,
        "excluded": c.excluded,
        "category": c.category,
        "reason": c.reason,
    }
