"""Core records: immutable dataclasses shared by the store, classifier, CLI and GUI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

UTC = UTC

# How an occurrence's start/end were written in the calendar.
TIME_UTC = "utc"  # a zoned or UTC date-time: an absolute instant
TIME_FLOATING = "floating"  # no zone: wall-clock time in the user's zone
TIME_DATE = "date"  # an all-day (DATE) value


@dataclass(frozen=True, slots=True)
class Attendee:
    """One ATTENDEE (or the ORGANIZER) of an event.

    ``key`` identifies the person: the lower-cased address without ``mailto:``,
    or the CN when there is no address.
    """

    key: str
    name: str | None = None
    partstat: str | None = None
    cutype: str | None = None
    role: str | None = None

    @property
    def is_person(self) -> bool:
        return self.cutype not in ("ROOM", "RESOURCE")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One expanded occurrence of an event, as stored.

    ``start``/``end`` are aware datetimes in UTC. For floating and all-day
    occurrences they were resolved in the user's zone when loaded; the raw
    wall-clock values are ``start_local``/``end_local`` (naive) in that case.
    ``event_type`` is set when the calendar says the entry is not an ordinary
    event (an :class:`~pmload.vocab.Exclusion` word such as 'focus-time').
    """

    id: str
    source_id: int
    uid: str
    recurrence_id: str | None
    start: datetime
    end: datetime
    time_kind: str
    title: str
    organizer: str | None
    attendees: tuple[Attendee, ...]
    status: str | None
    transparency: str | None
    start_local: datetime | None = None
    end_local: datetime | None = None
    event_type: str | None = None

    @property
    def all_day(self) -> bool:
        return self.time_kind == TIME_DATE

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60.0

    @property
    def start_date(self) -> date | None:
        return self.start_local.date() if self.all_day and self.start_local else None

    @property
    def end_date(self) -> date | None:
        return self.end_local.date() if self.all_day and self.end_local else None


def start_key(time_kind: str, start_ts: float) -> str:
    """The text form of an occurrence start used in identities and tag keys.

    ``start_ts`` is epoch seconds of the UTC instant, or of the naive
    wall-clock time read as UTC for floating and all-day values.
    """
    dt = datetime.fromtimestamp(start_ts, UTC)
    if time_kind == TIME_DATE:
        return dt.date().isoformat()
    if time_kind == TIME_FLOATING:
        return dt.replace(tzinfo=None).isoformat()
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def occurrence_id(uid: str, key: str) -> str:
    """Stable id of the occurrence (UID, start): the same across re-imports and sources."""
    return hashlib.sha1(f"{uid}\x00{key}".encode("utf-8", "surrogatepass")).hexdigest()[:12]


def resolve_local(naive_ts: float, zone: ZoneInfo) -> datetime:
    """A naive wall-clock time (epoch-as-UTC) placed in ``zone``, as aware UTC."""
    naive = datetime(1970, 1, 1) + timedelta(seconds=naive_ts)
    return naive.replace(tzinfo=zone).astimezone(UTC)


# The attendee codec of the store's ``occurrences.attendees`` column (a compact JSON list).
def attendees_from_json(text: str) -> tuple[Attendee, ...]:
    return tuple(Attendee(*row) for row in json.loads(text))


def attendees_to_json(attendees: Sequence[Attendee]) -> str:
    return json.dumps(
        [[a.key, a.name, a.partstat, a.cutype, a.role] for a in attendees],
        ensure_ascii=False,
        separators=(",", ":"),
    )
