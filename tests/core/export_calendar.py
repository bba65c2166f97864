"""A small deterministic calendar for the export tests, imported into PMLOAD_HOME.

Eight ISO weeks, 2026-W02 to 2026-W09 (5 Jan - 1 Mar 2026), America/Los_Angeles:

* "Falcon ranking model review" (weekly, 60 min): technical + business -> sole bridge;
* "Pricing engine questions" (weekly, 30 min): technical + business -> sole bridge;
* "Eng sync" (weekly, 60 min): technical only -> coordination (keyword);
* "Roadmap working session" (weekly, 90 min): product -> strategy (keyword);
* "Zephyr escalation call" (one-off, 120 min, W05-W07): translation by keyword;
* a declined and a cancelled meeting, which do not count.

Titles and addresses are distinctive so a redacted export can be searched for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from pmload.cli import main
from pmload.context import Context
from pmload.rules.analysis import Analysis

TZID = "America/Los_Angeles"
FIRST_MONDAY = date(2026, 1, 5)
WEEKS = 8
PERIOD = ("--from", "2026-01-05", "--to", "2026-03-01")
ME = "me@acme.test"
TECH = ("priya.falcon@eng.acme.test", "omar.falcon@eng.acme.test")
BIZ = ("cfo.zephyr@biz.acme.test", "sales.zephyr@biz.acme.test")
PRODUCT = "kim.product@acme.test"
ADDRESSES = (*TECH, *BIZ, PRODUCT, ME)
TITLES = (
    "Falcon ranking model review",
    "Pricing engine questions",
    "Eng sync",
    "Roadmap working session",
    "Zephyr escalation call",
    "Declined vendor pitch",
    "Cancelled offsite prep",
)
RULES = f"""
me = ["{ME}"]
timezone = "{TZID}"
threshold = 0.40
[people]
technical = ["*@eng.acme.test"]
business = ["*@biz.acme.test"]
product = ["{PRODUCT}"]
"""


def _dt(d: date, hh: int, mm: int = 0) -> str:
    return datetime(d.year, d.month, d.day, hh, mm).strftime("%Y%m%dT%H%M%S")


def _event(
    uid: str,
    title: str,
    start: date,
    hh: int,
    minutes: int,
    people: tuple[str, ...],
    rrule: str | None = None,
    status: str | None = None,
    my_partstat: str = "ACCEPTED",
) -> str:
    begin = datetime(start.year, start.month, start.day, hh)
    end = begin + timedelta(minutes=minutes)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"SUMMARY:{title}",
        f"DTSTART;TZID={TZID}:{_dt(start, hh)}",
        f"DTEND;TZID={TZID}:{end.strftime('%Y%m%dT%H%M%S')}",
        f"ORGANIZER:mailto:{ME}",
        f"ATTENDEE;PARTSTAT={my_partstat}:mailto:{ME}",
        *(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{p}" for p in people),
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    if status:
        lines.append(f"STATUS:{status}")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def calendar_text() -> str:
    weekly = f"FREQ=WEEKLY;COUNT={WEEKS}"
    events = [
        _event("falcon@test", TITLES[0], FIRST_MONDAY, 10, 60, (TECH[0], BIZ[0]), weekly),
        _event("pricing@test", TITLES[1], FIRST_MONDAY + timedelta(1), 11, 30, (TECH[1], BIZ[1]), weekly),
        _event("sync@test", TITLES[2], FIRST_MONDAY + timedelta(2), 9, 60, TECH, weekly),
        _event("roadmap@test", TITLES[3], FIRST_MONDAY + timedelta(3), 14, 90, (PRODUCT,), weekly),
    ]  # fmt: skip
    for week in (3, 4, 5):  # 2026-W05, W06, W07: over the threshold three weeks running
        day = FIRST_MONDAY + timedelta(weeks=week, days=4)
        events.append(_event(f"zephyr-{week}@test", TITLES[4], day, 13, 120, (BIZ[0],)))
    events.append(
        _event("declined@test", TITLES[5], FIRST_MONDAY + timedelta(1), 15, 60, (BIZ[1],),
               my_partstat="DECLINED")
    )  # fmt: skip
    events.append(
        _event("cancelled@test", TITLES[6], FIRST_MONDAY + timedelta(2), 15, 60, (PRODUCT,),
               status="CANCELLED")
    )  # fmt: skip
    body = "\r\n".join(events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pmload tests//EN\r\n"
        f"{body}\r\nEND:VCALENDAR\r\n"
    )


def import_calendar(tmp: Path) -> None:
    """Write the rules and the calendar under ``tmp`` and import both (PMLOAD_HOME is set)."""
    rules = tmp / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    ics = tmp / "export-test.ics"
    ics.write_text(calendar_text(), encoding="utf-8", newline="")
    assert main(["rules", "import", str(rules)]) == 0
    assert main(["import", str(ics), "--from", "2026-01-01", "--to", "2026-03-31"]) == 0


def imported_analysis(tmp: Path) -> Iterator[Analysis]:
    """Import the fixed calendar and yield its Analysis (for pytest fixtures)."""
    import_calendar(tmp)
    ctx = Context()
    try:
        yield Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    finally:
        ctx.close()
