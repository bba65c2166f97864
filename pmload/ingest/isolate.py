"""One damaged event costs only itself: failures are isolated per event group.

An event group is a UID and its overrides (pmload.ingest.ics_text). Each
step takes the fast road first, on the whole text, and only when that
fails looks for the culprits:

* parsing: when icalendar rejects the whole text, each time zone
  definition is tried alone (a damaged one is dropped with a warning, its
  TZID then reads as an unknown zone), then the groups are bisected: halves
  that parse are kept, a single group that does not is skipped;
* building the series: when recurring-ical-events cannot take the whole
  calendar, each UID is given to it alone.

What cannot be read is returned as :class:`~pmload.ingest.limits.Refusal`
records (UID, property, reason), never raised; only a calendar whose frame
is broken (its X-WR-TIMEZONE, or nothing at all parses) is rejected whole.
"""

from __future__ import annotations

import logging
from typing import Any

from pmload.errors import ImportRejected
from pmload.ingest import ics_text
from pmload.ingest.limits import Refusal

log = logging.getLogger(__name__)


def short(exc: BaseException) -> str:
    """An exception as a short, single-line text (for a reason clause)."""
    text = " ".join(str(exc).split())
    if len(text) > 120:
        text = text[:117] + "…"
    return text or type(exc).__name__


def parse_calendar(text: str) -> Any:
    """icalendar's calendar for ``text`` with X-WR-TIMEZONE applied, or ImportRejected."""
    import icalendar

    try:
        cals = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError…
        log.debug("icalendar rejected the text: %s", type(exc).__name__)  # messages quote the file
        raise ImportRejected(f"icalendar cannot parse it ({short(exc)}).") from None
    if not cals:
        raise ImportRejected("this is not an iCalendar file (no VCALENDAR found).")
    cal = cals[0]
    if cal.get("X-WR-TIMEZONE"):
        import x_wr_timezone

        try:
            cal = x_wr_timezone.to_standard(cal)
        except Exception as exc:
            log.debug("x-wr-timezone failed: %s", type(exc).__name__)
            raise ImportRejected(f"its X-WR-TIMEZONE cannot be applied ({short(exc)}).") from None
    return cal


def _parses(text: str) -> bool:
    try:
        parse_calendar(text)
    except ImportRejected:
        return False
    return True


def parse_isolated(text: str, notes: list[str]) -> tuple[Any, list[Refusal]]:
    """Parse ``text`` (made by SplitCalendar.calendar_text); skip the groups that break it."""
    try:
        return parse_calendar(text), []
    except ImportRejected as whole:
        first_error = whole
    split = ics_text.split(text, "")
    good_tz = []
    for tz in split.timezones:
        probe = ics_text.SplitCalendar("", split.x_wr_timezone, [tz], {}, [])
        if _parses(probe.calendar_text([])):
            good_tz.append(tz)
        else:
            tzid = ics_text.shown_tzid(ics_text.tzid_of(tz))
            notes.append(f"the time zone definition '{tzid}' is damaged and was ignored")
    split.timezones = good_tz
    if not _parses(split.calendar_text([])):
        raise first_error
    refused: list[Refusal] = []
    good: list[ics_text.EventGroup] = []

    def bisect(groups: list[ics_text.EventGroup]) -> None:
        if not groups:
            return
        try:
            parse_calendar(split.calendar_text(groups))
        except ImportRejected as exc:
            if len(groups) == 1:
                reason = (
                    str(exc).rstrip(".").replace("icalendar cannot parse it", "it cannot be read")
                )
                refused.append(Refusal(groups[0].uid, "", reason))
                return
            half = len(groups) // 2
            bisect(groups[:half])
            bisect(groups[half:])
            return
        good.extend(groups)

    bisect(list(split.groups.values()))
    order = {uid: i for i, uid in enumerate(split.groups)}
    good.sort(key=lambda g: order[g.uid])
    return parse_calendar(split.calendar_text(good)), refused


def collect_series(cal: Any, refused: list[Refusal]) -> list[Any]:
    """recurring-ical-events' series of ``cal``'s events; a UID it cannot take is refused."""
    import icalendar
    import recurring_ical_events

    try:
        return list(recurring_ical_events.of(cal, components=("VEVENT",)).series)
    except Exception as exc:
        log.debug(
            "recurring-ical-events rejected the calendar (%s); each UID alone", type(exc).__name__
        )
    by_uid: dict[str, list[Any]] = {}
    for ev in cal.walk("VEVENT"):
        by_uid.setdefault(uid_of(ev), []).append(ev)
    out: list[Any] = []
    for uid, comps in by_uid.items():
        one = icalendar.Calendar()
        for comp in comps:
            one.add_component(comp)
        try:
            out.extend(recurring_ical_events.of(one, components=("VEVENT",)).series)
        except Exception as exc:
            reason = _rule_reason(comps) or f"its recurrence cannot be computed ({short(exc)})"
            refused.append(Refusal(uid, "RRULE", reason))
    return out


def _rule_reason(comps: list[Any]) -> str | None:
    """What dateutil says is wrong with a rule (recurring-ical-events hides it behind
    "UNTIL parameter is missing" when its own retry fails too)."""
    from datetime import datetime

    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

    for comp in comps:
        rules = comp.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            text = rule.to_ical().decode()
            plain = ";".join(p for p in text.split(";") if not p.upper().startswith("UNTIL="))
            try:
                rrulestr(plain, dtstart=datetime(2000, 1, 1))
            except Exception as exc:
                return f"its RRULE is invalid ({short(exc)})"
    return None


def uid_of(comp: Any) -> str:
    """The UID as pmload keys it (as the text splitter reads it)."""
    return str(comp.get("UID", "") or "").strip()


def drop_uids(cal: Any, uids: set[str]) -> None:
    """Remove every VEVENT of these UIDs from ``cal``."""
    if not uids:
        return
    cal.subcomponents[:] = [
        c for c in cal.subcomponents if not (c.name == "VEVENT" and uid_of(c) in uids)
    ]
