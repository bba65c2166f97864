"""Re-import: unchanged files are skipped, changes touch only what changed, tags survive."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pmload.cli import main
from pmload.ingest.importer import import_paths
from pmload.paths import resolve_paths
from pmload.store import connect

FIX = Path(__file__).parent / "fixtures"
WINDOW = ["--from", "2026-01-01", "--to", "2026-04-30"]
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def cal(tmp_path: Path, pmload_home: Path) -> Path:
    (pmload_home / "config").mkdir(parents=True)
    (pmload_home / "config" / "rules.toml").write_text('me = ["me@acme.test"]\n')
    p = tmp_path / "work.ics"
    shutil.copy(FIX / "recurrence.ics", p)
    return p


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--tz", "America/Los_Angeles", *args])
    out, err = capsys.readouterr()
    return code, out, err


def listing(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "meetings", "--format", "json")
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def db() -> sqlite3.Connection:
    return connect(resolve_paths().database)


def test_unchanged_file_is_skipped(cal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    before = listing(capsys)
    code, out, _ = run(capsys, "import", str(cal))
    assert code == 0 and "unchanged" in out
    assert listing(capsys) == before


def test_changed_event_updates_only_its_group(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = db()
    first = import_paths(conn, [cal], LA, window=None)
    assert first.results[0].changed_events == 8
    text = cal.read_text().replace("SUMMARY:Pricing review", "SUMMARY:Pricing council")
    cal.write_text(text)
    report = import_paths(conn, [cal], LA)
    result = report.results[0]
    assert result.status == "imported" and result.changed_events == 1 and result.removed_events == 0
    titles = {r["uid"]: r["title"] for r in listing(capsys)}
    assert titles["duration@acme.test"] == "Pricing council"


def test_deleted_event_disappears_and_tags_survive(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    rows = listing(capsys)
    sync = next(r for r in rows if r["uid"] == "weekly-sync@acme.test")
    pricing = next(r for r in rows if r["uid"] == "duration@acme.test")
    assert run(capsys, "tag", sync["id"], "translation")[0] == 0
    assert run(capsys, "tag", pricing["id"], "strategy", "--series")[0] == 0
    # Remove the solo event, change the pricing review's title, re-import.
    text = cal.read_text()
    start = text.index("BEGIN:VEVENT\nUID:solo@acme.test")
    end = text.index("END:VEVENT", start) + len("END:VEVENT\n")
    cal.write_text((text[:start] + text[end:]).replace("Pricing review", "Pricing deep-dive"))
    code, out, _ = run(capsys, "import", str(cal))
    assert code == 0 and "1 removed" in out
    after = {r["id"]: r for r in listing(capsys)}
    assert not any(r["uid"] == "solo@acme.test" for r in after.values())
    assert after[sync["id"]]["category"] == "translation"
    assert after[sync["id"]]["id"] == sync["id"]
    assert after[pricing["id"]]["category"] == "strategy"
    assert after[pricing["id"]]["title"] == "Pricing deep-dive"
    assert len(after) == len(rows) - 1


def test_same_event_from_two_sources_counts_once(
    cal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.ics"
    shutil.copy(cal, copy)
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    n = len(listing(capsys))
    assert run(capsys, "import", str(copy), *WINDOW)[0] == 0
    assert len(listing(capsys)) == n
    _code, out, _ = run(capsys, "sources")
    assert out.count("work.ics") == 1 and out.count("copy.ics") == 1
    # removing one source keeps the other's occurrences
    assert run(capsys, "sources", "remove", "1")[0] == 0
    assert len(listing(capsys)) == n
    assert run(capsys, "sources", "remove", "1")[0] == 1


def test_window_is_remembered_and_refresh_reimports(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(cal), "--from", "2026-01-01", "--to", "2026-01-31")[0] == 0
    n = len(listing(capsys))
    cal.write_text(cal.read_text().replace("SUMMARY:Coffee with Sam", "SUMMARY:Coffee w/ Sam"))
    code, out, _ = run(capsys, "sources", "refresh")
    assert code == 0 and "1 changed" in out
    assert len(listing(capsys)) == n  # same January window
    _, out, _ = run(capsys, "sources")
    assert "2026-01-01 – 2026-01-31" in out


def test_file_that_became_bad_keeps_stored_data(
    cal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    before = listing(capsys)
    cal.write_bytes(cal.read_bytes()[:500])
    code, _, err = run(capsys, "import", str(cal))
    assert code == 1 and "truncated" in err
    assert listing(capsys) == before


def test_default_window_rolls_forward_but_explicit_never_moves(cal: Path, tmp_path: Path) -> None:
    from datetime import date, timedelta

    from pmload.store import list_sources

    weekly = tmp_path / "weekly.ics"
    weekly.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:w@acme.test\r\n"
        "SUMMARY:Eng sync\r\nDTSTART:20260105T170000Z\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY\r\n"
        "ORGANIZER:mailto:priya.ml@acme.test\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    conn = db()
    day0 = date(2026, 1, 10)
    import_paths(conn, [weekly], LA, today=day0)
    import_paths(conn, [cal], LA, window=(date(2026, 1, 1), date(2026, 1, 31)), today=day0)
    windows = {s.location: (s.window_start, s.window_end) for s in list_sources(conn)}
    assert windows[str(weekly)] == (date(2026, 1, 5), day0 + timedelta(weeks=26))
    n0 = conn.execute("SELECT COUNT(*) FROM occurrences WHERE uid = 'w@acme.test'").fetchone()[0]

    # three weeks later nothing moves: the file is recognised as unchanged
    later = day0 + timedelta(weeks=3)
    assert import_paths(conn, [weekly], LA, today=later).results[0].status == "unchanged"
    # ten weeks later the default window rolls forward; the explicit one stays
    much_later = day0 + timedelta(weeks=10)
    results = {
        r.path.name: r for r in import_paths(conn, [weekly, cal], LA, today=much_later).results
    }
    assert results["weekly.ics"].status == "imported"
    assert results["work.ics"].status == "unchanged"
    windows = {s.location: (s.window_start, s.window_end) for s in list_sources(conn)}
    assert windows[str(weekly)] == (date(2026, 1, 5), much_later + timedelta(weeks=26))
    assert windows[str(cal)] == (date(2026, 1, 1), date(2026, 1, 31))
    n1 = conn.execute("SELECT COUNT(*) FROM occurrences WHERE uid = 'w@acme.test'").fetchone()[0]
    assert n1 == n0 + 10


def test_events_without_uid_get_stable_ids_and_are_replaced_when_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pmload_home: Path
) -> None:
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:{title}\r\nDTSTART:20260105T170000Z\r\nDURATION:PT30M\r\n"
        "RRULE:FREQ=DAILY;COUNT=3\r\nORGANIZER:mailto:cfo@acme.test\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:\r\nSUMMARY:Empty UID\r\nDTSTART:20260106T170000Z\r\n"
        "DURATION:PT30M\r\nORGANIZER:mailto:cfo@acme.test\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    cal = tmp_path / "nouid.ics"
    cal.write_text(body.format(title="Budget sync"))
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    first = {r["id"]: r for r in listing(capsys)}
    assert len(first) == 4
    cal.unlink()
    assert run(capsys, "sources", "remove", "1")[0] == 0
    cal.write_text(body.format(title="Budget sync"))
    assert run(capsys, "import", str(cal), *WINDOW)[0] == 0
    assert set(first) == {r["id"] for r in listing(capsys)}  # the same ids, run after run
    cal.write_text(body.format(title="Budget review"))
    assert run(capsys, "import", str(cal))[0] == 0
    titles = sorted(r["title"] for r in listing(capsys))
    assert titles == ["Budget review"] * 3 + ["Empty UID"]
