"""The weekly audit: translation share per ISO week against the threshold.

For each ISO week (user's zone; a meeting belongs to the week of its start):
translation hours ÷ counted meeting hours (basis "meetings"), or ÷
``working_hours`` (basis "working-hours"); 0 when there are no meeting
hours. A week is flagged when its *unrounded* share is strictly greater than
the threshold; its streak counts consecutive flagged weeks ending with it,
looking back before the period when needed.

Per-week extras (all over counted meetings):

* ``top_translation_series``: translation hours by series (UID), top 3;
* ``people_met``: distinct other people;
* ``bridge_hours``: translation hours from the sole-bridge rule;
* ``back_to_back``: chains of 2+ meetings with 5 minutes or less between them;
* ``context_switches``: consecutive meetings on one day with different categories;
* ``hours_outside_window``: meeting time outside the working window on workdays
  (all of it on other days);
* ``focus_hours``: free blocks of 2 h or more inside the working window on workdays.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pmload.config import Settings
from pmload.period import Period, local_midnight_utc, week_label
from pmload.rules.classify import Classified
from pmload.vocab import ALL_CATEGORIES, Basis, Category, Rule

BACK_TO_BACK_GAP = timedelta(minutes=5)
FOCUS_BLOCK = timedelta(hours=2)
TOP_SERIES = 3


@dataclass(frozen=True, slots=True)
class Chain:
    """Back-to-back meetings: each starts 5 minutes or less after the previous ends."""

    start: datetime
    end: datetime
    meetings: int


@dataclass(frozen=True, slots=True)
class WeekAudit:
    week: str  # "2026-W02"
    start: date  # its Monday
    meeting_hours: float
    hours: Mapping[Category, float]  # every category, unclassified included
    translation_share: float  # unrounded
    over_threshold: bool
    streak: int
    meetings: int
    top_translation_series: tuple[tuple[str, float], ...]
    people_met: int
    bridge_hours: float
    back_to_back: tuple[Chain, ...]
    context_switches: int
    hours_outside_window: float
    focus_hours: float


@dataclass(frozen=True, slots=True)
class AuditSummary:
    share: float
    mean_weekly_share: float
    weeks_over: int
    longest_streak: int
    current_streak: int
    rolling_4w_share: float


@dataclass(frozen=True, slots=True)
class AuditResult:
    threshold: float
    basis: Basis
    period: Period
    weeks: tuple[WeekAudit, ...]
    summary: AuditSummary
    top_translation_series: tuple[tuple[str, float], ...] = ()  # over the whole period


def week_share(translation: float, meeting: float, settings: Settings, weeks: int = 1) -> float:
    if settings.basis is Basis.WORKING_HOURS:
        return translation / (settings.working_hours * weeks)
    return translation / meeting if meeting > 0 else 0.0


def _hours(seconds: float) -> float:
    return seconds / 3600.0


def _windows(
    day_from: date, day_to: date, settings: Settings, zone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The working windows (UTC) of workdays from ``day_from`` to ``day_to`` inclusive."""
    out = []
    start_t, end_t = settings.workday
    day = day_from
    while day <= day_to:
        if day.weekday() in settings.workdays:
            ws = datetime.combine(day, start_t, zone).astimezone(UTC)
            we = datetime.combine(day, end_t, zone).astimezone(UTC)
            out.append((ws, we))
        day += timedelta(days=1)
    return out


def _chains(meetings: Sequence[Classified]) -> tuple[Chain, ...]:
    chains: list[Chain] = []
    if not meetings:
        return ()
    first = meetings[0].occ
    start, end, n = first.start, first.end, 1
    for c in meetings[1:]:
        if c.occ.start - end <= BACK_TO_BACK_GAP:
            end = max(end, c.occ.end)
            n += 1
            continue
        if n > 1:
            chains.append(Chain(start, end, n))
        start, end, n = c.occ.start, c.occ.end, 1
    if n > 1:
        chains.append(Chain(start, end, n))
    return tuple(chains)


