"""The figures and talking points of the one-on-one brief, chosen from the data.

Numbers come from the same audit summary as ``pmload audit``, over the
period's *complete* weeks: the share and its range (``AuditSummary.share`` to
``share_high``), the verdict, weeks over and unsure, the current streak; the
per-week hours and the top series cover the same complete weeks. The week in
progress is charted ("so far") and named beside them, never counted in them.
Talking points are plain sentences a manager can act on; each one appears only
when the data supports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pmload.export.charts.data import WeekPoint, pct, period_label
from pmload.export.data import (
    AnalysisLike,
    TranslationSeries,
    translation_series,
    week_points,
)
from pmload.export.redact import Redactor
from pmload.period import Period
from pmload.rules.audit import AuditResult, WeekAudit
from pmload.rules.verdict import share_pct, threshold_pct, verdict_pct
from pmload.vocab import Basis, Category, Verdict

SECOND_BRIDGE_HOURS = 2.0  # a week as the only bridge before a second bridge is suggested
COORDINATION_HEAVY = 0.40


def whole_percent(share: float) -> str:
    """A share as a whole percent, the way every export prints it: 0.4166 -> '42%'."""
    return pct(share)


@dataclass(frozen=True, slots=True)
class BriefFacts:
    result: AuditResult
    weeks: tuple[WeekPoint, ...]  # every week of the period, as charted
    series: tuple[TranslationSeries, ...]  # translation series of the complete weeks

    @property
    def complete(self) -> tuple[WeekAudit, ...]:
        return self.result.complete_weeks

    @property
    def n_weeks(self) -> int:
        """The complete weeks the figures count."""
        return self.result.summary.complete_weeks

    @property
    def share(self) -> float:
        return self.result.summary.share

    @property
    def share_high(self) -> float:
        return self.result.summary.share_high

    @property
    def verdict(self) -> Verdict | None:
        return self.result.summary.verdict

    @property
    def weeks_over(self) -> int:
        return self.result.summary.weeks_over

    @property
    def weeks_unsure(self) -> int:
        return self.result.summary.weeks_unsure

    @property
    def current_streak(self) -> int:
        return self.result.summary.current_streak

    @property
    def in_progress(self) -> WeekAudit | None:
        return self.result.summary.in_progress_week

    @property
    def threshold_text(self) -> str:
        return threshold_pct(self.result.threshold)

    @property
    def share_text(self) -> str:
        """'45%', '40.3%' near the line, or the range '12–45%' when unsure."""
        if self.verdict is None:
            return "-"
        return verdict_pct(self.share, self.share_high, self.verdict, self.result.threshold)

    def per_week(self, hours: float) -> float:
        """``hours`` a week over the complete weeks that have calendar data."""
        weeks = self.n_weeks - self.result.summary.weeks_without_data
        return hours / weeks if weeks > 0 else 0.0

    @property
    def bridge_hours_per_week(self) -> float:
        return self.per_week(sum(w.bridge_hours for w in self.complete))

    @property
    def meeting_hours(self) -> float:
        return sum(w.meeting_hours for w in self.complete)

    @property
    def unclassified_hours(self) -> float:
        return sum(w.unclassified_hours for w in self.complete)

    def category_share(self, category: Category) -> float:
        total = self.meeting_hours
        part = sum(w.hours.get(category, 0.0) for w in self.complete)
        return part / total if total else 0.0

    @property
    def period_text(self) -> str:
        return period_label(list(self.weeks))

    @property
    def basis_unit(self) -> str:
        return "working hours" if self.result.basis is Basis.WORKING_HOURS else "meeting hours"

    def unsure_note(self) -> str | None:
        """When weeks are unsure: how many, why, and what settles them (None otherwise)."""
        s = self.result.summary
        if not s.weeks_unsure and s.verdict is not Verdict.UNSURE:
            return None
        fixes = []
        if s.unknown_people:
            n = len(s.unknown_people)
            fixes.append(f"setting the side of {n} {'person' if n == 1 else 'people'}")
        if s.unclassified_series:
            n = len(s.unclassified_series)
            fixes.append(f"reviewing {n} unclassified series")
        weeks = f"{s.weeks_unsure} of {self.n_weeks} weeks are unsure"
        if not s.weeks_unsure:
            weeks = "The period is unsure"
        return (
            f"Not settled yet: {weeks}: {self.unclassified_hours:.1f} h of meetings are "
            "unclassified and could still be translation, so shares are shown as a range. "
            f"{_sentence(' and '.join(fixes)) or 'Tagging them'} in pmload settles them."
        )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def brief_facts(analysis: AnalysisLike, period: Period, today: date | None = None) -> BriefFacts:
    """The brief's facts for ``period`` as of ``today`` (default: today in the user's zone)."""
    result = analysis.audit(period, today)
    complete = result.complete_weeks
    series: list[TranslationSeries] = []
    if complete:
        counted = Period(complete[0].start, complete[-1].start + timedelta(days=6))
        series = translation_series(analysis, counted)
    return BriefFacts(result=result, weeks=tuple(week_points(result)), series=tuple(series))


def _quote(label: str) -> str:
    return f'"{label}"'


def _first_point(facts: BriefFacts) -> str:
    """The share against the line, as sure as the data allows."""
    n = facts.n_weeks
    thr = facts.threshold_text
    unit = facts.basis_unit
    if facts.verdict is Verdict.UNSURE:
        text = (
            f"Translation took between {share_pct(facts.share, facts.result.threshold)} and "
            f"{share_pct(facts.share_high, facts.result.threshold)} of my {unit} over these "
            f"{n} weeks: {facts.unclassified_hours:.1f} h of meetings are not classified yet, "
            f"so whether it passes the {thr} line is not settled; {facts.weeks_over} of {n} "
            f"weeks were over it and {facts.weeks_unsure} unsure."
        )
    elif facts.verdict is Verdict.OVER:
        text = (
            f"Translation took {facts.share_text} of my {unit} over these {n} weeks, above "
            f"the {thr} line where the team needs structure, not more effort from me; "
            f"{facts.weeks_over} of {n} weeks were over."
        )
    else:
        unsure = f" and {facts.weeks_unsure} unsure" if facts.weeks_unsure else ""
        text = (
            f"Translation took {facts.share_text} of my {unit} over these {n} weeks, under "
            f"the {thr} line; {facts.weeks_over} of {n} weeks were over it{unsure}."
        )
    if facts.current_streak >= 2:
        text += f" The last {facts.current_streak} weeks in a row were over."
    return text


def talking_points(facts: BriefFacts, redactor: Redactor, limit: int = 5) -> list[str]:
    """Plain, manager-ready sentences chosen from the data, most important first."""
    n = facts.n_weeks
    thr = facts.threshold_text
    points: list[str] = []
    if n == 0 or facts.meeting_hours == 0:
        if facts.in_progress is not None and facts.in_progress.meetings:
            return [
                "This week is still in progress and no complete week of the period has "
                "counted meetings, so there is nothing to conclude yet."
            ]
        return ["There are no counted meetings in this period, so there is nothing to discuss yet."]
    over = facts.verdict is Verdict.OVER
    points.append(_first_point(facts))

    bridged = sorted(
        (s for s in facts.series if s.bridge_hours > 0), key=lambda s: (-s.bridge_hours, s.uid)
    )
    if bridged:
        top = bridged[0]
        points.append(
            f"{_quote(top.label(redactor))} takes {facts.per_week(top.bridge_hours):.1f} h a week "
            "with me as the only bridge between engineering and the business; an interface "
            "contract (agreed inputs, outputs and acceptance metrics) would let the two sides "
            "settle it directly, without me in the loop."
        )
    bridge_week = facts.bridge_hours_per_week
    if bridge_week >= SECOND_BRIDGE_HOURS:
        target = _quote(bridged[1].label(redactor)) if len(bridged) > 1 else "these meetings"
        points.append(
            f"I am the only bridge for {bridge_week:.1f} h a week; a second bridge (an engineer "
            f"or analyst who can talk to the business) for {target} would share that load and "
            "remove a single point of failure."
        )
    if len(facts.series) >= 3:
        trans_week = facts.per_week(sum(s.hours for s in facts.series))
        recurring = sum(1 for s in facts.series if s.recurring)
        one_off = len(facts.series) - recurring
        if recurring and one_off:
            what = f"{recurring} recurring and {one_off} one-off meetings"
        elif recurring:
            what = f"{recurring} recurring meetings"
        else:
            what = f"{one_off} one-off meetings"
        points.append(
            f"Translation is spread over {what} ({trans_week:.1f} h a week); shared KPIs owned "
            "by engineering and the business together would replace much of this re-explaining."
        )
    coord = facts.category_share(Category.COORDINATION)
    if coord >= COORDINATION_HEAVY:
        points.append(
            f"Coordination (syncs, status, hand-offs) takes another {whole_percent(coord)} of "
            "my meeting hours; written status updates would free time for strategy, which "
            f"gets {whole_percent(facts.category_share(Category.STRATEGY))}."
        )
    if over or facts.current_streak >= 2 or facts.weeks_over * 2 >= n:
        points.append(
            "No one else here works across both sides, so no one can judge this part of my "
            "work; a small peer council (about three PMs from other teams, every two weeks) "
            "would give me feedback and people to raise risks with."
        )
    if facts.verdict is Verdict.UNDER and facts.weeks_over == 0 and facts.weeks_unsure == 0:
        points.append(
            f"No structural change is urgent; I will keep the weekly audit and raise it if "
            f"translation goes over {thr}."
        )
    points = points[:limit]
    now = facts.in_progress
    if now is not None and now.meetings:
        share = verdict_pct(now.share_low, now.share_high, now.verdict, facts.result.threshold)
        points.append(
            f"This week so far, as scheduled, translation is at {share} of my {facts.basis_unit}; "
            "it is not counted in the figures above until the week is over."
        )
    return points
