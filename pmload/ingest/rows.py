"""One expanded occurrence as a plain row of the store's ``occurrences`` table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from pmload.model import (
    TIME_DATE,
    TIME_FLOATING,
    TIME_UTC,
    Attendee,
    attendees_to_json,
    occurrence_id,
    start_key,
)


class Row(NamedTuple):
    """The columns of ``occurrences`` after ``source_id``, in the table's order."""

    uid: str
    id: str
    recurrence_id: str | None
    start_ts: float
    end_ts: float
    time_kind: str
    start_key: str
    title: str
    organizer: str | None
    attendees_json: str
    status: str | None
    transp: str | None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)


def timestamp(value: date | datetime) -> tuple[float, str]:
    """Epoch seconds and time kind (see pmload.store) of a start or end value."""
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


class ComponentFacts:
    """Per-component values shared by all occurrences of a series (computed once).

    ``fix`` is pmload.ingest.durations.exact_fix of the component.
    """

    __slots__ = ("attendees_json", "fix", "organizer", "recurrence_id", "status", "title", "transp")

    def __init__(self, comp: Any, fix: tuple[timedelta, timedelta, timedelta] | None) -> None:
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
        rid = comp.get("RECURRENCE-ID")
        self.recurrence_id = rid.to_ical().decode() if rid is not None else None
        self.fix = fix


def component_facts(
    comp: Any, fix: tuple[timedelta, timedelta, timedelta] | None
) -> ComponentFacts:
    return ComponentFacts(comp, fix)


def make_row(
    uid: str, start: date | datetime, end: date | datetime, comp: Any, f: ComponentFacts
) -> Row:
    """The row of one occurrence of ``comp`` (its facts ``f``) from ``start`` to ``end``."""
    start_ts, kind = timestamp(start)
    end_ts, end_kind = timestamp(end)
    if end_kind != kind:
        end_ts = start_ts + max(0.0, end_ts - start_ts)
    if end_ts < start_ts:
        end_ts = start_ts
    key = start_key(kind, start_ts)
    return Row(
        uid=uid,
        id=occurrence_id(uid, key),
        recurrence_id=f.recurrence_id,
        start_ts=start_ts,
        end_ts=end_ts,
        time_kind=kind,
        start_key=key,
        title=f.title,
        organizer=f.organizer,
        attendees_json=f.attendees_json,
        status=f.status,
        transp=f.transp,
    )
