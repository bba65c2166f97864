"""Import benchmark (make bench): prints figures, asserts nothing about speed.

For gen_calendar --years 3 --seed 7 at --scale 1 and --scale 10, imported with
--from 2024-01-01 --to 2027-07-04, side by side:

* floor: icalendar parse + recurring_ical_events expansion of the same file
  over the same window, nothing else;
* pmload's first import, re-import of the unchanged file, re-import after one
  event changed;
* peak RSS of the first import's process.

Each measurement runs in a fresh process; times exclude interpreter start-up
and module imports, which both sides pay alike.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

FLOOR = r"""
import json, resource, sys, time, datetime
import icalendar, recurring_ical_events

def peak_rss_mb():
    # VmHWM starts afresh at exec; ru_maxrss would include the parent's (pytest's) size
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
n = len(recurring_ical_events.of(cal).between(datetime.date(2024, 1, 1), datetime.date(2027, 7, 5)))
print(json.dumps({"seconds": time.perf_counter() - t0, "occurrences": n,
                  "rss": peak_rss_mb()}))
"""

IMPORT = r"""
import json, resource, sys, time, datetime
from pathlib import Path
from zoneinfo import ZoneInfo
import icalendar, recurring_ical_events, x_wr_timezone
from pmload.ingest.importer import import_paths
from pmload.store import connect
import pmload.ingest.parallel
if sys.argv[4:] == ["one-core"]:
    pmload.ingest.parallel.PARALLEL_MIN_CHARS = 10**12

def peak_rss_mb():
    # VmHWM starts afresh at exec; ru_maxrss would include the parent's (pytest's) size
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
conn = connect(Path(sys.argv[2]))
t0 = time.perf_counter()
report = import_paths(conn, [Path(sys.argv[1])], ZoneInfo("America/Los_Angeles"),
                      window=(datetime.date(2024, 1, 1), datetime.date(2027, 7, 4)) if sys.argv[3] == "window" else None)
r = report.results[0]
print(json.dumps({"seconds": time.perf_counter() - t0, "status": r.status, "occurrences": r.occurrences,
                  "changed": r.changed_events, "rss": peak_rss_mb()}))
"""


def _run(code: str, *args: str) -> tuple[dict[str, object], float]:
    """Run ``code`` in a fresh interpreter; its JSON result and peak RSS in MB."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result, float(result["rss"])  # type: ignore[arg-type]


def _change_one_event(path: Path) -> None:
    text = path.read_bytes()
    marker = b"SUMMARY:Quick sync"
    i = text.index(marker)
    path.write_bytes(text[:i] + b"SUMMARY:Quick sync (moved to Friday)" + text[i + len(marker) :])


def test_import_benchmark(tmp_path: Path, generate_calendar: Callable[[int], Path]) -> None:
    rows = []
    for scale in (1, 10):
        ics = tmp_path / f"pm{scale}.ics"  # a copy: one event of it is changed below
        shutil.copyfile(generate_calendar(scale), ics)
        db = tmp_path / f"pm{scale}.sqlite3"
        floor, floor_rss = _run(FLOOR, str(ics))
        first, first_rss = _run(IMPORT, str(ics), str(db), "window")
        serial, serial_rss = _run(
            IMPORT, str(ics), str(tmp_path / "serial.sqlite3"), "window", "one-core"
        )
        same, _ = _run(IMPORT, str(ics), str(db), "stored")
        _change_one_event(ics)
        one, one_rss = _run(IMPORT, str(ics), str(db), "stored")
        assert same["status"] == "unchanged" and one["changed"] == 1
        assert serial["occurrences"] == first["occurrences"]
        rows.append(
            (scale, floor, floor_rss, first, first_rss, serial, serial_rss, same, one, one_rss)
        )

    def x(result: dict[str, object], base: float) -> str:
        s = float(result["seconds"])  # type: ignore[arg-type]
        return f"{s:7.3f} s {s / base:6.3f}x"

    print("\n\nImport benchmark: gen_calendar --years 3 --seed 7, window 2024-01-01..2027-07-04")
    for scale, floor, floor_rss, first, first_rss, serial, serial_rss, same, one, one_rss in rows:
        base = float(floor["seconds"])  # type: ignore[arg-type]
        print(f"scale {scale}: {first['occurrences']} occurrences")
        print(
            f"  floor: icalendar + recurring_ical_events  {base:7.3f} s          peak RSS {floor_rss:4.0f} MB"
        )
        print(
            f"  first import (two cores)           {x(first, base)}  peak RSS {first_rss:4.0f} MB (main process)"
        )
        print(
            f"  first import (one core)            {x(serial, base)}  peak RSS {serial_rss:4.0f} MB"
        )
        print(f"  re-import, unchanged file          {x(same, base)}")
        print(f"  re-import, one event changed       {x(one, base)}  peak RSS {one_rss:4.0f} MB")
    print(
        "floor occurrences:",
        ", ".join(f"scale {r[0]}: {r[1]['occurrences']}" for r in rows),
        "(pmload keys occurrences by (UID, start): a moved instance landing on a regular one counts once)",
    )
    print(
        "targets: first <= 1.2x floor (aim 1.0x), unchanged <= 0.1x, one event <= 0.3x, peak RSS < 300 MB at scale 10"
    )
