"""The figures and talking points of the one-on-one brief, chosen from the data.

Numbers come from the same audit as ``pmload audit`` (the period's share is
``AuditSummary.share``). Talking points are plain sentences a manager can act
on; each one appears only when the data supports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmload.export.charts.data import WeekPoint, pct, period_label
from pmload.export.data import (
    AnalysisLike,
    TranslationSeries,
    translation_series,
    week_points,
)
from pmload.export.redact import Redactor
from pmload.period import Period
from pmload.rules.audit import AuditResult
from pmload.vocab import Basis, Category

SECOND_BRIDGE_HOURS = 2.0  # a week as the only bridge before a second bridge is suggested
COORDINATION_HEAVY = 0.40


def whole_percent(share: float) -> str:
    """A share as a whole percent, the way every export prints it: 0.4166 -> '42%'."""
    return pct(share)


@dataclass(frozen=True, slots=True)
class BriefFacts:
    result: AuditResult
    weeks: tuple[WeekPoint, ...]
    series: tuple[TranslationSeries, ...]  # translation series, most hours first

    @property
    def n_weeks(self) -> int:
        return len(self.result.weeks)

    @property
    def share(self) -> float:
        return self.result.summary.share

    @property
    def weeks_over(self) -> int:
        return self.result.summary.weeks_over

    @property
    def current_streak(self) -> int:
        return self.result.summary.current_streak

    def per_week(self, hours: float) -> float:
        return hours / self.n_weeks if self.n_weeks else 0.0

    @property
    def bridge_hours_per_week(self) -> float:
        return self.per_week(sum(w.bridge_hours for w in self.result.weeks))

    @property
    def meeting_hours(self) -> float:
        return sum(w.meeting_hours for w in self.result.weeks)

    def category_share(self, category: Category) -> float:
        total = self.meeting_hours
        part = sum(w.hours.get(category, 0.0) for w in self.result.weeks)
        return part / total if total else 0.0

    @property
    def period_text(self) -> str:
        return period_label(list(self.weeks))

    @property
    def basis_unit(self) -> str:
        return "working hours" if self.result.basis is Basis.WORKING_HOURS else "meeting hours"


def brief_facts(analysis: AnalysisLike, period: Period) -> BriefFacts:
    result = analysis.audit(period)
    return BriefFacts(
        result=result,
        weeks=tuple(week_points(result)),
        series=tuple(translation_series(analysis, period)),
    )


def _quote(label: str) -> str:
    return f'"{label}"'


def talking_points(facts: BriefFacts, redactor: Redactor, limit: int = 5) -> list[str]:
    """Plain, manager-ready sentences chosen from the data, most important first."""
    n = facts.n_weeks
    thr = whole_percent(facts.result.threshold)
    share = whole_percent(facts.share)
    points: list[str] = []
    if n == 0 or facts.meeting_hours == 0:
        return ["There are no counted meetings in this period, so there is nothing to discuss yet."]
    over = facts.share > facts.result.threshold
    if over:
        text = (
            f"Translation took {share} of my {facts.basis_unit} over these {n} weeks, above "
            f"the {thr} line where the team needs structure, not more effort from me; "
            f"{facts.weeks_over} of {n} weeks were over."
        )
    else:
        text = (
            f"Translation took {share} of my {facts.basis_unit} over these {n} weeks, under "
            f"the {thr} line; {facts.weeks_over} of {n} weeks were over it."
        )
    if facts.current_streak >= 2:
        text += f" The last {facts.current_streak} weeks in a row were over."
    points.append(text)

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
    if not over and facts.weeks_over == 0:
        points.append(
            f"No structural change is urgent; I will keep the weekly audit and raise it if "
            f"translation goes over {thr}."
        )
    return points[:limit]