def _focus_seconds(
    windows: Sequence[tuple[datetime, datetime]], busy: Sequence[Classified]
) -> float:
    total = 0.0
    for ws, we in windows:
        cursor = ws
        for c in busy:
            s, e = c.occ.start, c.occ.end
            if e <= cursor or s >= we:
                continue
            if s - cursor >= FOCUS_BLOCK:
                total += (s - cursor).total_seconds()
            cursor = max(cursor, e)
            if cursor >= we:
                break
        if we - cursor >= FOCUS_BLOCK:
            total += (we - cursor).total_seconds()
    return total


def audit_week(
    monday: date,
    meetings: Sequence[Classified],
    before: Sequence[Classified],
    settings: Settings,
    zone: ZoneInfo,
    streak: int,
) -> WeekAudit:
    """The audit of one week from its counted meetings (sorted by start).

    ``before`` are the previous week's counted meetings (they may run into this week).
    """
    hours = dict.fromkeys(ALL_CATEGORIES, 0.0)
    series: dict[str, list[Any]] = {}
    people: set[str] = set()
    bridge = 0.0
    for c in meetings:
        h = c.hours
        cat = c.category or Category.UNCLASSIFIED
        hours[cat] += h
        people.update(c.people)
        if cat is Category.TRANSLATION:
            entry = series.setdefault(c.occ.uid, [c.occ.title, 0.0])
            entry[0] = c.occ.title
            entry[1] += h
            if c.rule is Rule.SOLE_BRIDGE:
                bridge += h
    meeting_hours = sum(hours.values())
    share = week_share(hours[Category.TRANSLATION], meeting_hours, settings)
    top = sorted(((str(t), float(v)) for t, v in series.values()), key=lambda x: (-x[1], x[0]))

    switches = 0
    prev_cat: str | None = None
    prev_day = -1
    outside = 0.0
    sunday = monday + timedelta(days=6)
    windows = _windows(monday, sunday + timedelta(days=1), settings, zone)
    # Per day of the week (and the Monday after): midnight and the working window, as epoch s.
    midnights = [local_midnight_utc(monday + timedelta(days=i), zone).timestamp() for i in range(9)]
    by_day: list[tuple[float, float] | None] = [None] * 8
    for ws, we in windows:
        i = (ws.astimezone(zone).date() - monday).days
        by_day[i] = (ws.timestamp(), we.timestamp())
    for c in meetings:
        st, en = c.occ.start.timestamp(), c.occ.end.timestamp()
        day = bisect_right(midnights, st) - 1
        if day == prev_day and c.category != prev_cat:
            switches += 1
        prev_cat, prev_day = c.category, day
        inside = 0.0
        d = max(day, 0)
        while d < 8 and midnights[d] < en:
            w = by_day[d]
            if w is not None:
                lo, hi = max(st, w[0]), min(en, w[1])
                if hi > lo:
                    inside += hi - lo
            d += 1
        outside += en - st - inside
    week_windows = [w for w in windows if w[0].astimezone(zone).date() <= sunday]
    spill = [c for c in before if c.occ.end > week_windows[0][0]] if week_windows else []
    focus = _focus_seconds(week_windows, [*spill, *meetings])
    return WeekAudit(
        week=week_label(monday),
        start=monday,
        meeting_hours=meeting_hours,
        hours=hours,
        translation_share=share,
        over_threshold=share > settings.threshold,
        streak=streak,
        meetings=len(meetings),
        top_translation_series=tuple(top[:TOP_SERIES]),
        people_met=len(people),
        bridge_hours=bridge,
        back_to_back=_chains(meetings),
        context_switches=switches,
        hours_outside_window=_hours(outside),
        focus_hours=_hours(focus),
    )


