"""Hostile calendars end in seconds: each is imported with its bad parts skipped, or rejected.

Every case is a real .ics text, imported through the CLI with a window of
2026-01-01..2026-06-30; each must end within 10 s. The worst of them also run
in a fresh process whose peak memory (VmHWM) must stay under 300 MB.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from pmload.cli import main

WINDOW = ["--from", "2026-01-01", "--to", "2026-06-30"]
SECONDS = 10.0
PEAK_MB = 300.0

GOOD = """BEGIN:VEVENT
UID:review@acme.test
SUMMARY:Pricing review
DTSTART:20260106T170000Z
DURATION:PT45M
ORGANIZER:mailto:cfo@acme.test
ATTENDEE:mailto:me@acme.test
END:VEVENT
"""


def event(
    rule: str, uid: str = "h@x.test", start: str = "20260105T100000Z", minutes: int = 30
) -> str:
    end = f"DURATION:PT{minutes}M\n" if minutes else ""
    rule_line = f"RRULE:{rule}\n" if rule else ""
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nSUMMARY:Hostile\nDTSTART:{start}\n{end}{rule_line}"
        "ORGANIZER:mailto:a@x.test\nATTENDEE:mailto:me@acme.test\nEND:VEVENT\n"
    )


def calendar(*parts: str) -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\n" + "".join(parts) + "END:VCALENDAR\n"


def zone(rule: str) -> str:
    return (
        "BEGIN:VTIMEZONE\nTZID:Evil/Zone\nBEGIN:STANDARD\nDTSTART:19701025T030000\n"
        "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n"
        "END:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\nTZOFFSETFROM:+0100\n"
        f"TZOFFSETTO:+0200\nRRULE:{rule}\nEND:DAYLIGHT\nEND:VTIMEZONE\n"
    )


def zoned_event() -> str:
    return event("", start="20260105T100000").replace("DTSTART:", "DTSTART;TZID=Evil/Zone:")


@dataclass(frozen=True)
class Case:
    text: str
    status: str  # "imported" or "rejected"
    skipped: int | None = 0  # None: checked by a test of its own
    occurrences: int | None = None  # of the hostile series, when imported
    says: str = ""  # expected in the output


# 48,384 dates, one every 5 minutes through the first 28 days of each month to June
RDATES = [
    f"2026{m:02d}{d:02d}T{h:02d}{mi:02d}00Z"
    for m in range(1, 7)
    for d in range(1, 29)
    for h in range(24)
    for mi in range(0, 60, 5)
]
ALL_SECONDS = ",".join(str(i) for i in range(60))
ALL_MINUTES = ALL_SECONDS
ALL_HOURS = ",".join(str(i) for i in range(24))

CASES: dict[str, Case] = {
    # the 330-byte invite of issue 11.4
    "secondly_forever": Case(
        calendar(event("FREQ=SECONDLY")), "imported", 0, 5000, "repeats every second but lasts"
    ),
    "secondly_zero_length": Case(
        calendar(event("FREQ=SECONDLY", minutes=0)), "imported", 0, 5000, "5,000 of about"
    ),
    "secondly_since_1970": Case(
        calendar(event("FREQ=SECONDLY", start="19700101T000000Z")), "imported", 0, 5000
    ),
    "minutely": Case(calendar(event("FREQ=MINUTELY")), "imported", 0, 5000, "every minute"),
    "hourly_huge_count": Case(
        calendar(event("FREQ=HOURLY;COUNT=100000000")), "imported", 0, 4238, ""
    ),
    "minutely_until": Case(
        calendar(event("FREQ=MINUTELY;UNTIL=20260105T120000Z")), "imported", 0, 5, ""
    ),
    "interval_zero": Case(
        calendar(event("FREQ=DAILY;INTERVAL=0"), GOOD), "imported", 1, None, "INTERVAL=0"
    ),
    "interval_negative": Case(
        calendar(event("FREQ=SECONDLY;INTERVAL=-1"), GOOD), "imported", 1, None, "INTERVAL=-1"
    ),
    "interval_zero_only_event": Case(
        calendar(event("FREQ=SECONDLY;INTERVAL=0")), "rejected", 0, None, "cannot be read"
    ),
    "secondly_filtered_to_one_a_day": Case(
        calendar(event("FREQ=SECONDLY;BYHOUR=9;BYMINUTE=0;BYSECOND=0"), GOOD),
        "imported",
        1,
        None,
        "far more than any meeting series",
    ),
    "daily_every_second_of_the_day": Case(
        calendar(
            event(f"FREQ=DAILY;BYHOUR={ALL_HOURS};BYMINUTE={ALL_MINUTES};BYSECOND={ALL_SECONDS}"),
            GOOD,
        ),
        "imported",
        1,
        None,
        "far more than any meeting series",
    ),
    "yearly_every_minute": Case(
        calendar(event(f"FREQ=YEARLY;BYYEARDAY=1,2,3;BYHOUR={ALL_HOURS};BYMINUTE={ALL_MINUTES}")),
        "rejected",
        0,
        None,
        "far more than any meeting series",
    ),
    "vtimezone_secondly": Case(
        calendar(zone("FREQ=SECONDLY"), zoned_event()), "imported", 0, 1, "was ignored"
    ),
    "vtimezone_interval_zero": Case(
        calendar(zone("FREQ=YEARLY;INTERVAL=0;BYMONTH=3;BYDAY=-1SU"), zoned_event()),
        "imported",
        0,
        1,
        "was ignored",
    ),
    "vtimezone_every_minute_of_march_sundays": Case(
        calendar(
            zone(f"FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYHOUR={ALL_HOURS};BYMINUTE={ALL_MINUTES}"),
            zoned_event(),
        ),
        "imported",
        0,
        1,
        "was ignored",
    ),
    "rdate_flood": Case(
        calendar(
            event("", minutes=30).replace(
                "END:VEVENT",
                "RDATE:" + ",".join(RDATES) + "\nEND:VEVENT",
            ),
            GOOD,
        ),
        "imported",
        1,
        None,
        "dates (RDATE and overrides), far more than any meeting series",
    ),
    "daily_since_1900_many_times": Case(
        calendar(
            *(
                event("FREQ=DAILY", uid=f"d{i}@x.test", start="19000101T100000Z")
                for i in range(120)
            ),
            GOOD,
        ),
        "imported",
        None,  # some are skipped for the file's budget: checked below
        None,
        "more than one import expands",
    ),
    "many_secondly_series": Case(
        calendar(*(event("FREQ=SECONDLY", uid=f"s{i}@x.test", minutes=0) for i in range(60)), GOOD),
        "imported",
        None,
        None,
        "more than one import expands",
    ),
    "one_uid_many_masters": Case(
        calendar(
            *(
                event(
                    "",
                    start=f"2026{1 + i // 28 % 6:02d}{1 + i % 28:02d}T{8 + i // 168 % 10:02d}0000Z",
                )
                for i in range(3000)
            )
        ),
        "imported",
        0,
        None,
        "",
    ),
    "overrides_flood": Case(
        calendar(
            event("FREQ=DAILY;COUNT=10"),
            *(
                event(
                    "", start=f"2026{1 + i % 6:02d}{1 + i % 28:02d}T{i % 24:02d}{i % 60:02d}00Z"
                ).replace(
                    "SUMMARY:",
                    f"RECURRENCE-ID:2026{1 + i % 6:02d}{1 + i % 28:02d}T100000Z\nSUMMARY:",
                )
                for i in range(5000)
            ),
        ),
        "imported",
        0,
        None,
        "",
    ),
    "bysetpos_zero": Case(
        calendar(event("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0"), GOOD), "imported", 1, None, "RRULE"
    ),
    "unknown_rule_part": Case(
        calendar(event("FREQ=WEEKLY;UNTL=20260301T000000Z"), GOOD), "imported", 1, None, "UNTIL?"
    ),
    "negative_count_secondly": Case(
        calendar(event("FREQ=SECONDLY;COUNT=-5"), GOOD), "imported", 0, None, ""
    ),
    "deeply_nested_alarms": Case(
        calendar(
            event("").replace(
                "END:VEVENT", "BEGIN:VALARM\n" * 3000 + "END:VALARM\n" * 3000 + "END:VEVENT"
            ),
            GOOD,
        ),
        "imported",
        None,
        None,
        "",
    ),
}


def _import(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, float]:
    path = tmp_path / f"{name}.ics"
    path.write_text(CASES[name].text)
    capsys.readouterr()
    t0 = time.monotonic()
    code = main(["--tz", "UTC", "import", str(path), *WINDOW])
    took = time.monotonic() - t0
    out, err = capsys.readouterr()
    return code, out + err, took


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_calendar_ends_quickly_and_clearly(
    name: str, tmp_path: Path, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    code, output, took = _import(tmp_path, name, capsys)
    assert took < SECONDS, f"{name} took {took:.1f} s"
    assert "Traceback" not in output and "unexpected error" not in output, output
    assert case.says in output, output
    if case.status == "rejected":
        assert code == 1
        [line] = output.strip().splitlines()
        assert line.startswith("pmload: ") and line.endswith("."), line
        assert main(["meetings", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == []
        return
    assert code == 0, output
    summary = [line for line in output.splitlines() if ": imported " in line]
    assert len(summary) == 1, output
    if case.skipped is not None:
        assert (f"skipped {case.skipped} event" in summary[0]) == bool(case.skipped), summary
    db = sqlite3.connect(pmload_home / "data" / "pmload.sqlite3")
    hostile = db.execute("SELECT start_key FROM occurrences WHERE uid = 'h@x.test'").fetchall()
    if case.occurrences is not None:
        assert len(hostile) == case.occurrences
    assert len(hostile) == len(set(hostile))  # each occurrence once
    if "review@acme.test" in case.text:
        good = db.execute("SELECT COUNT(*) FROM occurrences WHERE uid = 'review@acme.test'")
        assert good.fetchone()[0] == 1, "the good event was lost"


def test_a_series_keeps_no_overlapping_occurrences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = _import(tmp_path, "minutely", capsys)
    assert code == 0
    assert main(["meetings", "--format", "json"]) == 0
    rows = sorted(json.loads(capsys.readouterr().out), key=lambda r: r["start"])
    assert all(r["minutes"] == 30 for r in rows)
    assert rows[1]["start"] == "2026-01-05T10:30:00+00:00"  # every 30 minutes, not every minute


def test_the_file_budget_skips_the_heaviest_series_first(
    tmp_path: Path, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output, _ = _import(tmp_path, "many_secondly_series", capsys)
    assert code == 0
    skipped = [line for line in output.splitlines() if "skipped 'Hostile'" in line]
    assert 0 < len(skipped) < 60
    db = sqlite3.connect(pmload_home / "data" / "pmload.sqlite3")
    kept = db.execute("SELECT uid, COUNT(*) FROM occurrences GROUP BY uid").fetchall()
    assert ("review@acme.test", 1) in kept  # the ordinary event is kept
    assert {n for uid, n in kept if uid != "review@acme.test"} == {5000}
    assert len(kept) - 1 + len(skipped) == 60


PEAK = r"""
import json, sys, time
from pathlib import Path
from pmload.cli import main
t0 = time.monotonic()
code = main(["--home", sys.argv[2], "--tz", "UTC", "import", sys.argv[1],
             "--from", "2026-01-01", "--to", "2026-06-30"])
took = time.monotonic() - t0
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"code": code, "seconds": took, "peak_mb": hwm / 1024}))
"""

WORST = ["secondly_forever", "many_secondly_series", "daily_since_1900_many_times", "rdate_flood"]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("name", WORST)
def test_worst_cases_stay_under_300_mb(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.ics"
    path.write_text(CASES[name].text)
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, str(path), str(tmp_path / "home")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"\n{name}: {figures['seconds']:.2f} s, peak RSS {figures['peak_mb']:.0f} MB")
    assert figures["seconds"] < SECONDS and figures["peak_mb"] < PEAK_MB, figures
