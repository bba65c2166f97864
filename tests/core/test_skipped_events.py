"""One damaged event costs only itself: it is skipped and named, the rest is imported."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.cli import main
from pmload.ingest.importer import import_file
from pmload.store import connect

WINDOW = ["--from", "2026-01-01", "--to", "2026-03-31"]
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

PLANNING = """BEGIN:VEVENT
UID:planning@acme.test
DTSTAMP:20260101T000000Z
SUMMARY:Sprint planning
DTSTART:20260105T160000Z
DTEND:20260105T170000Z
RRULE:FREQ=WEEKLY;UNTL=20260301T000000Z
ORGANIZER:mailto:lena.eng@acme.test
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test
END:VEVENT
"""

REVIEW = """BEGIN:VEVENT
UID:review@acme.test
DTSTAMP:20260101T000000Z
SUMMARY:{title}
DTSTART:20260106T170000Z
DURATION:PT45M
ORGANIZER:mailto:cfo@acme.test
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test
END:VEVENT
"""

SYNC = """BEGIN:VEVENT
UID:sync@acme.test
DTSTAMP:20260101T000000Z
SUMMARY:Eng sync
DTSTART:20260107T160000Z
DTEND:20260107T163000Z
RRULE:FREQ=WEEKLY;COUNT=4
ORGANIZER:mailto:priya.ml@acme.test
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test
END:VEVENT
"""


def calendar(*events: str) -> str:
    body = "".join(events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//pmload tests//EN\n{body}END:VCALENDAR\n"


@pytest.fixture(autouse=True)
def _no_verbose_handler_left() -> Iterator[None]:
    """``-v`` adds a stderr handler bound to this test's captured stderr: remove it after."""
    yield
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, "_pmload_verbose", False)]:
        root.removeHandler(h)


@pytest.fixture
def cal(tmp_path: Path, pmload_home: Path) -> Path:
    (pmload_home / "config").mkdir(parents=True)
    (pmload_home / "config" / "rules.toml").write_text('me = ["me@acme.test"]\n')
    path = tmp_path / "work.ics"
    path.write_text(calendar(PLANNING, REVIEW.format(title="Pricing review"), SYNC))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--tz", "UTC", *args])
    out, err = capsys.readouterr()
    return code, out, err


