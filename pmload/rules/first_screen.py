"""The Week view's first screen without reading all history into memory.

Showing one week needs that week's meetings, the weeks it is compared with
(the week before, the 4 complete weeks before it; :mod:`pmload.rules.compare`),
the weeks of its streak (flagged weeks back to the first that is not), the week
in progress and the one after it (``next_week``), and three facts about all of
history: which weeks have calendar data (navigation bounds, the default week,
"no calendar data"), and how many meetings it holds (the status bar).

:func:`read_first_screen` reads those facts in one light pass over the store
(:func:`scan_history`: a few columns, no Occurrence per row), then loads and
classifies only the weeks it needs, going further back while a streak
continues. The result is a :class:`WeekWindow`, an
:class:`~pmload.rules.analysis.Analysis` of those weeks whose answers about
history come from the scan, so every figure of the weeks it covers is the one
the full analysis gives (tests/core/test_first_screen.py compares them).
Questions about other weeks (the trends, review, people, all meetings) need the
full analysis: :meth:`WeekWindow.covers` says which weeks it can answer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from pmload.config import Settings
from pmload.model import TIME_UTC, Attendee, Occurrence, attendees_from_json, resolve_local
from pmload.period import Period, local_midnight_utc, monday_of
from pmload.rules.analysis import Analysis
from pmload.rules.classify import Tags, load_tags
from pmload.rules.compare import WINDOW
from pmload.rules.counting import exclusion
from pmload.store import load_occurrences

__all__ = ["History", "WeekWindow", "read_first_screen", "scan_history"]

_WEEK = timedelta(weeks=1)


@dataclass(frozen=True, slots=True)
class History:
    """What the first screen needs to know about all of history."""

    weeks: frozenset[date]
    """The Mondays of the weeks with calendar data (any occurrence, counted or not)."""
    meetings: int
    """How many occurrences count as meetings."""


def scan_history(conn: sqlite3.Connection, settings: Settings, zone: ZoneInfo) -> History:
    """:class:`History` from two light queries over the stored occurrences.

    The weeks are those of the distinct starts, placed in ``zone`` exactly as
    :func:`pmload.store.load_occurrences` places them (an id is a hash of the UID
    and the start, so the copies of one occurrence in several sources share their
    week). Meetings are counted once per id, from the first source's copy as there,
    by :func:`pmload.rules.counting.exclusion`, asked once per distinct set of the
    fields it reads.
    """
    weeks = _weeks_with_data(conn, zone)
    # A copy in an earlier source wins; with one source there is none to look for.
    (sources,) = conn.execute("SELECT COUNT(*) FROM sources").fetchone()
    first_copy = (
        " WHERE NOT EXISTS (SELECT 1 FROM sources s CROSS JOIN occurrences p"
        " WHERE s.id < o.source_id AND p.source_id = s.id AND p.id = o.id)"
        if sources > 1
        else ""
    )
    groups = conn.execute(
        "SELECT status, transp, event_type, time_kind, organizer, attendees, COUNT(*)"
        f" FROM occurrences o{first_copy} GROUP BY 1, 2, 3, 4, 5, 6"
    )
    me = settings.me_set
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    people: dict[str, tuple[Attendee, ...]] = {}
    meetings = 0
    for status, transp, event_type, kind, organizer, text, n in groups:
        attendees = people.get(text)
        if attendees is None:
            attendees = people[text] = attendees_from_json(text)
        probe = Occurrence(
            id="",
            source_id=0,
            uid="",
            recurrence_id=None,
            start=epoch,
            end=epoch,
            time_kind=kind,
            title="",
            organizer=organizer,
            attendees=attendees,
            status=status,
            transparency=transp,
            event_type=event_type,
        )
        if exclusion(probe, me) is None:
            meetings += n
    return History(weeks=weeks, meetings=meetings)


def _weeks_with_data(conn: sqlite3.Connection, zone: ZoneInfo) -> frozenset[date]:
    """The Mondays (``zone``) of the weeks in which a stored occurrence starts.

    Instants are found a week at a time through the index on ``start_ts`` (the
    first start at or after the beginning of the week after the last found);
    wall-clock starts (floating, all-day: few) are read and placed one by one.
    """
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    weeks = {
        monday_of(resolve_local(ts, zone).astimezone(zone).date())
        for (ts,) in conn.execute(
            "SELECT start_ts FROM occurrences WHERE time_kind != ?", (TIME_UTC,)
        )
    }
    probe = (
        "SELECT start_ts FROM occurrences WHERE start_ts >= ? AND time_kind = ?"
        " ORDER BY start_ts LIMIT 1"
    )
    row = conn.execute(probe, (float("-inf"), TIME_UTC)).fetchone()
    while row is not None:
        monday = monday_of((epoch + timedelta(seconds=row[0])).astimezone(zone).date())
        weeks.add(monday)
        after = local_midnight_utc(monday + _WEEK, zone).timestamp()
        row = conn.execute(probe, (after, TIME_UTC)).fetchone()
    return frozenset(weeks)


class WeekWindow(Analysis):
    """An :class:`Analysis` of some weeks only (:attr:`loaded`), which answers the
    questions about all of history (first and last week, weeks with data, the
    number of meetings) from a :class:`History`."""

    complete = False

    def __init__(
        self,
        settings: Settings,
        zone: ZoneInfo,
        occurrences: list[Occurrence],
        tags: Tags,
        history: History,
        loaded: frozenset[date],
    ) -> None:
        super().__init__(None, settings, zone, occurrences, tags)
        self.history = history
        self.loaded = loaded

    def covers(self, monday: date) -> bool:
        """Whether the week of ``monday`` is loaded (its meetings are all here)."""
        return monday_of(monday) in self.loaded

    def has_data(self, monday: date) -> bool:
        return monday in self.history.weeks

    @property
    def first_week(self) -> date | None:
        return min(self.history.weeks) if self.history.weeks else None

    @property
    def last_week(self) -> date | None:
        return max(self.history.weeks) if self.history.weeks else None

    def latest_complete_week(self, today: date | None = None) -> date | None:
        current = self.current_week(today)
        past = [m for m in self.history.weeks if m < current]
        return max(past) if past else None

    @property
    def meeting_count(self) -> int:
        return self.history.meetings


def _runs(mondays: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive Mondays as (first, last) runs, in order."""
    runs: list[tuple[date, date]] = []
    for m in sorted(set(mondays)):
        if runs and runs[-1][1] + _WEEK == m:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


