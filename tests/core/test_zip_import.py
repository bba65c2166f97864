"""A zip export (Google Calendar's: one .ics per calendar) imports each calendar as a source."""

from __future__ import annotations

import io
import sqlite3
import stat
import zipfile
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.cli import main
from pmload.ingest import ics_text, zipped
from pmload.ingest.importer import import_paths, refresh_sources
from pmload.paths import resolve_paths
from pmload.store import connect

FIX = Path(__file__).parent / "fixtures"
LA = ZoneInfo("America/Los_Angeles")
WINDOW = ["--from", "2026-01-01", "--to", "2026-04-30"]


def one_event(uid: str, title: str, day: int = 6) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{title}\r\n"
        f"DTSTART:202601{day:02d}T170000Z\r\nDTEND:202601{day:02d}T173000Z\r\n"
        "ORGANIZER:mailto:me@acme.test\r\nATTENDEE:mailto:priya@acme.test\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def make_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def export_zip(tmp_path: Path) -> Path:
    return make_zip(
        tmp_path / "export.zip",
        {
            "me@acme.test.ical/Work_me@acme.test.ics": (FIX / "recurrence.ics").read_bytes(),
            "me@acme.test.ical/Team_abc@group.calendar.google.com.ics": one_event("t1", "Team"),
            "readme.txt": "not a calendar",
        },
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--tz", "America/Los_Angeles", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_each_calendar_in_the_zip_is_its_own_source_named_by_zip_and_member(
    capsys: pytest.CaptureFixture[str], export_zip: Path
) -> None:
    code, out, err = run(capsys, "import", str(export_zip), *WINDOW)
    assert code == 0, err
    work = f"{export_zip}!me@acme.test.ical/Work_me@acme.test.ics"
    team = f"{export_zip}!me@acme.test.ical/Team_abc@group.calendar.google.com.ics"
    assert f"{work}: imported 8 events" in out
    assert f"{team}: imported 1 events, 1 occurrences." in out
    assert f"pmload: warning: {export_zip}!readme.txt: not a calendar (.ics) file; skipped." in err
    conn = connect(resolve_paths().database)
    rows = conn.execute("SELECT kind, location FROM sources ORDER BY id").fetchall()
    assert rows == [("zip", work), ("zip", team)]
    code, out, _ = run(capsys, "sources")
    assert work in out and team in out

    # again: both unchanged; `sources refresh` reads the zip once more
    code, out, _ = run(capsys, "import", str(export_zip))
    assert out.count(": unchanged (") == 2
    code, out, _ = run(capsys, "sources", "refresh")
    assert code == 0 and out.count(": unchanged (") == 2
    assert conn.execute("SELECT COUNT(*) FROM sources").fetchone() == (2,)


def test_a_changed_member_is_reimported_incrementally_and_tags_survive(
    tmp_path: Path, export_zip: Path
) -> None:
    conn = connect(resolve_paths().database)
    window = (date(2026, 1, 1), date(2026, 4, 30))
    first = import_paths(conn, [export_zip], LA, window)
    assert [r.status for r in first.results] == ["imported", "imported", "ignored"]
    make_zip(
        export_zip,
        {
            "me@acme.test.ical/Work_me@acme.test.ics": (FIX / "recurrence.ics").read_bytes(),
            "me@acme.test.ical/Team_abc@group.calendar.google.com.ics": one_event(
                "t1", "Team renamed", 7
            ),
        },
    )
    again = refresh_sources(conn, LA)
    assert [r.status for r in again.results] == ["unchanged", "imported"]
    assert again.results[1].changed_events == 1
    titles = [r[0] for r in conn.execute("SELECT title FROM occurrences WHERE uid = 't1'")]
    assert titles == ["Team renamed"]


def test_a_zip_in_a_folder_import_is_not_mistaken_for_a_calendar(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", str(make_zip(tmp_path / "x.zip", {"a.txt": "hi"})))
    assert code == 1
    assert f"pmload: {tmp_path / 'x.zip'}: the archive holds no .ics files." in err
    (tmp_path / "fake.zip").write_text("BEGIN:VCALENDAR")
    code, _, err = run(capsys, "import", str(tmp_path / "fake.zip"))
    assert code == 1 and "this is not a zip archive, or it is damaged." in err
    assert "Traceback" not in err


def test_path_tricks_are_refused_and_nothing_is_written_to_disk(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, private_tmpdir: Path
) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../evil.ics", one_event("e1", "Evil"))
        zf.writestr("/etc/abs.ics", one_event("e2", "Abs"))
        zf.writestr("C:/win.ics", one_event("e3", "Win"))
        link = zipfile.ZipInfo("link.ics")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("good/ok.ics", one_event("g1", "Good"))
    (tmp_path / "in").mkdir()
    archive = tmp_path / "in" / "tricks.zip"
    archive.write_bytes(buf.getvalue())
    code, out, err = run(capsys, "import", str(archive), *WINDOW)
    assert code == 1  # the refused members are reported as not imported
    assert f"{archive}!good/ok.ics: imported 1 events" in out
    for name in ("../../evil.ics", "/etc/abs.ics", "C:/win.ics"):
        assert f"{archive}!{name}: its name points outside the archive" in err
    assert f"{archive}!link.ics: it is a symbolic link" in err
    assert [p.name for p in (tmp_path / "in").iterdir()] == ["tricks.zip"]
    assert list(private_tmpdir.iterdir()) == []  # no extraction, not even to a temp dir
    assert not (tmp_path / "evil.ics").exists() and not (tmp_path.parent / "evil.ics").exists()


def test_a_zip_bomb_stops_at_the_limits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a member that claims little and unpacks to far more than a calendar may hold
    monkeypatch.setattr(ics_text, "MAX_BYTES", 1024 * 1024)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.ics", b"BEGIN:VCALENDAR\r\n" + b" " * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 100 * 1024
    code, _, err = run(capsys, "import", str(bomb))
    assert code == 1
    assert f"{bomb}!big.ics: it unpacks to more than 1 MB" in err

    monkeypatch.setattr(zipped, "MAX_MEMBERS", 3)
    many = make_zip(tmp_path / "many.zip", {f"c{i}.ics": one_event(f"u{i}", "x") for i in range(4)})
    code, _, err = run(capsys, "import", str(many))
    assert code == 1 and "the archive holds 4 entries, more than the 3 pmload opens" in err
    conn: sqlite3.Connection = connect(resolve_paths().database)
    assert conn.execute("SELECT COUNT(*) FROM sources").fetchone() == (0,)


def test_the_archive_total_is_bounded_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cal = one_event("u0", "x").encode()
    monkeypatch.setattr(zipped, "MAX_TOTAL_BYTES", len(cal) * 2)
    archive = make_zip(tmp_path / "t.zip", {f"c{i}.ics": one_event(f"u{i}", "x") for i in range(3)})
    _code, out, err = run(capsys, "import", str(archive), *WINDOW)
    assert out.count("imported 1 events") == 2
    assert f"{archive}!c2.ics: the archive unpacks to more than" in err
