"""The weekly audit: translation share per ISO week against the threshold.

For each ISO week (user's zone; a meeting belongs to the week of its start):
translation hours ÷ counted meeting hours (basis "meetings"), or ÷
``working_hours`` (basis "working-hours"); 0 when there are no meeting
hours. Every week also has a range, ``share_low`` (that share) to
``share_high`` (translation + unclassified ÷ the same base), and a verdict:
over, under or unsure (see :mod:`pmload.rules.verdict`). A week is flagged
(``over_threshold``) exactly when its verdict is over, decided on the
*unrounded* shares.

Weeks have a state against today: complete, in progress (the week containing
today) or scheduled (later). A week's streak counts consecutive flagged
*complete* weeks ending with it, looking back before the period when needed;
the week in progress and scheduled weeks have streak 0. The period's
figures (:class:`AuditSummary`) count complete weeks only and report the week
in progress beside them.

Every week is compared with the previous complete week and with the mean of
the 4 complete weeks before it (``delta_prev``, ``delta_4w``, in percentage
points; see :mod:`pmload.rules.compare`), and the result carries next week as
scheduled so far (``AuditResult.next_week``).

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
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pmload.config import Settings
from pmload.period import Period, local_midnight_utc, monday_of, week_label
from pmload.rules.audit_records import AuditResult, AuditSummary, Baseline, Chain, WeekAudit
from pmload.rules.classify import Classified
from pmload.rules.compare import WeekShare, baseline_of, deltas, rolling_mean
from pmload.rules.sides import SideIndex
from pmload.rules.verdict import share_range, verdict_of, week_share, week_state
from pmload.vocab import ALL_CATEGORIES, Category, Rule, Verdict, WeekState

__all__ = [
    "AuditResult",
    "AuditSummary",
    "Baseline",
    "Chain",
    "WeekAudit",
    "audit_to_json",
    "compute_audit",
    "next_week_to_json",
    "summarise",
    "week_share",
    "week_to_json",
]

BACK_TO_BACK_GAP = timedelta(minutes=5)
FOCUS_BLOCK = timedelta(hours=2)
TOP_SERIES = 3


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
    *,
    state: WeekState = WeekState.COMPLETE,
    has_data: bool | None = None,
    sides: SideIndex | None = None,
    baseline: Baseline | None = None,
    load: bool = True,
) -> WeekAudit:
    """The audit of one week from its counted meetings (sorted by start).

    ``before`` are the previous week's counted meetings (they may run into this week);
    ``has_data`` defaults to whether there are meetings; ``sides`` tells the unknown
    people (default: from ``settings``); ``baseline`` is what the week is compared
    with (:mod:`pmload.rules.compare`); without ``load``, the load figures
    (back-to-back, switches, hours outside the window, focus) are left at 0.
    """
    hours = dict.fromkeys(ALL_CATEGORIES, 0.0)
    series: dict[str, list[Any]] = {}
    people: set[str] = set()
    unknown: dict[str, None] = {}
    unclassified: dict[str, None] = {}
    bridge = 0.0
    # Enum members as locals: looking them up on the class costs ~0.1 µs each, per meeting.
    translation, unclassified_cat, sole_bridge = (
        Category.TRANSLATION,
        Category.UNCLASSIFIED,
        Rule.SOLE_BRIDGE,
    )
    for c in meetings:
        h = c.hours
        cat = c.category or unclassified_cat
        hours[cat] += h
        people.update(c.people)
        if cat is translation:
            entry = series.setdefault(c.occ.uid, [c.occ.title, 0.0])
            entry[0] = c.occ.title
            entry[1] += h
            if c.rule is sole_bridge:
                bridge += h
        elif cat is unclassified_cat:
            unclassified[c.occ.uid] = None
            unknown.update(dict.fromkeys(c.people))
    if unknown:
        sides = sides or SideIndex(settings.people)
        unknown = {p: None for p in unknown if sides.side(p) is None}
    meeting_hours = sum(hours.values())
    share, high = share_range(
        hours[Category.TRANSLATION], hours[Category.UNCLASSIFIED], meeting_hours, settings
    )
    verdict = verdict_of(share, high, settings.threshold)
    top = sorted(((str(t), float(v)) for t, v in series.values()), key=lambda x: (-x[1], x[0]))
    has = bool(meetings) if has_data is None else has_data
    delta_prev, delta_4w = deltas(share, baseline) if has else (None, None)
    chains, switches, outside, focus = (
        _load_figures(monday, meetings, before, settings, zone) if load else ((), 0, 0.0, 0.0)
    )
    return WeekAudit(
        week=week_label(monday),
        start=monday,
        meeting_hours=meeting_hours,
        hours=hours,
        translation_share=share,
        over_threshold=verdict is Verdict.OVER,
        streak=streak if state is WeekState.COMPLETE else 0,
        meetings=len(meetings),
        top_translation_series=tuple(top[:TOP_SERIES]),
        people_met=len(people),
        bridge_hours=bridge,
        back_to_back=chains,
        context_switches=switches,
        hours_outside_window=_hours(outside),
        focus_hours=_hours(focus),
        share_high=high,
        verdict=verdict,
        state=state,
        has_data=has,
        unknown_people=tuple(unknown),
        unclassified_series=tuple(unclassified),
        baseline=baseline,
        delta_prev=delta_prev,
        delta_4w=delta_4w,
    )


def _load_figures(
    monday: date,
    meetings: Sequence[Classified],
    before: Sequence[Classified],
    settings: Settings,
    zone: ZoneInfo,
) -> tuple[tuple[Chain, ...], int, float, float]:
    """(back-to-back chains, context switches, seconds outside the window, focus seconds)."""
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
    return _chains(meetings), switches, outside, focus


def compute_audit(
    period: Period,
    counted_by_week: Callable[[date], Sequence[Classified]],
    totals: Mapping[date, tuple[float, float]],
    settings: Settings,
    zone: ZoneInfo,
    *,
    today: date,
    has_data: Callable[[date], bool] | None = None,
    load_figures: bool = True,
) -> AuditResult:
    """Audit ``period`` as of ``today`` (a day in the user's zone).

    ``counted_by_week(monday)`` gives a week's counted meetings sorted by start;
    ``totals[monday]`` is (translation hours, meeting hours) for every week of
    history that has meetings (used for streaks and the rolling share);
    ``has_data(monday)`` tells whether any occurrence, counted or not, starts in
    that week (default: whether it has counted meetings). Each week is compared
    with the complete weeks before it (:mod:`pmload.rules.compare`), looking
    before the period when needed, and the week after the week in progress is
    audited as scheduled (``next_week``). Without ``load_figures`` the weeks'
    load figures are not computed (they read 0): the what-if compares shares only.
    """
    current = monday_of(today)
    flag_memo: dict[date, bool] = {}
    data_in = has_data if has_data is not None else (lambda monday: bool(counted_by_week(monday)))

    def flagged(monday: date) -> bool:
        """Whether ``monday``'s week is complete and over (low share > threshold)."""
        if monday not in flag_memo:
            t, m = totals.get(monday, (0.0, 0.0))
            flag_memo[monday] = (
                monday < current and m > 0 and week_share(t, m, settings) > settings.threshold
            )
        return flag_memo[monday]

    def streak_of(monday: date) -> int:
        n = 0
        while flagged(monday - timedelta(weeks=n)):
            n += 1
        return n

    ranges: dict[date, WeekShare | None] = {}

    def share_of(monday: date) -> WeekShare | None:
        """The range of a week (the audited ones are filled in as they are audited)."""
        if monday not in ranges:
            ranges[monday] = (
                _week_range(counted_by_week(monday), settings) if data_in(monday) else None
            )
        return ranges[monday]

    sides = SideIndex(settings.people)
    translation = Category.TRANSLATION
    weeks: list[WeekAudit] = []
    series: dict[str, list[Any]] = {}

    def audit_of(monday: date, meetings: Sequence[Classified]) -> WeekAudit:
        w = audit_week(
            monday,
            meetings,
            counted_by_week(monday - timedelta(weeks=1)),
            settings,
            zone,
            streak_of(monday),
            state=week_state(monday, today),
            has_data=data_in(monday),
            sides=sides,
            baseline=baseline_of(monday, today, share_of),
            load=load_figures,
        )
        ranges[monday] = WeekShare(w.share_low, w.share_high, w.verdict) if w.has_data else None
        if w.complete and w.has_data:
            w = replace(w, rolling_4w=rolling_mean(monday, share_of))
        return w

    for monday in period.weeks():
        meetings = counted_by_week(monday)
        weeks.append(audit_of(monday, meetings))
        for c in meetings:
            if c.category is translation:
                entry = series.setdefault(c.occ.uid, [c.occ.title, 0.0])
                entry[0] = c.occ.title
                entry[1] += c.hours
    top = sorted(((str(t), float(h)) for t, h in series.values()), key=lambda x: (-x[1], x[0]))
    following = current + timedelta(weeks=1)
    next_week = next((w for w in weeks if w.start == following), None)
    if next_week is None:
        next_week = audit_of(following, counted_by_week(following))
    return AuditResult(
        threshold=settings.threshold,
        basis=settings.basis,
        period=period,
        weeks=tuple(weeks),
        summary=summarise(weeks, totals, settings),
        top_translation_series=tuple(top[:TOP_SERIES]),
        today=today,
        next_week=next_week,
        load_figures=load_figures,
    )


def _week_range(meetings: Sequence[Classified], settings: Settings) -> WeekShare:
    """A week's range and verdict from its counted meetings (as :func:`audit_week` has it)."""
    t = u = m = 0.0
    for c in meetings:
        h = c.hours
        m += h
        if c.category is Category.TRANSLATION:
            t += h
        elif c.category is Category.UNCLASSIFIED or c.category is None:
            u += h
    low, high = share_range(t, u, m, settings)
    return WeekShare(low, high, verdict_of(low, high, settings.threshold))


def summarise(
    weeks: Sequence[WeekAudit], totals: Mapping[date, tuple[float, float]], settings: Settings
) -> AuditSummary:
    """The period's figures over its complete weeks (see :class:`AuditSummary`).

    On the working-hours basis the base is ``working_hours`` x the complete weeks,
    with or without calendar data (as the per-week share: a week without meetings
    has a share of 0); the mean weekly share leaves out weeks without calendar data.
    """
    complete = [w for w in weeks if w.complete]
    with_data = [w for w in complete if w.has_data]
    in_progress = next((w for w in weeks if w.in_progress), None)
    scheduled = sum(1 for w in weeks if w.scheduled)
    unknown: dict[str, None] = {}
    uids: dict[str, None] = {}
    for w in complete:
        unknown.update(dict.fromkeys(w.unknown_people))
        uids.update(dict.fromkeys(w.unclassified_series))
    t = sum(w.hours[Category.TRANSLATION] for w in complete)
    u = sum(w.hours[Category.UNCLASSIFIED] for w in complete)
    m = sum(w.meeting_hours for w in complete)
    low, high = share_range(t, u, m, settings, len(complete))
    rolling = 0.0
    if complete:
        last = complete[-1].start
        recent = [last - timedelta(weeks=i) for i in range(4)]
        rt = sum(totals.get(d, (0.0, 0.0))[0] for d in recent)
        rm = sum(totals.get(d, (0.0, 0.0))[1] for d in recent)
        rolling = week_share(rt, rm, settings, 4)
    return AuditSummary(
        share=low,
        mean_weekly_share=(
            sum(w.translation_share for w in with_data) / len(with_data) if with_data else 0.0
        ),
        weeks_over=sum(1 for w in complete if w.verdict is Verdict.OVER),
        longest_streak=max((w.streak for w in complete), default=0),
        current_streak=complete[-1].streak if complete else 0,
        rolling_4w_share=rolling,
        share_high=high,
        verdict=(
            verdict_of(low, high, settings.threshold) if any(w.has_data for w in complete) else None
        ),
        weeks_unsure=sum(1 for w in complete if w.verdict is Verdict.UNSURE),
        complete_weeks=len(complete),
        weeks_without_data=len(complete) - len(with_data),
        in_progress_week=in_progress,
        scheduled_weeks=scheduled,
        unknown_people=tuple(unknown),
        unclassified_series=tuple(uids),
    )


# --- output --------------------------------------------------------------------


def _r2(x: float) -> float:
    return round(x + 0.0, 2)


def _r3(x: float) -> float:
    return round(x + 0.0, 3)


def week_to_json(w: WeekAudit) -> dict[str, Any]:
    """One week of ``pmload audit --format json``.

    Shares are rounded to 3 decimals, hours to 2; ``translation_share`` equals
    ``share_low``; ``over_threshold`` is true exactly when ``verdict`` is "over";
    ``streak`` is 0 unless the week is complete; ``in_progress`` marks the week
    containing today, ``scheduled`` later weeks; ``has_data`` is false when the
    calendar has no occurrence at all in the week; ``unknown_people`` and
    ``unclassified_series`` count what would settle an unsure week. ``delta_prev``
    and ``delta_4w`` are the change of ``share_low`` in percentage points (1
    decimal) against the previous complete week and the mean of the 4 complete
    weeks before it (over ``delta_4w_weeks`` of them with calendar data); null,
    not 0, when there is nothing to compare with (:mod:`pmload.rules.compare`).
    """
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
        "share_low": _r3(w.share_low),
        "share_high": _r3(w.share_high),
        "verdict": w.verdict,
        "in_progress": w.in_progress,
        "scheduled": w.scheduled,
        "has_data": w.has_data,
        "unclassified_hours": _r2(w.unclassified_hours),
        "unknown_people": len(w.unknown_people),
        "unclassified_series": len(w.unclassified_series),
        "delta_prev": _r1(w.delta_prev),
        "delta_4w": _r1(w.delta_4w),
        "delta_4w_weeks": w.baseline.weeks_4w if w.baseline is not None else 0,
    }


