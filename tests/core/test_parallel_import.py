"""Large imports split across a helper process give exactly the serial result."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.ingest import parallel
from pmload.ingest.importer import import_file
from pmload.store import connect

from .test_import_robustness import big_calendar

LA = ZoneInfo("America/Los_Angeles")
WINDOW = (date(2026, 1, 1), date(2026, 4, 30))
FIX = Path(__file__).parent / "fixtures"


def _dump(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT id, uid, recurrence_id, start_ts, end_ts, time_kind, title, organizer, attendees,"
        " status, transp FROM occurrences ORDER BY id"
    ).fetchall()


def test_helper_process_gives_the_serial_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (FIX / "recurrence.ics").read_text().replace("END:VCALENDAR", "")
    text += big_calendar(300).split("PRODID:-//pmload tests//EN\r\n", 1)[1]
    cal = tmp_path / "mixed.ics"
    cal.write_text(text)
    serial = connect(tmp_path / "serial.sqlite3")
    assert import_file(serial, cal, LA, WINDOW).status == "imported"
    calls: list[int] = []
    real_start = parallel._start_helper

    def counting_start(payload: bytes) -> object:
        calls.append(len(payload))
        return real_start(payload)

    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "_start_helper", counting_start)
    split = connect(tmp_path / "split.sqlite3")
    result = import_file(split, cal, LA, WINDOW)
    assert result.status == "imported" and calls, "the helper process was not used"
    assert _dump(split) == _dump(serial)
    assert len(_dump(split)) == 17 + 300


def test_a_bad_event_inside_the_helper_half_is_skipped_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = big_calendar(200).replace("DURATION:PT30M", "DURATION:PT30M\r\nRRULE:FREQ=NEVER", 1)
    # put the broken event last, so it lands in the helper's half
    head, tail = bad.split("BEGIN:VEVENT", 1)
    first_event, rest = tail.split("END:VEVENT\r\n", 1)
    cal = tmp_path / "bad.ics"
    cal.write_text(
        head
        + rest.replace(
            "END:VCALENDAR", "BEGIN:VEVENT" + first_event + "END:VEVENT\r\nEND:VCALENDAR"
        )
    )
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    conn = connect(tmp_path / "db.sqlite3")
    result = import_file(conn, cal, LA, WINDOW)
    assert result.status == "imported" and result.events == 199
    [skipped] = result.skipped
    assert skipped.title == "Bulk meeting 0" and skipped.prop == "RRULE"
    assert "FREQ" in skipped.reason
    assert conn.execute("SELECT COUNT(*) FROM occurrences").fetchone()[0] == 199


def test_halves_keep_groups_whole_and_balanced() -> None:
    from pmload.ingest.ics_text import split

    s = split(big_calendar(101), "x")
    a, b = parallel.halves(list(s.groups.values()))
    assert len(a) + len(b) == 101 and abs(len(a) - len(b)) <= 2
    assert not {g.uid for g in a} & {g.uid for g in b}


def test_cancel_during_a_split_import_kills_the_helper_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmload.errors import ImportCancelled

    cal = tmp_path / "big.ics"
    cal.write_text(big_calendar(3000))
    started: list[object] = []
    real_start = parallel._start_helper

    def remember(payload: bytes) -> object:
        proc = real_start(payload)
        started.append(proc)
        return proc

    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "_start_helper", remember)
    conn = connect(tmp_path / "db.sqlite3")
    calls = iter(range(10**6))
    with pytest.raises(ImportCancelled):
        import_file(conn, cal, LA, WINDOW, cancelled=lambda: next(calls) >= 1)
    assert len(started) == 1
    helper = started[0]
    assert isinstance(helper, subprocess.Popen) and helper.poll() is not None  # not left running
    assert conn.execute("SELECT COUNT(*) FROM occurrences").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 0


KILLED_PARENT = r"""
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo
from pmload.ingest import parallel
from pmload.ingest.importer import import_file
from pmload.store import connect

parallel.PARALLEL_MIN_CHARS = 0
real_start = parallel._start_helper

def announce(payload):
    proc = real_start(payload)
    print(proc.pid, flush=True)  # the test kills this process now
    return proc

parallel._start_helper = announce
import_file(connect(Path(sys.argv[2])), Path(sys.argv[1]), ZoneInfo("UTC"),
            (date(2026, 1, 1), date(2026, 4, 30)))
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_the_helper_dies_with_a_killed_import(tmp_path: Path) -> None:
    import os
    import signal
    import sys
    import time

    cal = tmp_path / "big.ics"
    cal.write_text(big_calendar(8000))  # the helper's half takes seconds
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen(
        [sys.executable, "-c", KILLED_PARENT, str(cal), str(tmp_path / "db.sqlite3")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert parent.stdout is not None
    with parent.stdout:
        helper = int(parent.stdout.readline())
    time.sleep(0.3)  # the helper has its payload and is working
    assert _running(helper)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 1.0
    while _running(helper) and time.monotonic() < deadline:
        time.sleep(0.02)
    still = _running(helper)
    if still:
        os.kill(helper, signal.SIGKILL)
    assert not still, "the import helper outlived its killed parent"
