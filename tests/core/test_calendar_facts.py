"""The first-run guesses read from the store: the user's zone and addresses."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pmload.ingest.calendar_facts import calendar_zone, guess_me
from pmload.ingest.importer import import_paths
from pmload.store import connect, remove_source
from tests.core.test_audit_cli import calendar, vevent

FIX = Path(__file__).parent / "fixtures"
UTC = ZoneInfo("UTC")
WINDOW = (date(2026, 1, 1), date(2026, 4, 30))


def new_york(uid: str, day: str) -> str:
    return (
        vevent(
            uid,
            f"{day}T090000",
            f"{day}T100000",
            "Pipeline review",
            ("me@acme.test", "ana@eng.acme.test"),
        )
        .replace("DTSTART:", "DTSTART;TZID=America/New_York:")
        .replace("DTEND:", "DTEND;TZID=America/New_York:")
    )


def test_the_zone_most_events_are_written_in(tmp_path: Path) -> None:
    conn = connect(tmp_path / "store.sqlite3")
    for name in ("xwr_timezone.ics", "outlook_windows_tz.ics"):
        shutil.copy(FIX / name, tmp_path / name)
    nyc = tmp_path / "nyc.ics"
    nyc.write_text(
        calendar(
            new_york("a@acme.test", "20260105"),
            new_york("b@acme.test", "20260106"),
            new_york("c@acme.test", "20260107"),
            # all-day and UTC starts say nothing about a zone
            vevent("d@acme.test", "20260108", "20260109", "Offsite", ("me@acme.test",)).replace(
                "DTSTART:", "DTSTART;VALUE=DATE:"
            ),
            vevent("e@acme.test", "20260108T100000Z", "20260108T110000Z", "Call", ()),
        ),
        encoding="utf-8",
    )
    assert calendar_zone(conn) is None  # nothing imported yet
    report = import_paths(conn, [tmp_path / "xwr_timezone.ics"], UTC, window=WINDOW)
    assert not report.rejected
    # Google writes UTC times and says the zone once, in X-WR-TIMEZONE.
    assert calendar_zone(conn) == "Europe/London"
    import_paths(conn, [tmp_path / "outlook_windows_tz.ics", nyc], UTC, window=WINDOW)
    # One London event, one Outlook "W. Europe Standard Time" (Berlin), an unknown
    # zone that counts for nothing, and three New York events.
    assert calendar_zone(conn) == "America/New_York"
    source = conn.execute("SELECT id FROM sources WHERE location = ?", (str(nyc),)).fetchone()[0]
    remove_source(conn, source)
    assert calendar_zone(conn) == "Europe/Berlin"  # a tie, broken by name
    conn.close()


def test_the_address_on_nearly_every_event_is_the_users(tmp_path: Path) -> None:
    conn = connect(tmp_path / "store.sqlite3")
    ics = tmp_path / "work.ics"
    ics.write_text(
        calendar(
            vevent(
                "s@acme.test",
                "20260105T090000Z",
                "20260105T091500Z",
                "Standup",
                ("me@acme.test", "ana@eng.acme.test"),
                rrule="FREQ=DAILY;COUNT=20",
            ),
            *(
                vevent(
                    f"m{i}@acme.test",
                    "20260106T100000Z",
                    "20260106T110000Z",
                    "Meeting",
                    ("me@acme.test", f"p{i}@acme.test"),
                )
                for i in range(9)
            ),
        ),
        encoding="utf-8",
    )
    assert guess_me(conn) == []
    import_paths(conn, [ics], UTC, window=WINDOW)
    # me@acme.test is on all ten series (ORGANIZER is me too, but not an attendee key);
    # ana is on one series, however many times it repeats.
    assert guess_me(conn) == ["me@acme.test"]
    conn.close()