def _r1(x: float | None) -> float | None:
    return None if x is None else round(x + 0.0, 1)


def next_week_to_json(w: WeekAudit | None) -> dict[str, Any] | None:
    """``next_week`` of ``pmload audit --format json``: the week after the week in
    progress as scheduled so far ("state": "scheduled"); its share, range and verdict
    are null when nothing is on the calendar for it yet ("has_data": false)."""
    if w is None:
        return None
    known = w.has_data
    return {
        "week": w.week,
        "start": w.start.isoformat(),
        "state": w.state,
        "share_low": _r3(w.share_low) if known else None,
        "share_high": _r3(w.share_high) if known else None,
        "verdict": w.verdict if known else None,
        "meeting_hours": _r2(w.meeting_hours),
        "has_data": known,
        "delta_prev": _r1(w.delta_prev),
        "delta_4w": _r1(w.delta_4w),
    }


def audit_to_json(result: AuditResult) -> dict[str, Any]:
    """The JSON contract of ``pmload audit --format json``.

    The summary covers complete weeks only: ``share`` (= ``share_low``) to
    ``share_high`` is the period's range and ``verdict`` its verdict (null when no
    complete week has calendar data); ``weeks_over``, ``weeks_unsure``,
    ``weeks_without_data``, the streaks
    and the rolling share count complete weeks; ``in_progress_week`` is the label
    of the week in progress when the period holds it (else null), reported beside
    them, and ``scheduled_weeks`` counts later weeks. ``next_week`` is the week
    after the week in progress as scheduled so far (:func:`next_week_to_json`),
    whether or not the period holds it.
    """
    s = result.summary
    current = s.in_progress_week
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
            "share_low": _r3(s.share_low),
            "share_high": _r3(s.share_high),
            "verdict": s.verdict,
            "weeks_unsure": s.weeks_unsure,
            "complete_weeks": s.complete_weeks,
            "weeks_without_data": s.weeks_without_data,
            "in_progress_week": current.week if current is not None else None,
            "scheduled_weeks": s.scheduled_weeks,
            "unknown_people": len(s.unknown_people),
            "unclassified_series": len(s.unclassified_series),
        },
        "next_week": next_week_to_json(result.next_week),
    }
