"""Importing real .ics files: each trap of messy calendars, through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pmload.cli import main

FIX = Path(__file__).parent / "fixtures"
WINDOW = ["--from", "2026-01-01", "--to", "2026-04-30"]


@pytest.fixture(autouse=True)
def me(pmload_home: Path) -> None:
    (pmload_home / "config").mkdir(parents=True)
    (pmload_home / "config" / "rules.toml").write_text('me = ["me@acme.test"]\n')


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def meetings(
    capsys: pytest.CaptureFixture[str], tz: str = "America/Los_Angeles"
) -> list[dict[str, Any]]:
    code, out, _ = cli(capsys, "--tz", tz, "meetings", "--format", "json")
    assert code == 0
    data: list[dict[str, Any]] = json.loads(out)
    return data


def by_uid(rows: list[dict[str, Any]], uid: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["uid"] == uid]


def imp(
    capsys: pytest.CaptureFixture[str], *files: str, tz: str = "America/Los_Angeles"
) -> tuple[int, str, str]:
    return cli(capsys, "--tz", tz, "import", *[str(FIX / f) for f in files], *WINDOW)


def test_rrule_exdate_rdate_moved_and_cancelled(capsys: pytest.CaptureFixture[str]) -> None:
    assert imp(capsys, "recurrence.ics")[0] == 0
    rows = by_uid(meetings(capsys), "weekly-sync@acme.test")
    starts = [r["start"] for r in rows]
    assert starts == [
        "2026-01-05T10:00:00-08:00",
        "2026-01-12T10:00:00-08:00",
        # 01-19 is an EXDATE
        "2026-01-22T15:00:00-08:00",  # RDATE
        "2026-01-27T13:00:00-08:00",  # 01-26 moved to Tuesday 13:00
        "2026-02-02T10:00:00-08:00",  # cancelled, still listed
        "2026-02-09T10:00:00-08:00",
        "2026-02-16T10:00:00-08:00",
        "2026-02-23T10:00:00-08:00",
        "2026-03-02T10:00:00-08:00",
        "2026-03-09T10:00:00-07:00",  # after the DST change: same wall time
    ]
    moved = rows[3]
    assert moved["title"] == "Eng sync (moved)" and moved["minutes"] == 60 and moved["counted"]
    cancelled = rows[4]
    assert cancelled["excluded"] == "cancelled" and cancelled["category"] is None
    assert len({r["id"] for r in rows}) == len(rows)
    # the room is listed but is not a person: the meeting still counts (Priya is there)
    assert "room1@acme.test" in rows[0]["attendees"] and rows[0]["counted"]


def test_duration_dst_floating_allday_and_exclusions(capsys: pytest.CaptureFixture[str]) -> None:
    imp(capsys, "recurrence.ics")
    rows = {r["uid"]: r for r in meetings(capsys)}
    assert rows["duration@acme.test"]["minutes"] == 45
    assert rows["duration@acme.test"]["end"] == "2026-01-06T09:45:00-08:00"
    # 01:00 PST to 04:00 PDT is two hours of real time, not three on the wall clock
    dst = rows["dst-crossing@acme.test"]
    assert dst["minutes"] == 120 and dst["end"] == "2026-03-08T04:00:00-07:00"
    assert rows["floating@acme.test"]["start"] == "2026-01-07T09:00:00-08:00"
    assert rows["floating@acme.test"]["attendees"][0] == "sam product"  # CN when no address
    allday = rows["allday@acme.test"]
    assert (allday["start"], allday["end"], allday["excluded"]) == (
        "2026-01-08",
        "2026-01-10",
        "all-day",
    )
    assert rows["declined@acme.test"]["excluded"] == "declined"  # MAILTO:ME@ACME.TEST
    assert rows["free@acme.test"]["excluded"] == "free"
    assert rows["solo@acme.test"]["excluded"] == "solo"
    for r in rows.values():
        assert set(r) >= {"id", "uid", "start", "end", "minutes", "title", "organizer", "attendees"}
        assert set(r) >= {"counted", "excluded", "category", "reason"}


def test_floating_times_follow_the_users_zone(capsys: pytest.CaptureFixture[str]) -> None:
    imp(capsys, "recurrence.ics")
    paris = {r["uid"]: r for r in meetings(capsys, tz="Europe/Paris")}
    assert paris["floating@acme.test"]["start"] == "2026-01-07T09:00:00+01:00"
    # a zoned event keeps its instant
    assert paris["duration@acme.test"]["start"] == "2026-01-06T18:00:00+01:00"


def test_thisandfuture_instances_keep_distinct_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert imp(capsys, "thisandfuture.ics", tz="Europe/Berlin")[0] == 0
    rows = by_uid(meetings(capsys, tz="Europe/Berlin"), "review@acme.test")
    assert [r["start"][:16] for r in rows] == [
        "2026-01-05T10:00",
        "2026-01-12T10:00",
        "2026-01-19T10:00",
        "2026-01-26T14:00",
        "2026-02-02T14:00",
        "2026-02-09T14:00",
    ]
    assert [r["title"] for r in rows][3:] == ["Model review (afternoon)"] * 3
    assert len({r["id"] for r in rows}) == 6


def test_x_wr_timezone_recurrence_keeps_local_time(capsys: pytest.CaptureFixture[str]) -> None:
    imp(capsys, "xwr_timezone.ics", tz="Europe/London")
    rows = by_uid(meetings(capsys, tz="Europe/London"), "standup@google.test")
    # 09:00 in London every Friday, across the change to summer time on 2026-03-29
    assert [r["start"] for r in rows] == [
        "2026-03-20T09:00:00+00:00",
        "2026-03-27T09:00:00+00:00",
        "2026-04-03T09:00:00+01:00",
    ]


def test_windows_zone_names_and_unknown_tzid(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = imp(capsys, "outlook_windows_tz.ics", tz="America/New_York")
    assert code == 0
    assert "unknown time zone 'Mars/Olympus_Mons'" in err and "America/New_York" in err
    rows = {r["uid"]: r for r in meetings(capsys, tz="America/New_York")}
    assert rows["outlook-1@corp.test"]["start"] == "2026-03-02T03:00:00-05:00"  # W. Europe = Berlin
    # the unknown zone falls back to the user's zone, like a floating time
    assert rows["outlook-2@corp.test"]["start"] == "2026-03-03T09:00:00-05:00"


def test_two_outlook_custom_zones_do_not_collide(capsys: pytest.CaptureFixture[str]) -> None:
    # Both files call their own definition "Customized Time Zone" (icalendar issue 799).
    assert imp(capsys, "outlook_custom_tz_a.ics", "outlook_custom_tz_b.ics")[0] == 0
    rows = {r["uid"]: r for r in meetings(capsys, tz="UTC")}
    assert rows["custom-a@corp.test"]["start"] == "2026-03-04T04:00:00+00:00"  # 09:00 at +05:00
    assert rows["custom-b@corp.test"]["start"] == "2026-03-04T12:00:00+00:00"  # 09:00 at -03:00


def test_custom_zones_collide_neither_in_reverse_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert imp(capsys, "outlook_custom_tz_b.ics")[0] == 0
    assert imp(capsys, "outlook_custom_tz_a.ics")[0] == 0
    rows = {r["uid"]: r for r in meetings(capsys, tz="UTC")}
    assert rows["custom-a@corp.test"]["start"] == "2026-03-04T04:00:00+00:00"
    assert rows["custom-b@corp.test"]["start"] == "2026-03-04T12:00:00+00:00"


def test_wrong_encoding_is_read_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = imp(capsys, "latin1.ics")
    assert code == 0 and "not valid UTF-8" in err
    assert meetings(capsys)[0]["title"] == "Réunion café"


def test_folder_import_and_sources(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "cals"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIX / "recurrence.ics", folder / "a.ics")
    shutil.copy(FIX / "thisandfuture.ics", folder / "sub" / "b.ICS")
    (folder / "notes.txt").write_text("not a calendar")
    code, out, _ = cli(capsys, "import", str(folder), *WINDOW)
    assert code == 0 and out.count("imported") == 2
    code, out, _ = cli(capsys, "sources")
    assert "a.ics" in out and "b.ICS" in out and "2026-01-01 – 2026-04-30" in out


def test_default_window_runs_from_earliest_event_to_26_weeks_ahead(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import date, timedelta

    assert cli(capsys, "import", str(FIX / "recurrence.ics"))[0] == 0
    _, out, _ = cli(capsys, "sources")
    end = date.today() + timedelta(weeks=26)
    assert f"2026-01-05 – {end.isoformat()}" in out
