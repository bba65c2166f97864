"""What counts as a meeting (DOMAIN.md, "Meetings: what counts").

An occurrence counts when it is not cancelled, not a kind of entry that is
no meeting (focus time, out of office, a working location, a birthday: what
Google Calendar's ``eventType`` says), not declined by the user, not free
(TRANSP:TRANSPARENT), not all-day, and has at least one other person. The
first reason that applies, in that order, is reported as ``excluded``.
"""

from __future__ import annotations

from collections.abc import Iterable

from pmload.model import Attendee, Occurrence
from pmload.vocab import ENTRY_KINDS, Exclusion


def other_people(occ: Occurrence, me: frozenset[str]) -> tuple[str, ...]:
    """The person keys of the organizer and attendees who are not the user.

    Each counted once, in order of appearance; rooms and resources are not
    people. Keys are already normalised (lower-case address, or the CN).
    """
    seen: dict[str, None] = {}
    if occ.organizer and occ.organizer not in me:
        seen[occ.organizer] = None
    for a in occ.attendees:
        if a.is_person and a.key and a.key not in me:
            seen.setdefault(a.key, None)
    # An organizer who is only a room/resource attendee elsewhere is not a person.
    rooms = {a.key for a in occ.attendees if not a.is_person}
    return tuple(k for k in seen if k not in rooms)


def declined_by_me(attendees: Iterable[Attendee], me: frozenset[str]) -> bool:
    return any(a.key in me and (a.partstat or "").upper() == "DECLINED" for a in attendees)


def exclusion(occ: Occurrence, me: frozenset[str]) -> Exclusion | None:
    """Why ``occ`` is not a meeting (cancelled, kind of entry, declined, free, all-day, solo)."""
    if (occ.status or "").upper() == "CANCELLED":
        return Exclusion.CANCELLED
    if occ.event_type is not None and occ.event_type in ENTRY_KINDS:
        return Exclusion(occ.event_type)
    if declined_by_me(occ.attendees, me):
        return Exclusion.DECLINED
    if (occ.transparency or "").upper() == "TRANSPARENT":
        return Exclusion.FREE
    if occ.all_day:
        return Exclusion.ALL_DAY
    if not other_people(occ, me):
        return Exclusion.SOLO
    return None
