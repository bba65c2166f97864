"""Google sync through the real client library against a fake Google on 127.0.0.1.

What a user would see: every page read on the first sync, only changes later,
a full resync on 410 that keeps their tags, Google's fields counted like .ics
ones, and each meeting once when the same calendar was also imported as .ics.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pmload.context import Context
from pmload.google import account
from pmload.google.errors import SyncCancelled
from pmload.store import connect
from tests.core.google_helpers import at, by_title, cli, day, meetings, snapshot, use_rules
from tests.google_fake import ME, FakeGoogle, event


def five(google: FakeGoogle) -> None:
    google.events[ME] = [
        event(
            f"e{i}",
            f"Model review {i}",
            at(i, "10:00"),
            at(i, "11:00"),
            ("priya@eng.acme.test", "cfo@acme.test"),
        )
        for i in range(5)
    ]


def test_first_sync_reads_every_page_over_the_import_window(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    five(google)  # three pages of two
    code, out, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert "5 occurrences (first sync)" in out
    assert sorted(by_title(capsys)) == [f"Model review {i}" for i in range(5)]
    pages = google.events_requests()
    assert [p.get("pageToken") for p in pages] == [None, "2", "4"]
    for p in pages:
        assert (p["singleEvents"], p["maxResults"]) == ("true", "2500")
        assert "syncToken" not in p
        # the .ics import's default window: five years back, 26 weeks ahead
        assert p["timeMin"] < f"{int(day(0)[:4]) - 4}" and p["timeMax"] > day(26 * 7)


def test_later_syncs_send_only_the_sync_token_and_apply_changes(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    five(google)
    assert cli(capsys, "google", "sync")[0] == 0
    first_token = f"sync-{ME}-0"
    moved = event(
        "e1",
        "Model review 1 (moved)",
        at(1, "15:00"),
        at(1, "16:00"),
        ("priya@eng.acme.test", "cfo@acme.test"),
    )
    google.feeds[first_token] = (
        [
            moved,
            {"id": "e2", "status": "cancelled"},
            event("e9", "New readout", at(3, "09:00"), at(3, "09:30")),
        ],
        "sync-2",
    )
    code, out, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert "2 changed, 1 removed (5 occurrences)" in out
    incremental = [r for r in google.events_requests() if "syncToken" in r]
    assert [r["syncToken"] for r in incremental] == [first_token] * 2  # two pages of changes
    assert [r.get("pageToken") for r in incremental] == [None, "2"]
    assert not any("timeMin" in r or "timeMax" in r for r in incremental)
    titles = by_title(capsys)
    assert "Model review 2" not in titles and "Model review 1" not in titles
    assert titles["Model review 1 (moved)"][0]["start"] == at(1, "15:00")
    assert titles["New readout"][0]["category"] == "translation"  # 'readout'
    # the next sync uses the token of the last one
    google.feeds["sync-2"] = ([], "sync-3")
    code, out, _ = cli(capsys, "google", "sync")
    assert "unchanged (5 occurrences)" in out
    assert google.events_requests()[-1]["syncToken"] == "sync-2"


def test_410_gone_resyncs_in_full_and_keeps_manual_tags(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    five(google)
    assert cli(capsys, "google", "sync")[0] == 0
    tagged = next(m for m in meetings(capsys) if m["title"] == "Model review 3")
    assert cli(capsys, "tag", str(tagged["id"]), "strategy")[0] == 0
    google.gone.add(f"sync-{ME}-0")
    google.events[ME] = google.events[ME][2:]  # two events were deleted meanwhile
    code, out, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert "3 occurrences (Google asked for a full sync)" in out
    titles = by_title(capsys)
    assert sorted(titles) == ["Model review 2", "Model review 3", "Model review 4"]
    assert titles["Model review 3"][0]["category"] == "strategy"
    assert str(titles["Model review 3"][0]["reason"]).startswith("tagged by you")
    asked = google.events_requests()
    gone = next(i for i, r in enumerate(asked) if r.get("syncToken") == f"sync-{ME}-0")
    assert "timeMin" in asked[gone + 1] and "syncToken" not in asked[gone + 1]


def test_googles_fields_count_like_ics_ones(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    people = ("priya@eng.acme.test", "cfo@acme.test")
    declined = event("d", "Declined sync", at(0, "09:00"), at(0, "09:30"), people)
    declined["attendees"][0]["responseStatus"] = "declined"
    room_only = event("r", "Booked room", at(0, "12:00"), at(0, "13:00"), ())
    room_only["attendees"].append(
        {
            "email": "room-4@resource.calendar.google.com",
            "resource": True,
            "responseStatus": "accepted",
        }
    )
    google.events[ME] = [
        declined,
        event("f", "Free slot", at(0, "10:00"), at(0, "11:00"), people, transparency="transparent"),
        event("a", "Offsite", day(1), day(2), people),
        room_only,
        event("ft", "Deep work", at(1, "09:00"), at(1, "11:00"), people, eventType="focusTime"),
        event("oo", "Away", at(2, "09:00"), at(2, "17:00"), people, eventType="outOfOffice"),
        event("wl", "Home", day(3), day(4), (), eventType="workingLocation"),
        event("bd", "Priya's birthday", day(4), day(5), (), eventType="birthday"),
        event("t", "Maybe", at(3, "14:00"), at(3, "15:00"), people, status="tentative"),
        event(
            "ext",
            "Pricing call",
            at(4, "14:00"),
            at(4, "15:00"),
            (),
            organizer={"email": "Dana@Sales.Acme.test", "displayName": "Dana"},
        ),
    ]
    google.events[ME][-1]["attendees"].append(
        {"email": "priya@eng.acme.test", "responseStatus": "accepted"}
    )
    assert cli(capsys, "google", "sync")[0] == 0
    got = {t: (m[0]["excluded"], m[0]["category"]) for t, m in by_title(capsys).items()}
    assert got == {
        "Declined sync": ("declined", None),
        "Free slot": ("free", None),
        "Offsite": ("all-day", None),
        "Booked room": ("solo", None),  # a room is not a person
        "Deep work": ("focus-time", None),
        "Away": ("out-of-office", None),
        "Home": ("working-location", None),
        "Priya's birthday": ("birthday", None),
        "Maybe": (None, "translation"),  # sole bridge, still counted
        "Pricing call": (None, "translation"),  # the organizer is one of the others
    }


def test_a_series_tag_covers_every_instance_of_the_recurring_event(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    google.events[ME] = [
        event(
            f"s1_{day(7 * w)}",
            "Weekly catch-up",
            at(7 * w, "09:00"),
            at(7 * w, "09:30"),
            ("stranger@elsewhere.test",),
            uid="s1",
            recurringEventId="s1",
            originalStartTime={"dateTime": at(7 * w, "09:00")},
        )
        for w in range(3)
    ]
    assert cli(capsys, "google", "sync")[0] == 0
    first = meetings(capsys)[0]
    assert first["category"] == "unclassified"
    assert cli(capsys, "tag", str(first["id"]), "coordination", "--series")[0] == 0
    assert [m["category"] for m in meetings(capsys)] == ["coordination"] * 3


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
BEGIN:VEVENT\r
UID:e{i}@google.com\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Model review {i}\r
DTSTART;TZID=Europe/Paris:{d}T100000\r
DTEND;TZID=Europe/Paris:{d}T110000\r
ORGANIZER:mailto:me@acme.test\r
ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:me@acme.test\r
ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:priya@eng.acme.test\r
ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:cfo@acme.test\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_an_ics_export_and_the_same_google_calendar_show_each_meeting_once(
    google: FakeGoogle, pmload_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    five(google)
    for i in range(5):
        (tmp_path / f"e{i}.ics").write_text(ICS.format(i=i, d=day(i).replace("-", "")))
    assert cli(capsys, "import", str(tmp_path))[0] == 0
    from_ics = sorted((m["id"], m["start"]) for m in meetings(capsys))
    assert cli(capsys, "google", "sync")[0] == 0
    assert sorted((m["id"], m["start"]) for m in meetings(capsys)) == from_ics
    assert len(snapshot(pmload_home)["occurrences"]) == 10  # both sources keep their rows


def test_a_cancelled_sync_leaves_the_store_as_it_was(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    five(google)
    assert cli(capsys, "google", "sync")[0] == 0
    before = snapshot(pmload_home)
    google.gone.add(f"sync-{ME}-0")  # a full resync, three pages
    ctx = Context(None, "Europe/Paris")
    pages: list[str] = []

    def progress(done: int, total: int, text: str) -> None:
        pages.append(text)

    try:
        with pytest.raises(SyncCancelled):
            account.sync(
                ctx.paths, ctx.conn, ctx.zone, progress=progress, cancelled=lambda: len(pages) >= 3
            )
    finally:
        ctx.close()
    assert any("events read" in p for p in pages)
    assert snapshot(pmload_home) == before


def test_an_unchosen_calendar_or_no_connection_is_one_sentence(
    google: FakeGoogle,
    pmload_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = cli(capsys, "google", "sync", "--calendar", "nope@example.test")
    assert code == 1 and "is not a calendar pmload syncs" in err and err.count("\n") == 1
    monkeypatch.delenv("PMLOAD_GOOGLE_TOKEN_FILE")
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and "not connected" in err and err.count("\n") == 1
    conn = connect(pmload_home / "data" / "pmload.sqlite3")
    conn.close()


def test_a_deleted_series_or_an_event_moved_out_of_the_window_leaves_the_audit(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    series = [
        event(
            f"s1_{w}",
            "Weekly catch-up",
            at(7 * w, "09:00"),
            at(7 * w, "09:30"),
            uid="s1",
            recurringEventId="s1",
        )
        for w in range(3)
    ]
    google.events[ME] = [
        *series,
        event("far", "Quarterly planning", at(2, "10:00"), at(2, "12:00")),
    ]
    assert cli(capsys, "google", "sync")[0] == 0
    assert sorted(by_title(capsys)) == ["Quarterly planning", "Weekly catch-up"]
    far_away = event("far", "Quarterly planning", "2099-01-05T10:00:00Z", "2099-01-05T12:00:00Z")
    # the whole series deleted: the feed names only the recurring event itself
    google.feeds[f"sync-{ME}-0"] = ([{"id": "s1", "status": "cancelled"}, far_away], "sync-2")
    code, out, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert "0 changed, 4 removed (0 occurrences)" in out
    assert meetings(capsys) == []
    assert snapshot(pmload_home)["events"] == [] and snapshot(pmload_home)["google_events"] == []
