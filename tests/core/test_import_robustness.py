"""Robustness: kill -9 mid-import, the public corpus, generated garbage and mutations."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmload.ingest.importer import import_file
from pmload.store import connect

FIX = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
UTC = ZoneInfo("UTC")


def big_calendar(n: int) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pmload tests//EN"]
    for i in range(n):
        day = 1 + i % 28
        lines += [
            "BEGIN:VEVENT",
            f"UID:bulk-{i}@acme.test",
            f"SUMMARY:Bulk meeting {i}",
            f"DTSTART:202602{day:02d}T{8 + i % 9:02d}0000Z",
            "DURATION:PT30M",
            "ORGANIZER:mailto:cfo@acme.test",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test",
            f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:p{i % 50}@acme.test",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT source_id, id, title FROM occurrences ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["parsing", "writing"])
def test_kill_9_mid_import_leaves_database_as_before(
    pmload_home: Path, tmp_path: Path, moment: str
) -> None:
    small = tmp_path / "small.ics"
    small.write_bytes((FIX / "recurrence.ics").read_bytes())
    big = tmp_path / "big.ics"
    big.write_text(big_calendar(6000))
    env = {**os.environ, "PMLOAD_HOME": str(pmload_home)}
    cmd = [sys.executable, "-m", "pmload", "--tz", "UTC", "import"]
    window = ["--from", "2026-01-01", "--to", "2026-04-30"]
    subprocess.run([*cmd, str(small), *window], env=env, check=True, capture_output=True)
    db = pmload_home / "data" / "pmload.sqlite3"
    before = _rows(db)
    proc = subprocess.Popen(
        [*cmd, str(big), *window], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if moment == "parsing":
            time.sleep(0.8)
        else:
            # Wait until the importer holds the write lock, i.e. is inside its transaction.
            probe = sqlite3.connect(db, timeout=0, isolation_level=None)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    probe.execute("BEGIN IMMEDIATE")
                    probe.execute("ROLLBACK")
                except sqlite3.OperationalError:
                    break
                time.sleep(0.0005)
            probe.close()
        assert proc.poll() is None, "the import finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _rows(db) == before
    # and the store still works: the same import now succeeds
    subprocess.run([*cmd, str(big), *window], env=env, check=True, capture_output=True)
    assert len(_rows(db)) == len(before) + 6000


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.ics")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_is_there() -> None:
    assert len(corpus_files()) > 100


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file_imports_or_is_rejected_clearly(path: Path, pmload_home: Path) -> None:
    conn = connect(pmload_home / "db.sqlite3")
    result = import_file(conn, path, UTC, window=None)
    assert result.status in ("imported", "rejected")
    if result.status == "rejected":
        msg = result.message
        assert msg and "\n" not in msg and msg.endswith(".") and "Traceback" not in msg, msg
        assert conn.execute("SELECT COUNT(*) FROM occurrences").fetchone()[0] == 0
    else:
        stored = conn.execute("SELECT COUNT(*) FROM occurrences").fetchone()[0]
        assert stored == result.occurrences
        again = import_file(conn, path, UTC)
        assert again.status == "unchanged"


_GOOD = (FIX / "recurrence.ics").read_bytes()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_garbage_never_raises(pmload_home: Path, data: bytes) -> None:
    _import_never_raises(pmload_home, b"BEGIN:VCALENDAR\r\n" + data if data[:1] == b"B" else data)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["drop", "dup", "swap", "cut", "char"]),
            st.integers(0, 10_000),
            st.text(max_size=6),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_calendar_never_raises_nor_damages(
    pmload_home: Path, edits: list[tuple[str, int, str]]
) -> None:
    lines = _GOOD.decode().split("\r\n")
    for op, pos, text in edits:
        i = pos % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: pos % (len(lines[i]) + 1)]
        else:
            k = pos % (len(lines[i]) + 1)
            lines[i] = lines[i][:k] + text + lines[i][k:]
        if not lines:
            lines = [""]
    _import_never_raises(pmload_home, "\r\n".join(lines).encode("utf-8", "surrogatepass"))


def _import_never_raises(home: Path, data: bytes) -> None:
    home.mkdir(parents=True, exist_ok=True)
    db = home / "fuzz.sqlite3"
    conn = connect(db)
    try:
        good = home / "good.ics"
        good.write_bytes(_GOOD)
        assert import_file(conn, good, UTC, (date(2026, 1, 1), date(2026, 4, 30))).status in (
            "imported",
            "unchanged",
        )
        before = conn.execute(
            "SELECT id, title FROM occurrences WHERE source_id = 1 ORDER BY id"
        ).fetchall()
        target = home / "fuzz.ics"
        target.write_bytes(data)
        result = import_file(conn, target, UTC, (date(2026, 1, 1), date(2026, 4, 30)))
        assert result.status in ("imported", "rejected", "unchanged")
        if result.status == "rejected":
            assert result.message.endswith(".") and "\n" not in result.message
        after = conn.execute(
            "SELECT id, title FROM occurrences WHERE source_id = 1 ORDER BY id"
        ).fetchall()
        assert after == before
    finally:
        conn.close()
