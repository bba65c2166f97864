"""Google sync benchmark (make bench): prints figures, asserts nothing about speed.

The gen_calendar --years 3 --scale 10 calendar (the ``scale10`` fixture,
imported for 2024-01-01..2027-07-04) is turned back into Google events, one
per occurrence (instances of a series carry recurringEventId and their
series' iCalUID), with the fields Google sends for an event. A fake Google on
127.0.0.1 serves them in pages of 2500, the first sync of ``pmload google
sync`` reads them all, and an incremental sync then reads a feed of five
changes. Every figure is a whole ``pmload`` process (interpreter start-up,
imports, token refresh, requests, writing), as a user runs it.

Targets: full sync under 10 s, incremental sync with 5 changes under 0.5 s;
the ratio to an unchanged .ics re-import (also a whole process) is printed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.perf.conftest import RULES, WINDOW, ZONE, ImportedCalendar

ME = "me@acme.test"
PAGE = 2500
_PARTSTAT = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}


def _when(ts: float, kind: str) -> dict[str, str]:
    if kind == "date":
        return {"date": (datetime(1970, 1, 1) + timedelta(seconds=ts)).date().isoformat()}
    if kind == "floating":
        naive = datetime(1970, 1, 1) + timedelta(seconds=ts)
        return {"dateTime": naive.replace(tzinfo=ZONE).isoformat(), "timeZone": ZONE.key}
    moment = datetime.fromtimestamp(ts, UTC).astimezone(ZONE)
    return {"dateTime": moment.isoformat(), "timeZone": ZONE.key}


def google_events(database: Path) -> list[dict[str, Any]]:
    """One Google event per stored occurrence, as events.list with singleEvents returns them.

    Cancelled instances are left out: without showDeleted Google does not send them.
    """
    conn = sqlite3.connect(database)
    rows = conn.execute(
        "SELECT uid, start_ts, end_ts, time_kind, start_key, title, organizer, attendees, status,"
        " transp, (SELECT COUNT(*) FROM occurrences p WHERE p.uid = o.uid) FROM occurrences o"
        " WHERE status IS NOT 'CANCELLED' ORDER BY start_ts"
    ).fetchall()
    conn.close()
    out: list[dict[str, Any]] = []
    for uid, start, end, kind, key, title, organizer, attendees, status, transp, n in rows:
        base = hashlib.sha1(uid.encode()).hexdigest()[:26]
        compact = re.sub(r"[-:]", "", key)
        event_id = f"{base}_{compact}" if n > 1 else base
        item: dict[str, Any] = {
            "kind": "calendar#event",
            "etag": f'"{3_400_000_000_000_000 + len(out)}"',
            "id": event_id,
            "status": (status or "confirmed").lower(),
            "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
            "created": "2024-01-02T10:00:00.000Z",
            "updated": "2024-06-02T10:00:00.000Z",
            "summary": title,
            "creator": {"email": organizer or ME, "self": organizer == ME},
            "organizer": {"email": organizer or ME, "self": organizer == ME},
            "start": _when(start, kind),
            "end": _when(end, kind),
            "iCalUID": uid,
            "sequence": 0,
            "attendees": [
                {
                    "email": a[0],
                    "responseStatus": _PARTSTAT.get(a[2] or "", "needsAction"),
                    **({"self": True} if a[0] == ME else {}),
                }
                for a in json.loads(attendees)
            ],
            "reminders": {"useDefault": True},
            "eventType": "default",
        }
        if transp:
            item["transparency"] = transp.lower()
        if n > 1:
            item["recurringEventId"] = base
            item["originalStartTime"] = item["start"]
        out.append(item)
    return out


class Fake:
    """Prebuilt pages and change feeds; answers like Google, fast."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.pages = [
            json.dumps(
                {
                    "kind": "calendar#events",
                    "items": events[i : i + PAGE],
                    **(
                        {"nextPageToken": f"p{i + PAGE}"}
                        if i + PAGE < len(events)
                        else {"nextSyncToken": "t0"}
                    ),
                }
            ).encode()
            for i in range(0, len(events), PAGE)
        ]
        self.feeds: dict[str, bytes] = {}
        self.events = events

    def handle(self, request: Request) -> Response:
        path = request.path
        if path == "/token":
            body = {"access_token": "at", "expires_in": 3599, "token_type": "Bearer"}
            return Response(json.dumps(body), content_type="application/json")
        if path.endswith("calendarList/primary"):
            body = {"id": ME, "summary": ME, "primary": True, "accessRole": "owner"}
            return Response(json.dumps(body), content_type="application/json")
        sync = request.args.get("syncToken")
        if sync is not None:
            return Response(self.feeds[sync], content_type="application/json")
        page = int(request.args.get("pageToken", "p0")[1:]) // PAGE
        return Response(self.pages[page], content_type="application/json")

    def change_five(self, token: str, next_token: str, round_: int) -> None:
        """Three moved or renamed events, one cancelled, one new: a feed of five."""
        picked = self.events[1000 + 7 * round_ : 1000 + 7 * round_ + 4]
        items = [dict(e, summary=f"{e['summary']} (renamed {round_})") for e in picked[:3]]
        items.append({"kind": "calendar#event", "id": picked[3]["id"], "status": "cancelled"})
        new = dict(self.events[2000], id=f"new{round_}", iCalUID=f"new{round_}@google.com")
        new.pop("recurringEventId", None)
        items.append(new)
        body = {"kind": "calendar#events", "items": items, "nextSyncToken": next_token}
        self.feeds[token] = json.dumps(body).encode()


