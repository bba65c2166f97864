"""From the classified history to the plain data that charts and the brief draw.

Everything here reads an :class:`pmload.rules.analysis.Analysis` (the same object the
CLI and the app use) and returns plain records; redaction is applied when
records are turned into labels (see :mod:`pmload.export.redact`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from pmload.export.charts.data import DayPoint, SeriesPoint, WeekDetail, WeekPoint
from pmload.export.redact import Redactor
from pmload.model import Occurrence
from pmload.period import Period
from pmload.rules.audit import AuditResult
from pmload.rules.classify import Classified
from pmload.vocab import ALL_CATEGORIES, Category, Rule


class AnalysisLike(Protocol):
    """What exports need of :class:`pmload.rules.analysis.Analysis`."""

    @property
    def occurrences(self) -> list[Occurrence]: ...

    def audit(self, period: Period, today: date | None = None) -> AuditResult: ...

    def in_period(self, period: Period, counted_only: bool = False) -> list[Classified]: ...

    def counted_in_week(self, monday: date) -> list[Classified]: ...


@dataclass(frozen=True, slots=True)
class TranslationSeries:
    """Translation meetings of one series (UID) over a period."""

    uid: str
    title: str  # the latest title
    hours: float
    meetings: int
    bridge_hours: float  # of which the user was the sole bridge
    people: tuple[str, ...]  # other people, most frequent first
    recurring: bool  # the UID has more than one occurrence in history

    def label(self, redactor: Redactor) -> str:
        return redactor.title(self.title, self.uid, self.recurring, key=self.uid)


def week_points(result: AuditResult) -> list[WeekPoint]:
    return [
        WeekPoint(
            week=w.week,
            start=w.start,
            meeting_hours=w.meeting_hours,
            hours=dict(w.hours),
            share=w.translation_share,
            over=w.over_threshold,
            streak=w.streak,
            share_high=w.share_high,
            verdict=w.verdict,
            state=w.state,
            has_data=w.has_data,
            rolling_4w=w.rolling_4w,
        )
        for w in result.weeks
    ]


def uid_counts(analysis: AnalysisLike) -> Counter[str]:
    return Counter(o.uid for o in analysis.occurrences)


def translation_series(
    analysis: AnalysisLike, period: Period, recurring_only: bool = False
) -> list[TranslationSeries]:
    """Translation hours by series over ``period``, most hours first."""
    counts = uid_counts(analysis)
    hours: dict[str, float] = {}
    bridge: dict[str, float] = {}
    n: Counter[str] = Counter()
    titles: dict[str, str] = {}
    people: dict[str, Counter[str]] = {}
    for c in analysis.in_period(period, counted_only=True):
        if c.category is not Category.TRANSLATION:
            continue
        uid = c.occ.uid
        h = c.hours
        hours[uid] = hours.get(uid, 0.0) + h
        n[uid] += 1
        titles[uid] = c.occ.title
        if c.rule is Rule.SOLE_BRIDGE:
            bridge[uid] = bridge.get(uid, 0.0) + h
        people.setdefault(uid, Counter()).update(c.people)
    out = [
        TranslationSeries(
            uid=uid,
            title=titles[uid],
            hours=h,
            meetings=n[uid],
            bridge_hours=bridge.get(uid, 0.0),
            people=tuple(p for p, _ in people[uid].most_common()),
            recurring=counts[uid] > 1,
        )
        for uid, h in hours.items()
    ]
    if recurring_only:
        out = [s for s in out if s.recurring]
    out.sort(key=lambda s: (-s.hours, s.title.lower(), s.uid))
    return out


def series_points(
    series: list[TranslationSeries], redactor: Redactor, top: int = 8
) -> list[SeriesPoint]:
    return [SeriesPoint(s.label(redactor), s.hours, s.meetings) for s in series[:top]]


def week_detail(analysis: AnalysisLike, result: AuditResult, zone: ZoneInfo) -> WeekDetail:
    """The first week of ``result`` broken down by day (Monday first), days in ``zone``."""
    w = result.weeks[0]
    point = week_points(result)[0]
    days: dict[date, dict[Category, float]] = {
        w.start + timedelta(days=i): dict.fromkeys(ALL_CATEGORIES, 0.0) for i in range(7)
    }
    for c in analysis.counted_in_week(w.start):
        day = c.occ.start.astimezone(zone).date()
        bucket = days.get(day)
        if bucket is not None:
            cat = c.category or Category.UNCLASSIFIED
            bucket[cat] = bucket.get(cat, 0.0) + c.hours
    return WeekDetail(point, tuple(DayPoint(d, h) for d, h in sorted(days.items())))
