"""What-if: the period's figures if a series did not happen, or someone else bridged it.

:func:`what_if` answers "what would my share be if ...?" for a period, for one
or several changes stacked (:class:`~pmload.vocab.WhatIfChange`):

* ``WITHOUT`` a series (by UID): it does not happen, or the PM stops attending.
  None of its occurrences counts as a meeting, in any week; its weeks keep
  their calendar data, so a week left with no meeting reads 0%, not "no data".
* ``SHARED`` series: someone else bridges it, so its translation hours stop
  being the PM's translation. Each of its counted occurrences that is
  translation, whatever made it so (the sole-bridge rule, a keyword or the
  PM's own tag), counts as coordination; its other occurrences keep theirs.

A change applies to the whole series, so the streaks and comparisons that look
before the period see it too. The after-analysis is a copy
(:meth:`pmload.rules.analysis.Analysis.revised`): the analysis given is never
changed, so the app can run :func:`what_if` in a ``BackgroundOp`` while its
views read that analysis (about 0.1 s over three years at gen_calendar scale 10).

``WhatIf.before`` and ``WhatIf.after`` are audits of the same period as of the
same day, made without the weeks' load figures. Their summaries count complete
weeks only, so ``before`` is ``pmload audit``'s summary for that period and the
week in progress stays out of both. :func:`figures` adds the translation,
meeting and unclassified hours of those weeks, with the range, the verdict and
the unsure weeks, so no figure reassures on unknown data. Each change's
:class:`ChangeEffect` says how many hours it moves in those weeks (without: the
series' counted meeting hours; shared: its translation hours), and why when
that is 0 (shared but not translation there, or held only in the week in
progress).

Bad input: a UID that no stored occurrence has is :class:`UnknownSeries` (one
sentence naming it, CLI exit 1); the same UID both without and shared is a
``UsageError``.

For the app: ``result = what_if(analysis, period, changes, today=...)`` off the
GUI thread; show ``figures(result.before)`` against ``figures(result.after)``
(print shares with :func:`pmload.rules.verdict.verdict_pct`, as everywhere); to
stack one more change, call it again with the longer list; a proposal for the
brief names ``result.effects[i].title``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pmload.errors import PmloadError, UsageError
from pmload.period import Period, monday_of, today_in, week_label
from pmload.rules.analysis import Analysis
from pmload.rules.audit_records import AuditResult
from pmload.rules.classify import Classified
from pmload.vocab import Category, Verdict, WhatIfChange

SHARED_REASON = "what-if: someone else bridges it"


class UnknownSeries(PmloadError):
    """No stored occurrence has the UID the user gave."""


@dataclass(frozen=True, slots=True)
class SeriesChange:
    """One change to try: a series (its UID) without, or shared."""

    uid: str
    what: WhatIfChange


@dataclass(frozen=True, slots=True)
class ChangeEffect:
    """What one change moves, in the period's complete weeks (and beside them)."""

    uid: str
    title: str  # its latest title in the period (else its latest one)
    what: WhatIfChange
    hours: float  # without: counted meeting hours; shared: translation hours
    in_progress_hours: float  # the same in the week in progress, not in the figures
    note: str | None  # why ``hours`` is 0, else None


@dataclass(frozen=True, slots=True)
class Figures:
    """A period's figures over its complete weeks, as the audit summary has them."""

    share: float  # the low end of the range
    share_high: float
    verdict: Verdict | None  # None when no complete week has calendar data
    weeks_over: int
    weeks_unsure: int
    complete_weeks: int
    weeks_without_data: int
    translation_hours: float
    meeting_hours: float
    unclassified_hours: float


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The audits before and after the changes, and what each change moved."""

    before: AuditResult
    after: AuditResult
    effects: tuple[ChangeEffect, ...]

    @property
    def in_progress_week(self) -> str | None:
        """The label of the week in progress when the period holds it (left out of both)."""
        w = self.before.summary.in_progress_week
        return w.week if w is not None else None


def figures(result: AuditResult) -> Figures:
    """The summary's figures of ``result`` and the hours of its complete weeks."""
    s = result.summary
    complete = result.complete_weeks
    return Figures(
        share=s.share,
        share_high=s.share_high,
        verdict=s.verdict,
        weeks_over=s.weeks_over,
        weeks_unsure=s.weeks_unsure,
        complete_weeks=s.complete_weeks,
        weeks_without_data=s.weeks_without_data,
        translation_hours=sum(w.hours[Category.TRANSLATION] for w in complete),
        meeting_hours=sum(w.meeting_hours for w in complete),
        unclassified_hours=sum(w.unclassified_hours for w in complete),
    )


