"""Plain data the charts draw: no database, no classification, no Qt.

The audit (pmload.rules.audit) and the app turn their results into these records,
so the same builders serve the CLI exports, the brief and the app's views.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from pmload.vocab import Category, Verdict, WeekState


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One ISO week of the audit, as charted (built from a WeekAudit by export.data)."""

    week: str  # "2026-W02"
    start: date  # its Monday
    meeting_hours: float
    hours: Mapping[Category, float]  # by category, unclassified included
    share: float  # translation share, 0..1 (on the audit's basis): the low end of the range
    over: bool  # verdict is over (decided on the unrounded shares)
    streak: int  # consecutive over complete weeks ending with this one (0 unless complete)
    share_high: float  # (translation + unclassified) ÷ base
    verdict: Verdict
    state: WeekState
    has_data: bool  # any occurrence at all in the week
    rolling_4w: float | None = None  # mean share of the 4 weeks ending here (complete weeks)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def complete(self) -> bool:
        return self.state is WeekState.COMPLETE


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """A recurring meeting (or its redacted label) and its translation hours."""

    label: str
    hours: float
    meetings: int = 0


@dataclass(frozen=True, slots=True)
class DayPoint:
    """One day of a week: hours by category."""

    day: date
    hours: Mapping[Category, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeekDetail:
    """One week's breakdown: its audit figures and its days (Monday first)."""

    week: WeekPoint
    days: tuple[DayPoint, ...]


def period_label(weeks: tuple[WeekPoint, ...] | list[WeekPoint]) -> str:
    """'2026-W02 to 2026-W07 (5 Jan – 15 Feb 2026)' for the charted weeks."""
    if not weeks:
        return "no weeks"
    first, last = weeks[0], weeks[-1]
    span = f"{date_label(first.start, last.end)}"
    if first.week == last.week:
        return f"{first.week} ({span})"
    return f"{first.week} to {last.week} ({span})"


def pct(share: float) -> str:
    """A share as a whole percent, rounded half up, as every export prints it: 0.415 -> '42%'."""
    return f"{math.floor(share * 100 + 0.5 + 1e-9):d}%"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month(d: date) -> str:
    """'5 Jan' whatever the locale."""
    return f"{d.day} {MONTHS[d.month - 1]}"


def date_label(start: date, end: date) -> str:
    """'5 Jan – 15 Feb 2026', '29 Dec 2025 – 4 Jan 2026' (en dash, day month year)."""
    if start.year == end.year:
        return f"{day_month(start)} - {day_month(end)} {end.year}"
    return f"{day_month(start)} {start.year} - {day_month(end)} {end.year}"