def titles(capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, out, _ = run(capsys, "meetings", "--format", "json")
    assert code == 0
    return sorted(r["title"] for r in json.loads(out))


def test_a_malformed_rrule_skips_only_its_event(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "import", str(cal), *WINDOW)
    assert code == 0, err
    assert out.strip() == f"{cal}: imported 2 events, 5 occurrences; skipped 1 event."
    [line] = err.strip().splitlines()
    assert line == (
        f"pmload: warning: {cal}: skipped 'Sprint planning' (UID planning@acme.test): its RRULE"
        " has an unknown part UNTL=20260301T000000Z (did you mean UNTIL?)."
    )
    assert titles(capsys) == ["Eng sync"] * 4 + ["Pricing review"]


def test_the_import_report_lists_skipped_events(cal: Path, pmload_home: Path) -> None:
    conn = connect(pmload_home / "db.sqlite3")
    result = import_file(conn, cal, ZoneInfo("UTC"))
    assert result.status == "imported" and result.events == 2
    [skipped] = result.skipped
    assert (skipped.uid, skipped.title, skipped.prop) == (
        "planning@acme.test",
        "Sprint planning",
        "RRULE",
    )
    assert "UNTL" in skipped.reason and not skipped.known


def test_reimport_does_not_warn_twice_unless_asked(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    code, out, err = run(capsys, "import", str(cal))
    assert code == 0 and err == ""
    assert "unchanged" in out and "skipped 1 event, reported before (-v lists it)" in out
    code, out, err = run(capsys, "-v", "import", str(cal))
    assert code == 0 and "skipped 'Sprint planning'" in err
    # another event changes: the damaged one is still skipped, but not reported as new
    cal.write_text(calendar(PLANNING, REVIEW.format(title="Pricing review v2"), SYNC))
    code, out, err = run(capsys, "import", str(cal))
    assert code == 0 and "Sprint planning" not in err, err
    assert "1 changed, 0 removed; skipped 1 event, reported before" in out
    assert "Pricing review v2" in titles(capsys)


def test_a_changed_damaged_event_is_reported_again(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    cal.write_text(
        calendar(PLANNING.replace("UNTL=", "UNTILL="), REVIEW.format(title="Pricing review"))
    )
    code, _, err = run(capsys, "import", str(cal))
    assert code == 0 and "skipped 'Sprint planning'" in err and "UNTILL" in err


def test_fixing_the_event_imports_it(cal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    cal.write_text(
        calendar(PLANNING.replace("UNTL=", "UNTIL="), REVIEW.format(title="Pricing review"), SYNC)
    )
    code, out, err = run(capsys, "import", str(cal))
    assert code == 0 and err == "" and "skipped" not in out
    assert titles(capsys).count("Sprint planning") == 8


def test_a_file_with_no_readable_event_is_rejected_and_the_store_kept(
    cal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    before = titles(capsys)
    bad = tmp_path / "bad.ics"
    bad.write_text(calendar(PLANNING, SYNC.replace("COUNT=4", "INTERVAL=0")))
    code, out, err = run(capsys, "import", str(bad), *WINDOW)
    assert code == 1 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith(f"pmload: {bad}: none of its 2 events can be read (the first, ")
    # the file imported before, now with only damaged events: rejected, nothing lost
    shutil.copy(bad, cal)
    code, _, err = run(capsys, "import", str(cal))
    assert code == 1 and "none of its 2 events can be read" in err
    assert titles(capsys) == before


def test_the_log_names_no_title(cal: Path, pmload_home: Path) -> None:
    cal.write_text(calendar(PLANNING.replace("Sprint planning", "Secret merger talks"), SYNC))
    assert main(["--tz", "UTC", "-v", "import", str(cal), *WINDOW]) == 0
    log = (pmload_home / "logs" / "pmload.log").read_text()
    assert "skipped event #1 (uid sha256 " in log and "property RRULE" in log
    assert "Secret merger" not in log and "planning@acme.test" not in log and "UNTL" not in log


def test_skipped_events_are_stored_with_their_hash(cal: Path, pmload_home: Path) -> None:
    assert main(["--tz", "UTC", "import", str(cal), *WINDOW]) == 0
    db = sqlite3.connect(pmload_home / "data" / "pmload.sqlite3")
    rows = db.execute("SELECT uid, property, length(block_hash) FROM skipped").fetchall()
    assert rows == [("planning@acme.test", "RRULE", 64)]
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 2


def test_a_damaged_time_zone_costs_only_its_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_tz = (
        "BEGIN:VTIMEZONE\nTZID:Office Time\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
        "TZOFFSETFROM:+5328\nTZOFFSETTO:+5328\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    event = REVIEW.format(title="Pricing review").replace(
        "DTSTART:20260106T170000Z", "DTSTART;TZID=Office Time:20260106T170000"
    )
    path = tmp_path / "office.ics"
    path.write_text(calendar(bad_tz + event))
    code, out, err = run(capsys, "import", str(path), *WINDOW)
    assert code == 0 and "imported 1 events, 1 occurrences" in out
    assert "the time zone definition 'Office Time' is damaged and was ignored" in err


@pytest.mark.parametrize(
    "name",
    ["icalevents/test__test_data__icloud.ics", "khal/tests__ics__non_dst_error.ics"],
)
def test_corpus_files_rejected_whole_before_now_import(
    name: str, shared_dir: Path, pmload_home: Path
) -> None:
    """Real files that one damaged part (a time zone offset, an alarm) used to reject whole."""
    path = shared_dir / "corpus" / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the corpus")
    conn = connect(pmload_home / "db.sqlite3")
    result = import_file(conn, path, ZoneInfo("UTC"))
    assert result.status == "imported", result.message
    assert result.events >= 1


def test_sources_lists_how_many_events_were_skipped(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    code, out, _ = run(capsys, "sources")
    header, row = out.strip().splitlines()
    assert code == 0 and header.split()[:5] == ["ID", "SOURCE", "EVENTS", "SKIPPED", "OCCURRENCES"]
    assert row.split()[:5] == ["1", str(cal), "2", "1", "5"]
    code, _, err = run(capsys, "-v", "sources", "refresh")
    assert code == 0 and "skipped 'Sprint planning'" in err
