"""How sure a share is, and which weeks are complete (DOMAIN.md, "How sure a verdict is"
and "The week in progress").

The range of a week, or of a period of whole weeks::

    base = counted meeting hours              (basis "meetings")
         = working_hours x weeks              (basis "working-hours")
    low  = translation / base                 (the translation share; 0 when base is 0)
    high = (translation + unclassified) / base

Unclassified hours could still be translation, so the true share lies in
[low, high]. The verdict is OVER when low > threshold, UNDER when high <=
threshold, and UNSURE otherwise (the unclassified hours decide). Comparisons
use the unrounded shares.

The state of a week: the ISO week that contains today (in the user's zone) is
IN_PROGRESS, later weeks are SCHEDULED, earlier ones COMPLETE.
"""

from __future__ import annotations

from datetime import date, timedelta

from pmload.config import Settings
from pmload.period import monday_of
from pmload.vocab import Basis, Verdict, WeekState


def share_base(meeting_hours: float, settings: Settings, weeks: int = 1) -> float:
    """What the share divides by: meeting hours, or working hours x ``weeks``."""
    if settings.basis is Basis.WORKING_HOURS:
        return settings.working_hours * weeks
    return meeting_hours


def week_share(translation: float, meeting: float, settings: Settings, weeks: int = 1) -> float:
    """Translation ÷ base (the low end of the range); 0 when the base is 0."""
    base = share_base(meeting, settings, weeks)
    return translation / base if base > 0 else 0.0


def share_range(
    translation: float,
    unclassified: float,
    meeting: float,
    settings: Settings,
    weeks: int = 1,
) -> tuple[float, float]:
    """(low, high): translation ÷ base and (translation + unclassified) ÷ base."""
    base = share_base(meeting, settings, weeks)
    if base <= 0:
        return 0.0, 0.0
    return translation / base, (translation + unclassified) / base


def verdict_of(low: float, high: float, threshold: float) -> Verdict:
    """OVER when low > threshold, UNDER when high <= threshold, else UNSURE."""
    if low > threshold:
        return Verdict.OVER
    if high <= threshold:
        return Verdict.UNDER
    return Verdict.UNSURE


def week_state(monday: date, today: date) -> WeekState:
    """COMPLETE before the week of ``today``, IN_PROGRESS during it, SCHEDULED after."""
    current = monday_of(today)
    if monday < current:
        return WeekState.COMPLETE
    if monday < current + timedelta(weeks=1):
        return WeekState.IN_PROGRESS
    return WeekState.SCHEDULED