def checked_changes(analysis: Analysis, changes: Iterable[SeriesChange]) -> list[SeriesChange]:
    """``changes`` with UIDs stripped and repeats dropped, in order; each UID must be stored."""
    out: dict[str, SeriesChange] = {}
    for change in changes:
        uid = change.uid.strip()
        seen = out.get(uid)
        if seen is not None and seen.what is not change.what:
            raise UsageError(
                f"--without and --shared both name '{uid}': a series that does not happen "
                "cannot be shared."
            )
        if not analysis.series(uid):
            raise UnknownSeries(
                f"no series has the UID '{uid}'; `pmload review --format json` and "
                "`pmload meetings --format json` show each meeting's uid."
            )
        out[uid] = SeriesChange(uid, change.what)
    return list(out.values())


def _shared(c: Classified) -> Classified:
    if c.excluded is None and c.category is Category.TRANSLATION:
        return replace(c, category=Category.COORDINATION, reason=SHARED_REASON)
    return c


def _without(c: Classified) -> None:
    return None


_REVISE: dict[WhatIfChange, Callable[[Classified], Classified | None]] = {
    WhatIfChange.WITHOUT: _without,
    WhatIfChange.SHARED: _shared,
}


def what_if(
    analysis: Analysis,
    period: Period,
    changes: Iterable[SeriesChange],
    *,
    today: date | None = None,
) -> WhatIf:
    """The period's audits before and after ``changes``, as of ``today`` (user's zone).

    ``analysis`` is not changed. Raises :class:`UnknownSeries` or ``UsageError``
    for bad changes (see the module).
    """
    today = today if today is not None else today_in(analysis.zone)
    wanted = checked_changes(analysis, changes)
    after = analysis.revised({c.uid: _REVISE[c.what] for c in wanted})
    return WhatIf(
        before=analysis.audit(period, today, load_figures=False),
        after=after.audit(period, today, load_figures=False),
        effects=tuple(_effect(analysis, period, today, c) for c in wanted),
    )


def _effect(analysis: Analysis, period: Period, today: date, change: SeriesChange) -> ChangeEffect:
    current = monday_of(today)
    first, last = period.first_monday, period.last_sunday
    hours = in_progress = 0.0
    series = analysis.series(change.uid)
    title = series[-1][1].occ.title
    for monday, c in series:
        if not first <= monday <= last:
            continue
        title = c.occ.title
        if c.excluded is not None:
            continue
        if change.what is WhatIfChange.SHARED and c.category is not Category.TRANSLATION:
            continue
        if monday < current:
            hours += c.hours
        elif monday == current:
            in_progress += c.hours
    return ChangeEffect(
        uid=change.uid,
        title=title,
        what=change.what,
        hours=hours,
        in_progress_hours=in_progress,
        note=_note(change.what, hours, in_progress, week_label(current)),
    )


def _note(what: WhatIfChange, hours: float, in_progress: float, current: str) -> str | None:
    if hours > 0:
        return None
    shared = what is WhatIfChange.SHARED
    if in_progress > 0:
        held = "translation only" if shared else "held only"
        return f"{held} in the week in progress ({current}), which these figures leave out"
    if shared:
        return "not translation in this period's complete weeks: sharing it changes nothing here"
    return "no counted meeting in this period's complete weeks"


# --- output --------------------------------------------------------------------


def _r2(x: float) -> float:
    return round(x + 0.0, 2)


def _r3(x: float) -> float:
    return round(x + 0.0, 3)


def figures_to_json(f: Figures) -> dict[str, Any]:
    """``before`` / ``after`` of ``pmload what-if --format json`` (shares 3 decimals, hours 2)."""
    return {
        "share": _r3(f.share),
        "weeks_over": f.weeks_over,
        "translation_hours": _r2(f.translation_hours),
        "share_low": _r3(f.share),
        "share_high": _r3(f.share_high),
        "verdict": f.verdict,
        "weeks_unsure": f.weeks_unsure,
        "complete_weeks": f.complete_weeks,
        "weeks_without_data": f.weeks_without_data,
        "meeting_hours": _r2(f.meeting_hours),
        "unclassified_hours": _r2(f.unclassified_hours),
    }


def what_if_to_json(result: WhatIf) -> dict[str, Any]:
    """The JSON contract of ``pmload what-if --format json``.

    ``before`` and ``after``: :func:`figures_to_json` (``share``, ``weeks_over``,
    the range, verdict and ``weeks_unsure`` equal ``pmload audit``'s summary for the
    same period); ``changes``: one row per change, in the order given, with the
    ``hours`` it moves in the complete weeks and a ``note`` when that is 0;
    ``in_progress_week``: the week in progress the figures leave out (or null).
    """
    return {
        "before": figures_to_json(figures(result.before)),
        "after": figures_to_json(figures(result.after)),
        "changes": [
            {
                "uid": e.uid,
                "title": e.title,
                "hours": _r2(e.hours),
                "what": e.what,
                "in_progress_hours": _r2(e.in_progress_hours),
                "note": e.note,
            }
            for e in result.effects
        ],
        "threshold": result.before.threshold,
        "basis": result.before.basis,
        "in_progress_week": result.in_progress_week,
    }
