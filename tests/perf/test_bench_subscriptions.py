"""Subscription and zip benchmark (make bench): prints figures, asserts nothing about speed.

Scale 1 (gen_calendar --years 3 --scale 1 --seed 7), default window:

* a file: the unchanged re-import, and the re-import after one event changed;
* the same calendar served by a local HTTP server (127.0.0.1, ETag): a refresh
  answered 304, the download alone, and a refresh after the same one event changed.

Targets: a 304 refresh costs at most the unchanged re-import of the file; a
changed calendar costs the incremental re-import plus the download.

Scale 10: the .ics imported and the same .ics inside a .zip imported, with
--from 2024-01-01 --to 2027-07-04. Target: the zip within 1.1x of the .ics.

Each measurement runs in a fresh process; times exclude interpreter start-up
and module imports, which both sides pay alike.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.perf.test_bench_import import IMPORT, _change_one_event

SUBSCRIPTION = r"""
import json, sys, time
from pathlib import Path
from zoneinfo import ZoneInfo
import urllib3, icalendar, recurring_ical_events, x_wr_timezone
from pmload.ingest import subscriptions
from pmload.ingest.fetch import fetch
from pmload.paths import resolve_paths
from pmload.store import connect
zone = ZoneInfo("America/Los_Angeles")
url, db, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
conn = connect(db)
paths = resolve_paths(str(db.parent / "home"))
t0 = time.perf_counter()
if mode == "subscribe":
    r = subscriptions.subscribe(conn, paths, url, zone)
elif mode == "download":
    got = fetch(url)
    r = None
elif mode == "conditional":
    (etag,) = conn.execute("SELECT etag FROM sources WHERE kind = 'url'").fetchone()
    t0 = time.perf_counter()
    assert not fetch(url, etag).changed
    r = None
else:
    [r] = subscriptions.refresh(conn, paths, zone).results
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "status": r.status if r else "downloaded",
                  "changed": r.changed_events if r else 0, "rss": 0}))
"""


def _run(code: str, *args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _s(result: dict[str, object]) -> float:
    return float(result["seconds"])  # type: ignore[arg-type]


def test_subscription_refresh_benchmark(
    tmp_path: Path, httpserver: HTTPServer, generate_calendar: Callable[[int], Path]
) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ics = tmp_path / "pm1.ics"
    shutil.copyfile(generate_calendar(1), ics)

    served: dict[int, tuple[bytes, str]] = {}

    def current() -> tuple[bytes, str]:
        """The file and its ETag, computed once per version (a server keeps them)."""
        stamp = ics.stat().st_mtime_ns
        if stamp not in served:
            body = ics.read_bytes()
            served[stamp] = (body, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
        return served[stamp]

    def handler(request: Request) -> Response:
        body, etag = current()
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag, "Content-Type": "text/calendar"})

    httpserver.expect_request("/pm1.ics").respond_with_handler(handler)
    # 127.0.0.1, not "localhost": no name lookup (and no ::1 tried first) in the figure
    url = httpserver.url_for("/pm1.ics").replace("//localhost:", "//127.0.0.1:")

    file_db, sub_db = tmp_path / "file" / "pm.sqlite3", tmp_path / "sub" / "pm.sqlite3"
    file_db.parent.mkdir()
    sub_db.parent.mkdir()
    first = _run(IMPORT, str(ics), str(file_db), "stored")
    subscribed = _run(SUBSCRIPTION, url, str(sub_db), "subscribe")
    unchanged = _run(IMPORT, str(ics), str(file_db), "stored")
    not_modified = _run(SUBSCRIPTION, url, str(sub_db), "refresh")
    assert (first["status"], subscribed["status"]) == ("imported", "imported")
    assert (unchanged["status"], not_modified["status"]) == ("unchanged", "unchanged")
    exchange = _run(SUBSCRIPTION, url, str(sub_db), "conditional")

    _change_one_event(ics)
    download = _run(SUBSCRIPTION, url, str(sub_db), "download")
    incremental = _run(IMPORT, str(ics), str(file_db), "stored")
    changed = _run(SUBSCRIPTION, url, str(sub_db), "refresh")
    assert incremental["changed"] == 1 and changed["changed"] == 1

    print("\n\nSubscription benchmark: gen_calendar --years 3 --scale 1 --seed 7, default window")
    print(f"  file, first import                  {_s(first):7.3f} s")
    print(f"  subscription, first fetch + import  {_s(subscribed):7.3f} s")
    print(f"  file, unchanged re-import           {_s(unchanged):7.3f} s")
    print(
        f"  subscription refresh, 304           {_s(not_modified):7.3f} s"
        f"  ({_s(not_modified) / _s(unchanged):.2f}x the unchanged re-import; target <= 1.0x)"
    )
    print(f"  of which the 304 exchange alone     {_s(exchange):7.3f} s (server included)")
    print(f"  download alone ({ics.stat().st_size / 1e6:.1f} MB)          {_s(download):7.3f} s")
    print(f"  file, one event changed             {_s(incremental):7.3f} s")
    target = _s(incremental) + _s(download)
    print(
        f"  subscription refresh, one changed   {_s(changed):7.3f} s"
        f"  (target: incremental + download = {target:.3f} s; {_s(changed) / target:.2f}x)"
    )


def test_zip_import_benchmark(tmp_path: Path, generate_calendar: Callable[[int], Path]) -> None:
    ics = generate_calendar(10)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(ics, "me@acme.test.ical/pm10.ics")
    # twice each, alternating, the faster of each kept: a shared machine's noise is
    # larger than the difference measured
    runs: dict[str, list[dict[str, object]]] = {"ics": [], "zip": []}
    for i in range(2):
        for kind, source in (("ics", ics), ("zip", archive)):
            db = tmp_path / f"{kind}{i}.sqlite3"
            runs[kind].append(_run(IMPORT, str(source), str(db), "window"))
    plain, zipped = (min(runs[k], key=_s) for k in ("ics", "zip"))
    assert plain["occurrences"] == zipped["occurrences"] and zipped["status"] == "imported"
    print("\n\nZip benchmark: gen_calendar --years 3 --scale 10 --seed 7, 2024-01-01..2027-07-04")
    print(
        "  (each the faster of two runs: "
        + ", ".join(f"{k} " + " / ".join(f"{_s(r):.2f}" for r in v) + " s" for k, v in runs.items())
        + ")"
    )
    print(f"  .ics  ({ics.stat().st_size / 1e6:5.1f} MB)      {_s(plain):7.3f} s")
    print(
        f"  .zip  ({archive.stat().st_size / 1e6:5.1f} MB)      {_s(zipped):7.3f} s"
        f"  ({_s(zipped) / _s(plain):.3f}x the .ics; target <= 1.1x)"
    )