def compute_audit(
    period: Period,
    counted_by_week: Callable[[date], Sequence[Classified]],
    totals: Mapping[date, tuple[float, float]],
    settings: Settings,
    zone: ZoneInfo,
) -> AuditResult:
    """Audit ``period``.

    ``counted_by_week(monday)`` gives a week's counted meetings sorted by start;
    ``totals[monday]`` is (translation hours, meeting hours) for every week of
    history that has meetings (used for streaks and the rolling share).
    """
    flag_memo: dict[date, bool] = {}

    def flagged(monday: date) -> bool:
        if monday not in flag_memo:
            t, m = totals.get(monday, (0.0, 0.0))
            flag_memo[monday] = m > 0 and week_share(t, m, settings) > settings.threshold
        return flag_memo[monday]

    def streak_of(monday: date) -> int:
        n = 0
        while flagged(monday - timedelta(weeks=n)):
            n += 1
        return n

    weeks: list[WeekAudit] = []
    series: dict[str, list[Any]] = {}
    for monday in period.weeks():
        meetings = counted_by_week(monday)
        before = counted_by_week(monday - timedelta(weeks=1))
        weeks.append(audit_week(monday, meetings, before, settings, zone, streak_of(monday)))
        for c in meetings:
            if c.category is Category.TRANSLATION:
                entry = series.setdefault(c.occ.uid, [c.occ.title, 0.0])
                entry[0] = c.occ.title
                entry[1] += c.hours
    top = sorted(((str(t), float(h)) for t, h in series.values()), key=lambda x: (-x[1], x[0]))
    return AuditResult(
        settings.threshold,
        settings.basis,
        period,
        tuple(weeks),
        _summary(weeks, totals, settings),
        tuple(top[:TOP_SERIES]),
    )


def _summary(
    weeks: Sequence[WeekAudit], totals: Mapping[date, tuple[float, float]], settings: Settings
) -> AuditSummary:
    if not weeks:
        return AuditSummary(0.0, 0.0, 0, 0, 0, 0.0)
    t = sum(w.hours[Category.TRANSLATION] for w in weeks)
    m = sum(w.meeting_hours for w in weeks)
    last = weeks[-1].start
    recent = [last - timedelta(weeks=i) for i in range(4)]
    rt = sum(totals.get(d, (0.0, 0.0))[0] for d in recent)
    rm = sum(totals.get(d, (0.0, 0.0))[1] for d in recent)
    return AuditSummary(
        share=week_share(t, m, settings, len(weeks)),
        mean_weekly_share=sum(w.translation_share for w in weeks) / len(weeks),
        weeks_over=sum(1 for w in weeks if w.over_threshold),
        longest_streak=max(w.streak for w in weeks),
        current_streak=weeks[-1].streak,
        rolling_4w_share=week_share(rt, rm, settings, 4),
    )


# --- output --------------------------------------------------------------------


def _r2(x: float) -> float:
    return round(x + 0.0, 2)


def _r3(x: float) -> float:
    return round(x + 0.0, 3)


def week_to_json(w: WeekAudit) -> dict[str, Any]:
    return {
        "week": w.week,
        "start": w.start.isoformat(),
        "meeting_hours": _r2(w.meeting_hours),
        "hours": {k: _r2(v) for k, v in w.hours.items()},
        "translation_share": _r3(w.translation_share),
        "over_threshold": w.over_threshold,
        "streak": w.streak,
        "meetings": w.meetings,
        "top_translation_series": [
            {"title": t, "hours": _r2(h)} for t, h in w.top_translation_series
        ],
        "people_met": w.people_met,
        "bridge_hours": _r2(w.bridge_hours),
        "back_to_back_chains": len(w.back_to_back),
        "back_to_back_meetings": sum(c.meetings for c in w.back_to_back),
        "longest_chain": max((c.meetings for c in w.back_to_back), default=0),
        "context_switches": w.context_switches,
        "hours_outside_window": _r2(w.hours_outside_window),
        "focus_hours": _r2(w.focus_hours),
    }


def audit_to_json(result: AuditResult) -> dict[str, Any]:
    """The JSON contract of ``pmload audit --format json``."""
    s = result.summary
    return {
        "threshold": result.threshold,
        "basis": result.basis,
        "weeks": [week_to_json(w) for w in result.weeks],
        "summary": {
            "share": _r3(s.share),
            "mean_weekly_share": _r3(s.mean_weekly_share),
            "weeks_over": s.weeks_over,
            "longest_streak": s.longest_streak,
            "current_streak": s.current_streak,
            "rolling_4w_share": _r3(s.rolling_4w_share),
        },
    }