def _run(home: Path, env: dict[str, str], *args: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pmload", "--home", str(home), "--tz", ZONE.key, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    return seconds, proc.stdout


def test_google_sync_benchmark(tmp_path: Path, scale10: ImportedCalendar) -> None:
    pytest.importorskip("pmload.google.sync")
    events = google_events(scale10.database)
    fake = Fake(events)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log of 15 pages
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request(re.compile(".*")).respond_with_handler(fake.handle)
    server.start()
    try:
        home = tmp_path / "home"
        (home / "config").mkdir(parents=True)
        (home / "config" / "rules.toml").write_text(RULES)
        token = tmp_path / "token.json"
        token.write_text(
            json.dumps(
                {
                    "type": "authorized_user",
                    "client_id": "c",
                    "client_secret": "s",
                    "refresh_token": "r",
                }
            )
        )
        env = {
            **os.environ,
            "PMLOAD_GOOGLE_API_ROOT": server.url_for("/"),
            "PMLOAD_GOOGLE_TOKEN_FILE": str(token),
        }
        window = ("--from", WINDOW[0].isoformat(), "--to", WINDOW[1].isoformat())
        full, out = _run(home, env, "google", "sync", *window)
        synced = int(re.search(r"([\d,]+) occurrences", out).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert synced == len(events), out

        incremental = []
        for r in range(3):
            fake.change_five(f"t{r}", f"t{r + 1}", r)
            seconds, out = _run(home, env, "google", "sync")
            assert "4 changed, 1 removed" in out, out
            incremental.append(seconds)
        fake.feeds["t3"] = json.dumps({"items": [], "nextSyncToken": "t3"}).encode()
        nothing = [_run(home, env, "google", "sync")[0] for _ in range(3)]

        ics_home = tmp_path / "ics"
        scale10.copy_to(ics_home / "data" / "pmload.sqlite3")
        unchanged = []
        for _ in range(3):
            seconds, out = _run(ics_home, dict(os.environ), "import", str(scale10.ics))
            assert "unchanged" in out
            unchanged.append(seconds)
    finally:
        server.stop()

    inc, none, ics = (statistics.median(x) for x in (incremental, nothing, unchanged))
    size = sum(len(p) for p in fake.pages) / 1e6
    print("\n\nGoogle sync benchmark: gen_calendar --years 3 --scale 10 --seed 7 as Google events")
    print(
        f"  {len(events):,} instances in {len(fake.pages)} pages of {PAGE} ({size:.0f} MB of JSON)"
    )
    print(f"  full sync (whole process)                  {full:6.2f} s   target < 10 s")
    print(f"  incremental sync, 5 changes (median of 3)  {inc:6.3f} s   target < 0.5 s")
    print(f"  incremental sync, no change (median of 3)  {none:6.3f} s")
    print(f"  .ics re-import, unchanged (median of 3)    {ics:6.3f} s")
    print(f"  incremental / unchanged .ics re-import     {inc / ics:6.2f}x")