def _load_weeks(
    conn: sqlite3.Connection, zone: ZoneInfo, mondays: Iterable[date]
) -> list[Occurrence]:
    """The occurrences starting in these weeks (user's zone), sorted as the store sorts."""
    out: list[Occurrence] = []
    for first, last in _runs(mondays):
        start = local_midnight_utc(first, zone)
        end = local_midnight_utc(last + _WEEK, zone)
        out.extend(load_occurrences(conn, zone, start, end))
    out.sort(key=lambda o: (o.start, o.id))
    return out


def read_first_screen(
    conn: sqlite3.Connection,
    settings: Settings,
    zone: ZoneInfo,
    today: date,
    weeks: Iterable[date] = (),
) -> WeekWindow:
    """A :class:`WeekWindow` that answers the audit of each of ``weeks`` (kept within
    navigation's bounds), of the week in progress and of the last complete week with
    data (the weeks the app may open on), as of ``today``, as the full analysis would.
    """
    history = scan_history(conn, settings, zone)
    tags = load_tags(conn)
    current = monday_of(today)
    targets = {current}
    if history.weeks:
        # The weeks asked for as the app shows them: within the weeks with data and
        # the week in progress (Session.week_bounds); and the last complete week
        # with data, which the app opens on when this week has not started yet.
        low, high = min(min(history.weeks), current), max(max(history.weeks), current)
        targets |= {min(max(monday_of(w), low), high) for w in weeks}
        past = [m for m in history.weeks if m < current]
        if past:
            targets.add(max(past))
    first = min(history.weeks, default=current)
    # How far back each target's weeks go: its comparisons first, then its streak.
    depth = dict.fromkeys(targets, WINDOW)
    while True:
        wanted = {current + _WEEK}
        for t, n in depth.items():
            wanted.update(t - i * _WEEK for i in range(n + 1))
            wanted.update(min(t, current) - i * _WEEK for i in range(WINDOW + 1))
        window = WeekWindow(
            settings, zone, _load_weeks(conn, zone, wanted), tags, history, frozenset(wanted)
        )
        deeper = False
        for t, n in depth.items():
            bottom = t - n * _WEEK
            if bottom <= first:
                continue  # nothing before it: the streak ends here whatever it is
            streak = window.audit(Period.of_weeks(t, 1), today, load_figures=False).weeks[0].streak
            if streak > n:  # every week loaded is flagged: it may go on before them
                depth[t] = n * 2
                deeper = True
        if not deeper:
            return window
