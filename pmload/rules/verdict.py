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

Printing (every surface: CLI, charts, brief, app): :func:`threshold_pct` shows
the threshold as set ("35%", "37.5%"); :func:`share_pct` shows a share as a
whole percent, but with a decimal within a point of the threshold ("40.3%",
never "40%, over the 40% line"); :func:`verdict_pct` shows a settled share or
an unsure range ("20–60%").
"""

from __future__ import annotations

import math
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


# --- printing ------------------------------------------------------------------


def _percent(share: float, decimals: int) -> str:
    """``share`` x 100 rounded half up to ``decimals`` places, without the % sign."""
    scale = 10**decimals
    value = math.floor(share * 100 * scale + 0.5 + 1e-9) / scale
    return f"{value:.{decimals}f}"


def threshold_pct(threshold: float) -> str:
    """The threshold as set: '40%', '35%', '37.5%' (never rounded to another line)."""
    for decimals in range(3):
        text = _percent(threshold, decimals)
        if abs(float(text) - threshold * 100) < 1e-6:
            return f"{text}%"
    return f"{_percent(threshold, 2)}%"


def share_pct(share: float, threshold: float, decimals: int = 0) -> str:
    """A share as printed beside the threshold: '42%', but '40.3%' within a point of it.

    Within one point of the threshold at least one decimal is shown, and more (up
    to three) while the rounded share would read as the threshold itself, so a
    share just over the line never prints as "40%, over the 40% line".
    """
    if abs(share - threshold) < 0.01:
        decimals = max(decimals, 1)
    line = threshold * 100
    text = _percent(share, decimals)
    while decimals < 3 and share != threshold and abs(float(text) - line) < 1e-9:
        decimals += 1
        text = _percent(share, decimals)
    return f"{text}%"


def range_pct(low: float, high: float, threshold: float, decimals: int = 0) -> str:
    """A range of shares: '20–60%' (en dash), each end as :func:`share_pct` prints it."""
    return f"{share_pct(low, threshold, decimals)[:-1]}–{share_pct(high, threshold, decimals)}"


def verdict_pct(
    share: float, high: float, verdict: Verdict, threshold: float, decimals: int = 0
) -> str:
    """The share of a settled verdict ('45%'), the range of an unsure one ('20–60%')."""
    if verdict is Verdict.UNSURE:
        return range_pct(share, high, threshold, decimals)
    return share_pct(share, threshold, decimals)
