"""What a change to the rules would do, before it is saved (the rules editor's preview).

:func:`rules_impact` takes the rules as they are (an :class:`Analysis`) and
proposed settings (new keyword rules, new people patterns), classifies all
history again under the proposal on a copy (the analysis given is never
changed, so the app runs this in a background op while its views read it) and
says:

* ``meetings``/``hours``: how many counted meetings, over all history, would
  get another category, and their hours; ``to_unclassified`` and
  ``from_unclassified`` say how many of them would start or stop waiting in
  the review queue;
* the share of the last ``weeks`` complete weeks (12 by default, ending with
  the last complete week: the week in progress stays out, as in every period
  figure) before and after, with its range and verdict, so an unsure period
  is printed as its range ("34–41%"), never as a reassuring number.

:func:`impact_text` prints it: "re-classifies 23 meetings (41.5 h); your
12-week share 34% → 31%".

:func:`titles_matching` and :func:`people_matching` are the editor's live
previews: the distinct meeting titles a keyword list matches (the keyword rule's
whole-word match, :mod:`pmload.rules.keywords`), and the people met whom an
address pattern matches (:mod:`pmload.rules.sides`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fnmatch import translate

from pmload.config import Settings, normalize_address
from pmload.period import Period, monday_of
from pmload.rules.analysis import Analysis
from pmload.rules.classify import Classified
from pmload.rules.keywords import keyword_pattern
from pmload.rules.sides import is_pattern
from pmload.rules.verdict import verdict_pct
from pmload.vocab import Category, Verdict

IMPACT_WEEKS = 12


@dataclass(frozen=True, slots=True)
class PeriodShare:
    """A period's share over its complete weeks, as the audit summary has it."""

    low: float
    high: float
    verdict: Verdict | None  # None when no complete week has calendar data
    weeks_over: int

    def text(self, threshold: float) -> str:
        if self.verdict is None:
            return "no data"
        return verdict_pct(self.low, self.high, self.verdict, threshold)


@dataclass(frozen=True, slots=True)
class RulesImpact:
    """What the proposed rules change (see the module docstring)."""

    meetings: int
    hours: float
    to_unclassified: int
    from_unclassified: int
    weeks: int  # the length of the share's period, in weeks
    period: Period
    before: PeriodShare
    after: PeriodShare
    threshold_before: float
    threshold_after: float


def impact_period(today: date, weeks: int = IMPACT_WEEKS) -> Period:
    """The ``weeks`` complete weeks ending with the one before the week in progress."""
    last = monday_of(today) - timedelta(weeks=1)
    return Period.of_weeks(last - timedelta(weeks=weeks - 1), weeks)


def _period_share(analysis: Analysis, period: Period, today: date) -> PeriodShare:
    s = analysis.audit(period, today, load_figures=False).summary
    return PeriodShare(s.share, s.share_high, s.verdict, s.weeks_over)


def rules_impact(
    analysis: Analysis, proposed: Settings, today: date, weeks: int = IMPACT_WEEKS
) -> RulesImpact:
    """How ``proposed`` would re-classify all of ``analysis``'s history (it stays unchanged)."""
    after = analysis.reclassified(proposed)
    changed = [
        (old, new)
        for old, new in zip(analysis.classified, after.classified, strict=True)
        if old.excluded is None and old.category != new.category
    ]
    period = impact_period(today, weeks)
    return RulesImpact(
        meetings=len(changed),
        hours=sum(old.hours for old, _ in changed),
        to_unclassified=sum(1 for _, new in changed if new.category is Category.UNCLASSIFIED),
        from_unclassified=sum(1 for old, _ in changed if old.category is Category.UNCLASSIFIED),
        weeks=weeks,
        period=period,
        before=_period_share(analysis, period, today),
        after=_period_share(after, period, today),
        threshold_before=analysis.settings.threshold,
        threshold_after=proposed.threshold,
    )


def impact_text(impact: RulesImpact) -> str:
    """'re-classifies 23 meetings (41.5 h); your 12-week share 34% → 31%'."""
    n = impact.meetings
    if n == 0:
        what = "re-classifies no meeting"
    else:
        what = f"re-classifies {n} meeting{'s' if n != 1 else ''} ({impact.hours:.1f} h)"
        if impact.from_unclassified:
            what += f", {impact.from_unclassified} of them from the review queue"
        elif impact.to_unclassified:
            what += f", {impact.to_unclassified} of them back to the review queue"
    before = impact.before.text(impact.threshold_before)
    after = impact.after.text(impact.threshold_after)
    share = f"your {impact.weeks}-week share {before} → {after}"
    if before == after:
        share = f"your {impact.weeks}-week share stays {before}"
    return f"{what}; {share}"


@dataclass(frozen=True, slots=True)
class TitleMatch:
    title: str
    count: int  # counted meetings with this title


def titles_matching(
    classified: Iterable[Classified], keywords: Sequence[str], limit: int = 20
) -> tuple[list[TitleMatch], int]:
    """The distinct titles of counted meetings that ``keywords`` match (whole words, as
    the keyword rule matches), most meetings first, at most ``limit``; and how many
    distinct titles match in all."""
    words = [k for k in (" ".join(k.split()) for k in keywords) if k]
    if not words:
        return [], 0
    pattern = re.compile("|".join(f"(?:{keyword_pattern(k)})" for k in words), re.IGNORECASE)
    counts: Counter[str] = Counter()
    seen: dict[str, bool] = {}
    for c in classified:
        if c.excluded is not None:
            continue
        title = c.occ.title
        hit = seen.get(title)
        if hit is None:
            hit = seen[title] = pattern.search(title) is not None
        if hit:
            counts[title] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
    return [TitleMatch(t, n) for t, n in ordered[:limit]], len(ordered)


def people_matching(people: Iterable[str], pattern: str, limit: int = 20) -> tuple[list[str], int]:
    """The people (keys) an address or glob ``pattern`` matches, sorted, at most ``limit``;
    and how many match in all. Matching is :class:`pmload.rules.sides.SideIndex`'s."""
    p = normalize_address(pattern)
    if not p:
        return [], 0
    if is_pattern(p):
        rx = re.compile(translate(p), re.IGNORECASE)
        hits = sorted({k for k in people if rx.match(k.strip().lower())})
    else:
        hits = sorted({k for k in people if k.strip().lower() == p})
    return hits[:limit], len(hits)
