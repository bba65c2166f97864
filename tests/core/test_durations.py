"""Event lengths as RFC 5545 defines them: DURATION hours are exact time, days are nominal.

A meeting's true length is what `pmload meetings` reports in ``minutes`` and
what the audit adds up, for single events and every occurrence of a series,
across spring-forward and fall-back, in a zone that shifts by 30 minutes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pmload.cli import main


def event(uid: str, start: str, length: str, rule: str = "") -> str:
    """``length`` is a DURATION value, or ``DTEND...`` given whole."""
    end = length if length.startswith("DTEND") else f"DURATION:{length}"
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nSUMMARY:{uid}\nDTSTART{start}\n{end}\n"
        + (f"RRULE:{rule}\n" if rule else "")
        + "ORGANIZER:mailto:cfo@acme.test\nATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test\n"
        "END:VEVENT\n"
    )


NY = ";TZID=America/New_York:"
LH = ";TZID=Australia/Lord_Howe:"
EVENTS = [
    # spring forward in New York: 2026-03-08 02:00 EST becomes 03:00 EDT
    event("spring-pt3h", NY + "20260308T010000", "PT3H"),
    event("spring-p1d", NY + "20260307T120000", "P1D"),
    event("spring-pt25h", NY + "20260307T120000", "PT25H"),
    event("spring-p1dt1h", NY + "20260307T120000", "P1DT1H"),
    event("spring-daily-pt3h", NY + "20260306T010000", "PT3H", "FREQ=DAILY;COUNT=5"),
    event(
        "spring-daily-dtend",
        NY + "20260306T010000",
        "DTEND;TZID=America/New_York:20260306T040000",
        "FREQ=DAILY;COUNT=5",
    ),
    # fall back in New York: 2026-11-01 02:00 EDT becomes 01:00 EST
    event("fall-pt3h", NY + "20261101T003000", "PT3H"),
    event("fall-p1d", NY + "20261031T120000", "P1D"),
    event("fall-daily-pt3h", NY + "20261030T003000", "PT3H", "FREQ=DAILY;COUNT=4"),
    # Lord Howe Island shifts by 30 minutes: 2026-10-04 02:00 becomes 02:30 (+10:30 to +11),
    # 2026-04-05 02:00 becomes 01:30 again
    event("lord-howe-spring", LH + "20261004T013000", "PT1H"),
    event("lord-howe-fall", LH + "20260405T010000", "PT1H"),
    event("lord-howe-p1d", LH + "20261003T120000", "P1D"),
    # floating times are in the user's zone (America/New_York here)
    event("floating-pt3h", ":20260308T010000", "PT3H"),
    # no zone trouble: UTC
    event("utc-pt45m", ":20260306T170000Z", "PT45M"),
]


@pytest.fixture
def rows(tmp_path: Path, pmload_home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    (pmload_home / "config").mkdir(parents=True)
    (pmload_home / "config" / "rules.toml").write_text('me = ["me@acme.test"]\n')
    cal = tmp_path / "dst.ics"
    cal.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n" + "".join(EVENTS) + "END:VCALENDAR\n"
    )
    tz = ["--tz", "America/New_York"]
    assert main([*tz, "import", str(cal), "--from", "2026-01-01", "--to", "2026-12-31"]) == 0
    capsys.readouterr()
    assert main([*tz, "meetings", "--format", "json"]) == 0
    out: dict[str, Any] = {}
    for r in json.loads(capsys.readouterr().out):
        out.setdefault(r["uid"], []).append(r)
    return out


def one(rows: dict[str, Any], uid: str) -> dict[str, Any]:
    [row] = rows[uid]
    return dict(row)


def test_hours_are_exact_across_spring_forward(rows: dict[str, Any]) -> None:
    r = one(rows, "spring-pt3h")
    assert r["minutes"] == 180 and r["end"] == "2026-03-08T05:00:00-04:00"


def test_days_are_nominal_across_spring_forward(rows: dict[str, Any]) -> None:
    r = one(rows, "spring-p1d")  # the same wall-clock time the next day: 23 hours
    assert r["minutes"] == 23 * 60 and r["end"] == "2026-03-08T12:00:00-04:00"


def test_pt25h_is_not_p1dt1h(rows: dict[str, Any]) -> None:
    assert one(rows, "spring-pt25h")["end"] == "2026-03-08T14:00:00-04:00"
    assert one(rows, "spring-pt25h")["minutes"] == 25 * 60
    assert one(rows, "spring-p1dt1h")["end"] == "2026-03-08T13:00:00-04:00"
    assert one(rows, "spring-p1dt1h")["minutes"] == 24 * 60


def test_a_series_given_with_duration_keeps_its_exact_length(rows: dict[str, Any]) -> None:
    series = rows["spring-daily-pt3h"]
    assert len(series) == 5 and {r["minutes"] for r in series} == {180}
    assert [r["start"][:16] for r in series] == [f"2026-03-{d:02d}T01:00" for d in range(6, 11)]


def test_a_series_given_with_dtend_keeps_its_wall_clock_length(rows: dict[str, Any]) -> None:
    series = {r["start"][:10]: r for r in rows["spring-daily-dtend"]}
    assert {d: r["minutes"] for d, r in series.items()} == {
        "2026-03-06": 180,
        "2026-03-07": 180,
        "2026-03-08": 120,  # 01:00 to 04:00 on the wall clock, an hour skipped
        "2026-03-09": 180,
        "2026-03-10": 180,
    }
    assert {r["end"][11:16] for r in series.values()} == {"04:00"}


def test_fall_back(rows: dict[str, Any]) -> None:
    r = one(rows, "fall-pt3h")  # 00:30 EDT + 3 h = 02:30 EST
    assert r["minutes"] == 180 and r["end"] == "2026-11-01T02:30:00-05:00"
    r = one(rows, "fall-p1d")
    assert r["minutes"] == 25 * 60 and r["end"] == "2026-11-01T12:00:00-05:00"
    assert {r["minutes"] for r in rows["fall-daily-pt3h"]} == {180}


def test_a_zone_that_shifts_by_half_an_hour(rows: dict[str, Any]) -> None:
    r = one(rows, "lord-howe-spring")  # 01:30 +10:30, one hour later it is 03:00 +11:00
    assert r["minutes"] == 60
    assert r["end"] == "2026-10-03T12:00:00-04:00"  # shown in the user's zone: 16:00 UTC
    r = one(rows, "lord-howe-fall")  # 01:00 +11:00, one hour later it is 01:30 +10:30
    assert r["minutes"] == 60
    assert one(rows, "lord-howe-p1d")["minutes"] == 24 * 60 - 30


def test_floating_times_in_the_users_zone(rows: dict[str, Any]) -> None:
    assert one(rows, "floating-pt3h")["minutes"] == 180


def test_utc_is_unchanged(rows: dict[str, Any]) -> None:
    assert one(rows, "utc-pt45m")["minutes"] == 45


def test_the_audit_counts_the_true_length(
    rows: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    week = ["--tz", "America/New_York", "audit", "--week", "2026-W10", "--format", "json"]
    assert main(week) == 0
    [data] = json.loads(capsys.readouterr().out)["weeks"]
    # PT3H 3 + P1D 23 + PT25H 25 + P1DT1H 24 + three PT3H dailies 9 + the DTEND dailies
    # 3 + 3 + 2 + the floating PT3H 3 + PT45M 0.75
    assert data["meeting_hours"] == 95.75
