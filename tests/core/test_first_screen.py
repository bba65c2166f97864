"""The Week view's first screen from a few weeks says what the full analysis says.

On a generated calendar (gen_calendar, one year) imported twice as two sources (every
occurrence stored twice: the duplicates must count once), with thresholds under
which streaks run back far beyond the weeks loaded at first, for several days and
weeks: every audit figure, the week's meetings and chart, the weeks with data, the
navigation bounds, the default week's inputs and the number of meetings are the
full analysis's.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.config import Settings, parse_settings
from pmload.export.data import week_detail
from pmload.period import Period, monday_of
from pmload.rules.analysis import Analysis
from pmload.rules.audit import audit_to_json
from pmload.rules.compare import WINDOW
from pmload.rules.first_screen import WeekWindow, read_first_screen, scan_history
from pmload.store import connect
from tests.conftest import SHARED

GEN = SHARED / "bench" / "gen_calendar.py"
LA = ZoneInfo("America/Los_Angeles")
PEOPLE = """
[people]
technical = ["priya.ml@acme.test", "chen.ml@acme.test", "*.eng@acme.test", "*.ds@acme.test",
             "sofia.mlops@acme.test", "ines.ml@acme.test"]
business = ["vp.sales@acme.test", "cfo@acme.test", "ceo@acme.test", "maria.marketing@acme.test",
            "greg.cs@acme.test", "nina.legal@acme.test", "paul.ops@acme.test",
            "dana.sales@acme.test", "*@bigcustomer.test", "*@partner.test"]
product = ["kim.pm@acme.test", "alex.design@acme.test", "sam.pm@acme.test"]
"""
WEEK = timedelta(weeks=1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """gen_calendar --years 1 --scale 1, imported from two files (two sources)."""
    if not GEN.is_file():
        pytest.skip("../shared/bench/gen_calendar.py is not present")
    from pmload.ingest.importer import import_paths

    root = tmp_path_factory.mktemp("first-screen")
    ics = root / "pm.ics"
    args = ["--years", "1", "--scale", "1", "--seed", "3", "--start", "2025-01-06"]
    subprocess.run([sys.executable, str(GEN), *args, "--out", str(ics)], check=True)
    shutil.copy(ics, root / "copy.ics")
    conn = connect(root / "db.sqlite3")
    report = import_paths(
        conn, [ics, root / "copy.ics"], LA, window=(date(2025, 1, 6), date(2026, 1, 4))
    )
    assert report.ok
    yield conn
    conn.close()


def _settings(threshold: float) -> Settings:
    return parse_settings(f'me = ["me@acme.test"]\nthreshold = {threshold}\n{PEOPLE}')


def _meetings(a: Analysis, monday: date) -> list[tuple[object, ...]]:
    y, w, _ = monday.isocalendar()
    return [(c.occ.id, c.excluded, c.category, c.reason) for c in a.week_meetings(y, w)]


@pytest.mark.parametrize("threshold", [0.05, 0.2, 0.4])
@pytest.mark.parametrize(
    ("today", "week"),
    [
        (date(2025, 11, 19), None),  # the week in progress, its streak far back
        (date(2025, 11, 17), date(2025, 9, 1)),  # a week of the past, asked for
        (date(2025, 3, 5), date(2025, 2, 24)),  # near the first week with data
        (date(2026, 3, 4), None),  # after the last week: opens on the last complete
        (date(2025, 6, 4), date(2027, 1, 4)),  # a week after all data: clamped
    ],
)
def test_the_first_screen_says_what_the_full_analysis_says(
    store: sqlite3.Connection, threshold: float, today: date, week: date | None
) -> None:
    settings = _settings(threshold)
    full = Analysis.load(store, settings, LA)
    part = read_first_screen(store, settings, LA, today, [week] if week else [])
    assert isinstance(part, WeekWindow) and not part.complete and full.complete

    # History: bounds, weeks with data, the default week's inputs, the meeting count.
    assert (part.first_week, part.last_week) == (full.first_week, full.last_week)
    assert full.first_week is not None and full.last_week is not None
    monday = full.first_week - 3 * WEEK
    while monday <= full.last_week + 3 * WEEK:
        assert part.has_data(monday) == full.has_data(monday), monday
        monday += WEEK
    assert part.latest_complete_week(today) == full.latest_complete_week(today)
    assert part.meeting_count == full.meeting_count
    assert full.meeting_count == sum(1 for c in full.classified if c.excluded is None)

    # The weeks the app may open on, each as the full analysis audits it.
    current = monday_of(today)
    low, high = min(full.first_week, current), max(full.last_week, current)
    latest = full.latest_complete_week(today)
    shown = {current, *([latest] if latest else [])}
    if week is not None:
        shown.add(min(max(monday_of(week), low), high))
    for monday in sorted(shown):
        assert part.covers(monday)
        period = Period.of_weeks(monday, 1)
        ours, theirs = part.audit(period, today), full.audit(period, today)
        assert ours == theirs, monday
        assert audit_to_json(ours) == audit_to_json(theirs)
        assert _meetings(part, monday) == _meetings(full, monday)
        assert part.counted_in_week(monday) == full.counted_in_week(monday)
        assert week_detail(part, ours, LA) == week_detail(full, theirs, LA)


def test_a_long_streak_is_followed_back_beyond_the_weeks_loaded_first(
    store: sqlite3.Connection,
) -> None:
    """At a 5% threshold every complete week is flagged: the streak runs back to the first
    week with data, far beyond the comparisons' weeks, and still reads the same."""
    settings = _settings(0.05)
    today, week = date(2025, 11, 19), date(2025, 11, 10)
    full = Analysis.load(store, settings, LA)
    part = read_first_screen(store, settings, LA, today, [week])
    streak = full.audit(Period.of_weeks(week, 1), today).weeks[0].streak
    assert streak > 4 * WINDOW  # it crosses the first window, and doubles of it
    assert part.audit(Period.of_weeks(week, 1), today).weeks[0].streak == streak
    assert min(part.loaded) <= week - (streak - 1) * WEEK


def test_a_short_streak_loads_a_few_weeks(store: sqlite3.Connection) -> None:
    settings = _settings(0.9)  # no week is over 90%: no streak
    today = date(2025, 11, 19)
    part = read_first_screen(store, settings, LA, today)
    full = Analysis.load(store, settings, LA)
    assert len(part.occurrences) < len(full.occurrences) / 4
    assert len(part.loaded) <= 2 * (WINDOW + 2)
    period = Period.of_weeks(monday_of(today), 1)
    assert part.audit(period, today) == full.audit(period, today)


def test_duplicates_across_sources_count_once(store: sqlite3.Connection) -> None:
    rows = store.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM occurrences").fetchone()
    assert rows[0] == 2 * rows[1]  # every occurrence is stored twice
    settings = _settings(0.4)
    full = Analysis.load(store, settings, LA)
    history = scan_history(store, settings, LA)
    assert history.meetings == full.meeting_count < rows[1]
    assert history.weeks == frozenset(m for m in full._weeks if full.has_data(m))


def test_an_empty_store(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite3")
    settings = _settings(0.4)
    part = read_first_screen(conn, settings, LA, date(2026, 3, 4))
    full = Analysis.load(conn, settings, LA)
    assert (part.first_week, part.last_week, part.meeting_count) == (None, None, 0)
    assert part.latest_complete_week(date(2026, 3, 4)) is None
    period = Period.of_weeks(date(2026, 3, 2), 1)
    assert part.audit(period, date(2026, 3, 4)) == full.audit(period, date(2026, 3, 4))
    conn.close()
