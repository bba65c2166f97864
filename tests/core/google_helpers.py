"""Helpers of the Google tests: dates near today, the store's state, meetings as JSON."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from pmload.cli import main

TZ = "Europe/Paris"
RULES = """me = ["me@acme.test"]
timezone = "Europe/Paris"
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test", "*@sales.acme.test"]
"""


def day(offset: int) -> str:
    """The ISO date ``offset`` days from the Monday of this week (inside every default window)."""
    today = date.today()
    return (today - timedelta(days=today.weekday()) + timedelta(days=offset)).isoformat()


def at(offset: int, hhmm: str, zone: str = "+01:00") -> str:
    """An RFC 3339 date-time on :func:`day` ``offset`` at ``hhmm`` in a fixed offset."""
    return f"{day(offset)}T{hhmm}:00{zone}"


def use_rules(home: Path) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "rules.toml").write_text(RULES)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``pmload --tz Europe/Paris ARGS…`` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(["--tz", TZ, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def meetings(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = cli(capsys, "meetings", "--format", "json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def by_title(capsys: pytest.CaptureFixture[str]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for m in meetings(capsys):
        out.setdefault(str(m["title"]), []).append(m)
    return out


def snapshot(home: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table that holds calendar data (to compare before/after)."""
    conn = sqlite3.connect(home / "data" / "pmload.sqlite3")
    try:
        return {
            t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in ("sources", "events", "occurrences", "google_events", "tags", "meta")
        }
    finally:
        conn.close()
