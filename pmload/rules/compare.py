"""Comparisons at a glance: a week's share against last week and the 4-week average.

For a week W, with C the week in progress (the ISO week containing today):

* its *previous complete week* P is W - 1 for a complete week and for C itself,
  and C - 1 (the last complete week) for a scheduled week;
* its *4 complete weeks before it* are P and the 3 weeks before P.

Then, in percentage points of the share (the low end of the range,
translation ÷ base, unrounded)::

    delta_prev = (share(W) - share(P)) x 100
    delta_4w   = (share(W) - mean of share(P-3 .. P)) x 100

The mean leaves out weeks without calendar data, as the period's mean weekly
share does, and says how many weeks it covers. Either delta is None, not 0,
when there is nothing to compare with: P has no calendar data, none of the 4
weeks has, or W itself has none. Weeks before the audited period are looked
at when needed, as the streak does. When W or a compared week is unsure, the
compared shares are known translation only, and :func:`comparison_text` says so.

The audit computes these once per week (:func:`baseline_of`, :func:`deltas`,
called from :func:`pmload.rules.audit.compute_audit`) and keeps them on the
:class:`~pmload.rules.audit_records.WeekAudit` (``baseline``, ``delta_prev``,
``delta_4w``); every surface prints them with :func:`comparison_text`, so the
CLI, the app's Week header and the brief say the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pmload.period import monday_of, week_label
from pmload.rules.audit_records import Baseline, WeekAudit
from pmload.rules.verdict import verdict_pct
from pmload.vocab import Verdict

WINDOW = 4  # weeks in the average


@dataclass(frozen=True, slots=True)
class WeekShare:
    """A week's range and verdict, as the audit decides them."""

    low: float
    high: float
    verdict: Verdict


ShareOf = Callable[[date], WeekShare | None]
"""The range of the week of a Monday; None when that week has no calendar data."""


def previous_complete_week(monday: date, today: date) -> date:
    """The Monday of the previous complete week of ``monday``'s week (see the module)."""
    return min(monday, monday_of(today)) - timedelta(weeks=1)


def baseline_of(monday: date, today: date, share_of: ShareOf) -> Baseline:
    """What the week of ``monday`` is compared with, as of ``today``."""
    prev = previous_complete_week(monday, today)
    window = [share_of(prev - timedelta(weeks=i)) for i in range(WINDOW)]
    known = [s for s in window if s is not None]
    return Baseline(
        prev_week=prev,
        prev_share=window[0].low if window[0] is not None else None,
        mean_4w=sum(s.low for s in known) / len(known) if known else None,
        weeks_4w=len(known),
        unsure=any(s.verdict is Verdict.UNSURE for s in known),
    )


def rolling_mean(monday: date, share_of: ShareOf) -> float | None:
    """The mean share of the 4 weeks ending with ``monday``'s week, over those with
    calendar data (the 4-week average line of the Trends chart); None when none has.

    It is the average a following complete week is compared with (``mean_4w``)."""
    known = [s for s in (share_of(monday - timedelta(weeks=i)) for i in range(WINDOW)) if s]
    return sum(s.low for s in known) / len(known) if known else None


def next_week_text(w: WeekAudit, threshold: float, decimals: int = 0) -> str:
    """Next week as scheduled so far, from what is already on the calendar.

    "Next week (2026-W11, scheduled so far): translation 38% of the 12.5 meeting hours
    already on your calendar, unsure": labelled as scheduled, never as a result.
    """
    if not w.has_data:
        return f"Next week ({w.week}): nothing on your calendar yet."
    share = verdict_pct(w.share_low, w.share_high, w.verdict, threshold, decimals)
    words = {Verdict.OVER: "over", Verdict.UNDER: "under", Verdict.UNSURE: "unsure"}[w.verdict]
    return (
        f"Next week ({w.week}, scheduled so far): translation {share} of the "
        f"{w.meeting_hours:.1f} meeting hours already on your calendar, {words}"
    )


def deltas(share: float, baseline: Baseline | None) -> tuple[float | None, float | None]:
    """(delta_prev, delta_4w) of a week with calendar data whose share is ``share``."""
    if baseline is None:
        return None, None
    prev = None if baseline.prev_share is None else (share - baseline.prev_share) * 100
    mean = None if baseline.mean_4w is None else (share - baseline.mean_4w) * 100
    return prev, mean


# --- printing ------------------------------------------------------------------


def whole_points(delta: float) -> int:
    """``delta`` rounded half away from zero to whole points (so 3.5 and -3.5 read 4)."""
    return int(math.copysign(math.floor(abs(delta) + 0.5 + 1e-9), delta))


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _against_prev(delta: float, prev: str) -> str:
    n = whole_points(delta)
    if n == 0:
        return f"level with {prev}"
    return f"{'up' if n > 0 else 'down'} {_points(abs(n))} on {prev}"


def _against_mean(delta: float, mean: str) -> str:
    n = whole_points(delta)
    if n == 0:
        return f"level with {mean}"
    return f"{abs(n)} {'above' if n > 0 else 'below'} {mean}"


def comparison_text(w: WeekAudit, threshold: float, decimals: int = 0) -> str:
    """The week's share and how it compares, in one phrase.

    "46%, up 4 points on last week, 6 above your 4-week average": the share as
    :func:`~pmload.rules.verdict.verdict_pct` prints it (an unsure week shows its
    range, "20–60%"; ``decimals`` as there), then :func:`comparison_phrases`. A
    week without calendar data reads "no calendar data".
    """
    if not w.has_data:
        return "no calendar data"
    share = verdict_pct(w.share_low, w.share_high, w.verdict, threshold, decimals)
    return ", ".join([share, *comparison_phrases(w)])


def comparison_phrases(w: WeekAudit) -> list[str]:
    """How the week compares, as phrases to join with ", " after its share.

    ["up 4 points on last week", "6 above your 4-week average"]. "last week"
    becomes the week's label when the week compared with is not the one just
    before (a scheduled week: "on 2026-W09"); the average says how many of its
    weeks have data when not all do ("your 4-week average (2 with data)") and is
    left out when it is last week alone; a missing comparison says why ("no
    calendar data last week"); when the week or a week compared is unsure the last
    phrase ends with "(known translation only: unclassified hours could change
    these)". Empty for a week without calendar data or without a baseline.
    """
    b = w.baseline
    if b is None or not w.has_data:
        return []
    if w.delta_prev is None and w.delta_4w is None:
        return [f"nothing to compare with in the {WINDOW} weeks before"]
    just_before = b.prev_week == w.start - timedelta(weeks=1)
    prev = "last week" if just_before else week_label(b.prev_week)
    if w.delta_prev is not None:
        parts = [_against_prev(w.delta_prev, prev)]
    else:
        parts = [f"no calendar data {prev}" if just_before else f"no calendar data in {prev}"]
    if w.delta_4w is not None and (w.delta_prev is None or b.weeks_4w > 1):
        mean = f"your {WINDOW}-week average"
        if b.weeks_4w < WINDOW:
            mean += f" ({b.weeks_4w} with data)"
        parts.append(_against_mean(w.delta_4w, mean))
    if w.verdict is Verdict.UNSURE or b.unsure:
        parts[-1] += " (known translation only: unclassified hours could change these)"
    return parts
