"""What the imported calendars say about their owner, read before anything is classified.

The first-run questions (your addresses, your time zone) are asked before the
first week is drawn, so their answers are guessed from the store alone:

* :func:`guess_me`: the addresses invited to nearly every event (each series
  counted once): the user's own.
* :func:`calendar_zone`: the most common zone the imported events are written
  in. Each event (UID) counts once, with the zone of its DTSTART: its TZID
  (Windows names mapped to IANA ones), or the calendar's X-WR-TIMEZONE when the
  start has none; UTC, floating and all-day starts say nothing. The importer
  stores the counts of each source with :func:`store_zone_counts`, in the
  store's ``meta`` table under ``zones:<source id>`` (JSON ``{zone: events}``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from functools import lru_cache

from pmload.ingest.ics_text import SplitCalendar
from pmload.model import attendees_from_json

ZONES_KEY = "zones:{}"
ME_SHARE = 0.9  # invited to at least 90% of the series with other people
_DTSTART = re.compile(r"^DTSTART((?:;[^:\r\n]*)?):", re.MULTILINE | re.IGNORECASE)
_TZID = re.compile(r';TZID=(?:"([^"]*)"|([^;:]*))', re.IGNORECASE)
_CUSTOM_SUFFIX = re.compile(r" ~[0-9a-f]{12}$")  # ics_text's unique names for custom zones


@lru_cache(maxsize=256)
def iana_zone(name: str) -> str | None:
    """The IANA name for a TZID or X-WR-TIMEZONE value, or None when it names no zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = _CUSTOM_SUFFIX.sub("", name.strip())
    if not name or name.upper() == "UTC":
        return None
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    mapped = WINDOWS_TO_OLSON.get(name)
    return str(mapped) if mapped else None


def zone_counts(split: SplitCalendar) -> Counter[str]:
    """Events per zone their start is written in (see the module docstring)."""
    fallback = iana_zone(split.x_wr_timezone) if split.x_wr_timezone else None
    counts: Counter[str] = Counter()
    for group in split.groups.values():
        m = _DTSTART.search(group.blocks[0]) if group.blocks else None
        params = m.group(1).upper() if m else ""
        if m is None or ("VALUE=DATE" in params and "VALUE=DATE-TIME" not in params):
            continue  # no start, or an all-day one: no zone in it
        tz = _TZID.search(m.group(1))
        zone = iana_zone(tz.group(1) or tz.group(2) or "") if tz else fallback
        if zone:
            counts[zone] += 1
    return counts


def store_zone_counts(conn: sqlite3.Connection, source_id: int, counts: Counter[str]) -> None:
    """Remember a source's zone counts (inside the caller's transaction)."""
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (ZONES_KEY.format(source_id), json.dumps(dict(counts), sort_keys=True)),
    )


def calendar_zone(conn: sqlite3.Connection) -> str | None:
    """The zone most imported events are written in, or None when none says."""
    total: Counter[str] = Counter()
    for (source_id,) in conn.execute("SELECT id FROM sources"):
        row = conn.execute(
            "SELECT value FROM meta WHERE key = ?", (ZONES_KEY.format(source_id),)
        ).fetchone()
        if row is None:
            continue
        try:
            total.update({str(k): int(v) for k, v in json.loads(row[0]).items()})
        except (ValueError, TypeError, AttributeError):
            continue  # a damaged note is no reason to stop: it only lends a guess
    if not total:
        return None
    return min(total, key=lambda z: (-total[z], z))


def guess_me(conn: sqlite3.Connection) -> list[str]:
    """Addresses invited to nearly every event (each series counted once): the user's own."""
    people: dict[str, set[str]] = {}
    for uid, text in conn.execute("SELECT DISTINCT uid, attendees FROM occurrences"):
        people.setdefault(uid, set()).update(
            a.key for a in attendees_from_json(text) if "@" in a.key
        )
    counts: Counter[str] = Counter()
    for keys in people.values():
        counts.update(keys)
    with_people = sum(1 for keys in people.values() if keys)
    return [k for k, n in counts.most_common(3) if with_people and n >= ME_SHARE * with_people]
