"""The audit's records: one week (:class:`WeekAudit`), what it is compared with
(:class:`Baseline`), a period's figures (:class:`AuditSummary`) and the whole
result (:class:`AuditResult`).

They are built by :func:`pmload.rules.audit.compute_audit` (and re-exported
there); the CLI, the exports and the app read them, never recompute them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pmload.period import Period
from pmload.vocab import Basis, Category, Verdict, WeekState


@dataclass(frozen=True, slots=True)
class Chain:
    """Back-to-back meetings: each starts 5 minutes or less after the previous ends."""

    start: datetime
    end: datetime
    meetings: int


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a week's share is compared with (built by :mod:`pmload.rules.compare`).

    ``prev_week`` is the Monday of the previous complete week and ``prev_share`` its
    share (None when it has no calendar data); ``mean_4w`` is the mean share of the 4
    complete weeks ending with ``prev_week``, over those with calendar data
    (``weeks_4w`` of them; None when none has). ``unsure`` is True when one of these
    weeks is unsure, so its share is known translation only.
    """

    prev_week: date
    prev_share: float | None
    mean_4w: float | None
    weeks_4w: int
    unsure: bool


@dataclass(frozen=True, slots=True)
class WeekAudit:
    """One ISO week of the audit.

    What a screen needs to say it honestly:

    * ``verdict`` (over / under / unsure) with the range ``share_low`` ..
      ``share_high``; when unsure, ``unknown_people`` (their sides would let the
      rules classify the week's unclassified meetings) and ``unclassified_series``
      (UIDs to review or tag) are what settles it ("Set sides for 20 people",
      "Review 7 series");
    * ``state``: complete, in progress ("this week so far") or scheduled; only
      complete weeks have a streak;
    * ``has_data``: False when the calendar has no occurrence at all in the week
      (say "No calendar data for this week", not 0%); a week with data may
      still have 0 meetings.

    Print shares with :func:`pmload.rules.verdict.verdict_pct` (a settled share,
    or an unsure range "20–60%") and colour them with
    ``pmload.export.charts.style.VERDICT_COLOURS`` / ``VERDICT_HATCHES``, as the
    CLI, the charts and the brief do.

    Comparisons at a glance (:mod:`pmload.rules.compare`): ``delta_prev`` is the
    change of its share in percentage points against the previous complete week,
    ``delta_4w`` against the mean share of the 4 complete weeks before it, both None
    when there is nothing to compare with (or the week has no calendar data); the
    Week header and the brief print them with
    :func:`pmload.rules.compare.comparison_text` ("46%, up 4 points on last week,
    6 above your 4-week average"), as the CLI does.

    ``rolling_4w`` (complete weeks with data only) is the mean share of the 4 weeks
    ending with this one, over those with calendar data: the Trends chart's 4-week
    average line (:func:`pmload.rules.compare.rolling_mean`).

    In an audit made without the load figures (``AuditResult.load_figures`` False,
    as the what-if makes), ``back_to_back``, ``context_switches``,
    ``hours_outside_window`` and ``focus_hours`` are not computed and read 0.
    """

    week: str  # "2026-W02"
    start: date  # its Monday
    meeting_hours: float
    hours: Mapping[Category, float]  # every category, unclassified included
    translation_share: float  # unrounded; the low end of the range
    over_threshold: bool  # verdict is over
    streak: int  # consecutive over complete weeks ending with this one; 0 unless complete
    meetings: int
    top_translation_series: tuple[tuple[str, float], ...]
    people_met: int
    bridge_hours: float
    back_to_back: tuple[Chain, ...]
    context_switches: int
    hours_outside_window: float
    focus_hours: float
    share_high: float  # (translation + unclassified) ÷ base, unrounded
    verdict: Verdict
    state: WeekState
    has_data: bool  # any occurrence (counted or not) starts in this week
    unknown_people: tuple[str, ...]  # people with no side in its unclassified meetings
    unclassified_series: tuple[str, ...]  # UIDs of its unclassified meetings
    baseline: Baseline | None = None  # what it is compared with
    delta_prev: float | None = None  # points against the previous complete week
    delta_4w: float | None = None  # points against the mean of the 4 complete weeks before
    # mean share of the 4 weeks ending with this one (complete weeks only; else None)
    rolling_4w: float | None = None

    @property
    def share_low(self) -> float:
        return self.translation_share

    @property
    def unclassified_hours(self) -> float:
        return self.hours[Category.UNCLASSIFIED]

    @property
    def complete(self) -> bool:
        return self.state is WeekState.COMPLETE

    @property
    def in_progress(self) -> bool:
        return self.state is WeekState.IN_PROGRESS

    @property
    def scheduled(self) -> bool:
        return self.state is WeekState.SCHEDULED

    @property
    def end(self) -> date:
        """Its Sunday."""
        return self.start + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """The period's figures, over its COMPLETE weeks only.

    ``share`` (= ``share_low``) and ``share_high`` are the period's range (all
    complete weeks' hours added up; on the working-hours basis the base is the
    complete weeks that have calendar data) and ``verdict`` its verdict (None
    when no complete week has calendar data). Counts and streaks are over
    complete weeks; ``current_streak`` is that of the last complete week and
    ``rolling_4w_share`` covers the four complete weeks ending with it.
    ``in_progress_week`` is the week in progress when the period contains it
    (reported beside these figures, never inside them); ``scheduled_weeks`` counts
    the period's later weeks. ``unknown_people`` and ``unclassified_series`` over
    the complete weeks are what would settle an unsure period.
    """

    share: float
    mean_weekly_share: float  # over complete weeks with calendar data
    weeks_over: int
    longest_streak: int
    current_streak: int
    rolling_4w_share: float
    share_high: float
    verdict: Verdict | None
    weeks_unsure: int
    complete_weeks: int
    weeks_without_data: int  # complete weeks with no occurrence at all
    in_progress_week: WeekAudit | None
    scheduled_weeks: int
    unknown_people: tuple[str, ...]
    unclassified_series: tuple[str, ...]

    @property
    def share_low(self) -> float:
        return self.share

    @property
    def weeks_under(self) -> int:
        return self.complete_weeks - self.weeks_over - self.weeks_unsure


@dataclass(frozen=True, slots=True)
class AuditResult:
    """The audit of a period; ``today`` is the day the week states were decided on.

    ``next_week`` is the week after the week in progress (whether or not the period
    holds it), as scheduled so far: what is already on the calendar. It is
    reported beside the period's figures, never inside them. ``load_figures`` is
    False when the weeks' load figures were not computed (see :class:`WeekAudit`).
    """

    threshold: float
    basis: Basis
    period: Period
    weeks: tuple[WeekAudit, ...]
    summary: AuditSummary
    top_translation_series: tuple[tuple[str, float], ...] = ()  # over the whole period
    today: date | None = None
    next_week: WeekAudit | None = None
    load_figures: bool = True

    @property
    def complete_weeks(self) -> tuple[WeekAudit, ...]:
        return tuple(w for w in self.weeks if w.complete)
