"""Google Calendar events as the same occurrence rows as .ics files (pmload.ingest.expand).

Everything downstream (classification, audit, charts, brief) reads those rows
and cannot tell the sources apart. With ``singleEvents=true`` every item is
one occurrence:

========================  =============================================
Google                    occurrence row
========================  =============================================
iCalUID                   uid (instances carry their series' iCalUID, so
                          a series tag covers every instance; without one,
                          ``{recurringEventId or id}@google.com``)
start (+ iCalUID)         start_key and id: the same (UID, start)
                          identity as an .ics export of the calendar, so
                          the cross-source dedupe shows each meeting once
start/end ``dateTime``    an absolute instant (time kind 'utc')
start/end ``date``        an all-day value (time kind 'date')
originalStartTime         recurrence_id (informational)
summary                   title
organizer                 organizer: lower-cased address, else the name
attendees                 attendees: ``responseStatus`` as PARTSTAT
                          (declined → DECLINED), ``resource: true`` as a
                          RESOURCE (a room, not a person), ``optional`` as
                          OPT-PARTICIPANT
status                    STATUS upper-cased; ``cancelled`` in an
                          incremental sync removes the occurrence
transparency              TRANSP upper-cased (transparent → free)
eventType                 event_type: focusTime, outOfOffice,
                          workingLocation and birthday are not meetings
                          (an Exclusion of that name)
recurringEventId          the series (``google_events.series_id``)
========================  =============================================

Attendees and organizers marked ``self`` are the user: their addresses are
collected so the sync can make sure they are among the user's ``me``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pmload.ingest.expand import Row, Window
from pmload.model import (
    TIME_DATE,
    TIME_FLOATING,
    TIME_UTC,
    Attendee,
    attendees_to_json,
    occurrence_id,
    start_key,
)
from pmload.vocab import Exclusion

ENTRY_KINDS: dict[str, Exclusion] = {
    "focusTime": Exclusion.FOCUS_TIME,
    "outOfOffice": Exclusion.OUT_OF_OFFICE,
    "workingLocation": Exclusion.WORKING_LOCATION,
    "birthday": Exclusion.BIRTHDAY,
}
_PARTSTAT = {
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
    "needsAction": "NEEDS-ACTION",
}
_NAIVE_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Mapped:
    """One Google event: its row (None when it has no start or lies outside the window)."""

    event_id: str
    series_id: str | None
    cancelled: bool
    row: Row | None = None
    event_type: str | None = None
    self_addresses: tuple[str, ...] = ()


def _moment(value: Any) -> tuple[float, str, str] | None:
    """(epoch seconds, time kind, text) of a Google start/end object, None when unreadable."""
    if not isinstance(value, dict):
        return None
    if value.get("dateTime"):
        text = str(value["dateTime"])
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            return None
        if dt.tzinfo is None:
            try:
                dt = dt.replace(tzinfo=ZoneInfo(str(value.get("timeZone") or "")))
            except (ZoneInfoNotFoundError, ValueError):
                return (dt - _NAIVE_EPOCH).total_seconds(), TIME_FLOATING, text
        return dt.timestamp(), TIME_UTC, text
    if value.get("date"):
        text = str(value["date"])
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        return (
            (datetime(day.year, day.month, day.day) - _NAIVE_EPOCH).total_seconds(),
            TIME_DATE,
            text,
        )
    return None


def _key(person: dict[str, Any]) -> tuple[str, str | None]:
    name = person.get("displayName")
    name = str(name).strip() if name else None
    email = str(person.get("email") or "").strip().lower()
    if email.startswith("mailto:"):
        email = email[7:]
    return email or (name.lower() if name else ""), name


def map_event(item: dict[str, Any], window: Window) -> Mapped | None:
    """Map one events.list item; None when it has no id."""
    event_id = item.get("id")
    if not event_id:
        return None
    event_id = str(event_id)
    series = item.get("recurringEventId")
    series_id = str(series) if series else None
    status = str(item.get("status") or "").strip().upper() or None
    if status == "CANCELLED":
        return Mapped(event_id, series_id, True)
    start = _moment(item.get("start"))
    if start is None:
        return Mapped(event_id, series_id, False)
    start_ts, kind, _ = start
    if not window.contains(kind, start_ts):
        return Mapped(event_id, series_id, False)
    end = _moment(item.get("end"))
    end_ts = start_ts if end is None or end[1] != kind else max(start_ts, end[0])

    mine: list[str] = []
    organizer_key: str | None = None
    org = item.get("organizer")
    if isinstance(org, dict):
        organizer_key = _key(org)[0] or None
        if org.get("self") and org.get("email"):
            mine.append(str(org["email"]).strip().lower())
    people: list[Attendee] = []
    for a in item.get("attendees") or ():
        if not isinstance(a, dict):
            continue
        key, name = _key(a)
        if not key:
            continue
        if a.get("self") and a.get("email"):
            mine.append(key)
        people.append(
            Attendee(
                key,
                name,
                _PARTSTAT.get(str(a.get("responseStatus") or "")),
                "RESOURCE" if a.get("resource") else "INDIVIDUAL",
                "OPT-PARTICIPANT" if a.get("optional") else "REQ-PARTICIPANT",
            )
        )
    uid = str(item.get("iCalUID") or f"{series_id or event_id}@google.com")
    skey = start_key(kind, start_ts)
    original = _moment(item.get("originalStartTime"))
    transp = str(item.get("transparency") or "").strip().upper() or None
    row = Row(
        uid=uid,
        id=occurrence_id(uid, skey),
        recurrence_id=original[2] if original is not None else None,
        start_ts=start_ts,
        end_ts=end_ts,
        time_kind=kind,
        start_key=skey,
        title=str(item.get("summary") or "").strip(),
        organizer=organizer_key,
        attendees_json=attendees_to_json(people),
        status=status,
        transp=transp,
    )
    entry = ENTRY_KINDS.get(str(item.get("eventType") or ""))
    return Mapped(
        event_id,
        series_id,
        False,
        row,
        str(entry) if entry is not None else None,
        tuple(dict.fromkeys(mine)),
    )


def query_bounds(window: Window) -> tuple[str, str]:
    """events.list timeMin/timeMax (RFC 3339) around the window, a day of slack each side.

    Google filters by overlap; :func:`map_event` then keeps exactly the
    occurrences that start inside the window, as the .ics import does.
    """
    first = datetime(window.first.year, window.first.month, window.first.day, tzinfo=window.zone)
    last = datetime(window.last.year, window.last.month, window.last.day, tzinfo=window.zone)
    low = (first - timedelta(days=1)).astimezone(UTC)
    high = (last + timedelta(days=2)).astimezone(UTC)
    return low.strftime("%Y-%m-%dT%H:%M:%SZ"), high.strftime("%Y-%m-%dT%H:%M:%SZ")
