"""Two imports of one file at once: the store always equals the last file committed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pmload.cli import main

# A worker: ROUNDS times, write one version of the shared file and import it; after each
# import, check in one read transaction that the stored events are exactly those of the
# version whose hash the store records.
WORKER = r"""
import hashlib, json, os, sqlite3, sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo
from pmload.ingest.importer import import_file
from pmload.store import connect

path, db, worker, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def version(k):
    events = [j for j in range(8) if (j + k) % 3 != 0]
    body = "".join(
        f"BEGIN:VEVENT\nUID:e{j}@acme.test\nSUMMARY:v{k} e{j}\n"
        f"DTSTART:202601{5 + j:02d}T100000Z\nDURATION:PT30M\nEND:VEVENT\n"
        for j in events
    )
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n{body}END:VCALENDAR\n"
    return text.encode(), {(f"e{j}@acme.test", f"v{k} e{j}") for j in events}

versions = {}
for k in range(5):
    data, expected = version(k)
    versions[hashlib.sha256(data).hexdigest()] = (k, expected)

conn = connect(db)
check = sqlite3.connect(db, isolation_level=None)
problems, statuses = [], {}
for i in range(rounds):
    data, _ = version((worker * 3 + i) % 5)
    tmp = path.with_name(f".{path.name}.{worker}")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # readers see one whole version or the other
    try:
        result = import_file(conn, path, ZoneInfo("UTC"), (date(2026, 1, 1), date(2026, 1, 31)))
        statuses[result.status] = statuses.get(result.status, 0) + 1
        if result.status == "rejected":
            problems.append(f"round {i}: rejected: {result.message}")
    except Exception as exc:
        problems.append(f"round {i}: {type(exc).__name__}: {exc}")
        continue
    check.execute("BEGIN")
    stored_hash = check.execute("SELECT content_hash FROM sources").fetchone()[0]
    stored = set(check.execute("SELECT uid, title FROM occurrences"))
    events = {r[0] for r in check.execute("SELECT uid FROM events")}
    check.execute("COMMIT")
    k, expected = versions[stored_hash]
    if stored != expected or events != {uid for uid, _ in expected}:
        problems.append(f"round {i}: store holds {sorted(stored)} but its hash is version {k}")
print(json.dumps({"problems": problems, "statuses": statuses}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("store", ["new", "imported before"])
def test_two_processes_importing_the_same_file(tmp_path: Path, store: str) -> None:
    """A new store: both first imports insert the source; then the ghost-event race."""
    path = tmp_path / "shared.ics"
    db = tmp_path / "pmload.sqlite3"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    if store == "imported before":
        subprocess.run(
            [sys.executable, "-c", WORKER, str(path), str(db), "0", "1"], env=env, check=True
        )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(db), str(w), "100"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for w in (0, 1)
    ]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    for report in reports:
        assert report["problems"] == [], report["problems"][:5]
        assert sum(report["statuses"].values()) == 100
    # and at rest: the store is exactly the file as it now is
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    titles = {r[0] for r in conn.execute("SELECT title FROM occurrences")}
    [k] = {int(t.split()[0][1:]) for t in titles}  # one version…
    assert titles == {f"v{k} e{j}" for j in range(8) if (j + k) % 3 != 0}  # …and all of it


def test_a_busy_store_gives_one_sentence(
    tmp_path: Path,
    pmload_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pmload.ingest import importer

    cal = tmp_path / "work.ics"
    cal.write_bytes((Path(__file__).parent / "fixtures" / "recurrence.ics").read_bytes())
    assert main(["--tz", "UTC", "import", str(cal)]) == 0
    cal.write_text(cal.read_text().replace("Eng sync", "Eng sync (renamed)"))
    capsys.readouterr()
    monkeypatch.setattr(importer, "IMPORT_WAIT_SECONDS", 0.3)
    holder = sqlite3.connect(pmload_home / "data" / "pmload.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another pmload, writing for a long time
    try:
        code = main(["--tz", "UTC", "import", str(cal)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err == (
        f"pmload: {cal}: another pmload is importing into this store; try again when it has"
        " finished.\n"
    )
    assert main(["--tz", "UTC", "import", str(cal)]) == 0  # and once it is free, it works
    assert "imported" in capsys.readouterr().out
