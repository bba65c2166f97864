"""All history classified in memory: what the CLI and the GUI both ask questions of.

``Analysis.load(conn, settings, zone)`` reads every stored occurrence and the
manual tags, classifies them, and indexes them by ISO week (user's zone; a
meeting belongs to the week of its start). Tagging and re-classifying after
the rules or people change either update it in place (``tag``, ``untag``,
``reclassify``: one CLI command owns it) or return a re-classified copy that
shares the immutable occurrences and indexes (``reclassified``, ``retagged``:
the app builds the copy off the GUI thread and swaps it in, so nothing a view
or a background job is reading ever changes). ``revised`` is the what-if's
copy: some series changed or dropped, the rest shared.

For navigation, :attr:`Analysis.first_week` and :attr:`Analysis.last_week` are
the first and last weeks with calendar data (any occurrence, counted or not),
:meth:`Analysis.current_week` the week in progress and
:meth:`Analysis.latest_complete_week` the last complete week with data;
:meth:`Analysis.has_data` tells a week without any calendar data ("No calendar
data for this week") from a week with 0 meetings.
"""

from __future__ import annotations

import copy
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from pmload.config import Settings
from pmload.errors import PmloadError, UsageError
from pmload.model import Occurrence
from pmload.period import Period, monday_of, today_in
from pmload.rules.audit import AuditResult, compute_audit
from pmload.rules.classify import (
    Classified,
    Classifier,
    Tag,
    Tags,
    load_tags,
    remove_tag,
    set_tag,
)
from pmload.rules.people import PersonRow, people_rows
from pmload.rules.review import ReviewGroup, RuleEffect, keyword_rule_effect, review_groups
from pmload.store import load_occurrences
from pmload.vocab import Category

log = logging.getLogger(__name__)
__all__ = ["Analysis", "ReviewGroup", "UnknownOccurrence"]


class UnknownOccurrence(PmloadError):
    """No stored occurrence has the id the user gave."""


class Analysis:
    """Every occurrence classified, sorted by start, indexed by ISO week."""

    complete = True
    """All history is here (a :class:`~pmload.rules.first_screen.WeekWindow` has some weeks)."""

    def __init__(
        self,
        conn: sqlite3.Connection | None,
        settings: Settings,
        zone: ZoneInfo,
        occurrences: list[Occurrence],
        tags: Tags | None = None,
    ) -> None:
        self.conn = conn
        self.zone = zone
        self.settings = settings
        self.occurrences = occurrences
        self.tags = tags or Tags()
        self.classified: list[Classified] = []
        self._by_id: dict[str, int] = {o.id: i for i, o in enumerate(occurrences)}
        self._by_uid: dict[str, list[int]] = defaultdict(list)
        self._week_index: dict[date, list[int]] = defaultdict(list)
        self._monday: list[date] = []
        for i, o in enumerate(occurrences):
            d = o.start.astimezone(zone).date()
            monday = monday_of(d)
            self._monday.append(monday)
            self._by_uid[o.uid].append(i)
            self._week_index[monday].append(i)
        self._weeks: dict[date, list[Classified]] = {}
        self._counted: dict[date, list[Classified]] = {}
        self._totals: dict[date, tuple[float, float]] = {}
        self._classifier = Classifier(settings, zone)
        self.reclassify(settings)

    @classmethod
    def load(cls, conn: sqlite3.Connection, settings: Settings, zone: ZoneInfo) -> Analysis:
        occs = load_occurrences(conn, zone)
        return cls(conn, settings, zone, occs, load_tags(conn))

    # --- classification ----------------------------------------------------

    def reclassify(self, settings: Settings | None = None) -> None:
        """Classify all history again (after rules, people or tags change)."""
        if settings is not None and settings != self.settings:
            self.settings = settings
            self._classifier = Classifier(settings, self.zone)
        self.classified = self._classifier.classify_all(self.occurrences, self.tags)
        self._index_weeks(self._week_index)

    def reclassified(self, settings: Settings) -> Analysis:
        """A copy classified under ``settings``; this analysis is left unchanged."""
        new = self._copy()
        new.settings = settings
        new._classifier = Classifier(settings, self.zone)
        new.classified = new._classifier.classify_all(new.occurrences, new.tags)
        new._weeks, new._counted, new._totals = {}, {}, {}
        new._index_weeks(new._week_index)
        return new

    def retagged(self, tags: Tags, uids: Iterable[str]) -> Analysis:
        """A copy with ``tags``, where only the series ``uids`` are classified again."""
        new = self._copy()
        new.tags = tags
        for uid in set(uids):
            new._reclassify_series(uid)
        return new

    def revised(self, revise: Mapping[str, Callable[[Classified], Classified | None]]) -> Analysis:
        """A copy where each occurrence of a series ``uid`` in ``revise`` is ``revise[uid](c)``.

        When that returns None the occurrence no longer counts as a meeting (it stays
        calendar data, so its week still has data). This analysis is left unchanged;
        the copy shares the occurrences and indexes, as :meth:`reclassified` does.
        It is made for the what-if (:mod:`pmload.rules.whatif`) and answers audits:
        its meeting lists (``classified``, :meth:`week_meetings`) still show the
        dropped occurrences, and re-classifying it forgets the revision.
        """
        new = self._copy()
        weeks: set[date] = set()
        dropped: set[int] = set()
        for uid, change in revise.items():
            for i in self._by_uid.get(uid, ()):
                fresh = change(new.classified[i])
                if fresh is None:
                    dropped.add(i)
                else:
                    new.classified[i] = fresh
                weeks.add(self._monday[i])
        new._index_weeks({m: self._week_index[m] for m in weeks}, dropped)
        return new

    def series(self, uid: str) -> list[tuple[date, Classified]]:
        """Every occurrence of the series ``uid`` (counted or not) with its week's Monday,
        by start; empty when no stored occurrence has that UID."""
        return [(self._monday[i], self.classified[i]) for i in self._by_uid.get(uid, ())]

    def _copy(self) -> Analysis:
        """A shallow copy owning what re-classifying changes (the classified list and the
        per-week tables); the occurrences and the indexes built in __init__ are shared,
        since nothing changes them after construction."""
        new = copy.copy(self)
        new.classified = list(self.classified)
        new._weeks = dict(self._weeks)
        new._counted = dict(self._counted)
        new._totals = dict(self._totals)
        return new

    def tags_changed(self, uids: Iterable[str]) -> None:
        """Tags of these series were written to the store: reload them, re-classify the series."""
        if self.conn is not None:
            self.tags = load_tags(self.conn)
        for uid in set(uids):
            self._reclassify_series(uid)

    def _reclassify_series(self, uid: str) -> None:
        """After a tag change: classify again only the occurrences of ``uid``."""
        indices = self._by_uid.get(uid, [])
        fresh = self._classifier.classify_all([self.occurrences[i] for i in indices], self.tags)
        for i, c in zip(indices, fresh, strict=True):
            self.classified[i] = c
        weeks = {self._monday[i] for i in indices}
        self._index_weeks({m: self._week_index[m] for m in weeks})

    def _index_weeks(
        self, week_index: dict[date, list[int]], dropped: Collection[int] = ()
    ) -> None:
        """Rebuild the per-week lists and (translation, meeting) hour totals of these weeks;
        the occurrences at ``dropped`` indices do not count."""
        for monday, indices in week_index.items():
            week = [self.classified[i] for i in indices]
            if dropped:
                counted = [
                    c
                    for i, c in zip(indices, week, strict=True)
                    if c.excluded is None and i not in dropped
                ]
            else:
                counted = [c for c in week if c.excluded is None]
            self._weeks[monday] = week
            self._counted[monday] = counted
            if counted:
                hours = sum(c.hours for c in counted)
                translation = sum(c.hours for c in counted if c.category is Category.TRANSLATION)
                self._totals[monday] = (translation, hours)
            else:
                self._totals.pop(monday, None)

    def get(self, occurrence_id: str) -> Classified:
        i = self._by_id.get(occurrence_id.strip().lower())
        if i is None:
            raise UnknownOccurrence(
                f"no meeting has the id '{occurrence_id}'; `pmload meetings` lists the ids."
            )
        return self.classified[i]

    # --- questions ---------------------------------------------------------

    def week_meetings(self, iso_year: int, iso_week: int) -> list[Classified]:
        """Every occurrence (counted or not) starting in that ISO week, by start."""
        try:
            monday = date.fromisocalendar(iso_year, iso_week, 1)
        except ValueError:
            raise UsageError(f"{iso_year} has no ISO week {iso_week}.") from None
        return list(self._weeks.get(monday, ()))

    def in_period(self, period: Period, counted_only: bool = False) -> list[Classified]:
        source = self._counted if counted_only else self._weeks
        out: list[Classified] = []
        for monday in period.weeks():
            out.extend(source.get(monday, ()))
        return out

    def counted_in_week(self, monday: date) -> list[Classified]:
        return self._counted.get(monday, [])

    def audit(
        self, period: Period, today: date | None = None, *, load_figures: bool = True
    ) -> AuditResult:
        """The audit of ``period`` as of ``today`` (default: today in the user's zone).

        ``today`` decides which weeks are complete, in progress or scheduled; without
        ``load_figures`` the weeks' load figures are not computed (the what-if).
        """
        return compute_audit(
            period,
            self.counted_in_week,
            self._totals,
            self.settings,
            self.zone,
            today=today if today is not None else today_in(self.zone),
            has_data=self.has_data,
            load_figures=load_figures,
        )

    def has_data(self, monday: date) -> bool:
        """Whether any occurrence (counted or not) starts in the week of ``monday``."""
        return bool(self._weeks.get(monday))

    @property
    def first_week(self) -> date | None:
        """The Monday of the first week with calendar data (None without data)."""
        return min(self._weeks) if self._weeks else None

    @property
    def last_week(self) -> date | None:
        """The Monday of the last week with calendar data (it may be scheduled)."""
        return max(self._weeks) if self._weeks else None

    @property
    def meeting_count(self) -> int:
        """How many occurrences in all history count as meetings."""
        return sum(1 for c in self.classified if c.excluded is None)

    def current_week(self, today: date | None = None) -> date:
        """The Monday of the week in progress (the ISO week containing today, user's zone)."""
        return monday_of(today if today is not None else today_in(self.zone))

    def latest_complete_week(self, today: date | None = None) -> date | None:
        """The Monday of the last complete week with calendar data (None when there is none)."""
        current = self.current_week(today)
        past = [m for m, week in self._weeks.items() if m < current and week]
        return max(past) if past else None

    def review_queue(self, period: Period | None = None) -> list[ReviewGroup]:
        """Unclassified counted meetings grouped by series, and one-off meetings alike by
        title and people (:mod:`pmload.rules.review`), most hours first."""
        source = self.in_period(period, True) if period else self.classified
        return review_groups(source, lambda uid: len(self._by_uid.get(uid, ())) == 1)

    def keyword_rule_effect(self, keyword: str, category: Category) -> RuleEffect:
        """What adding the keyword rule ``keyword`` -> ``category`` would re-classify."""
        return keyword_rule_effect(
            self.classified, self.tags, self.settings, self.zone, keyword, category
        )

    def people(
        self, period: Period | None = None, suggest_from_history: bool = False
    ) -> list[PersonRow]:
        """Everyone met in counted meetings: side, hours, count and a suggested side.

        With ``suggest_from_history``, the hours and counts are the period's but the
        suggested sides (and why) come from all history, where there are more
        meetings to go by (the Friday review's week)."""
        source = self.in_period(period, True) if period else self.classified
        rows = people_rows([c for c in source if c.excluded is None], self.settings)
        if not suggest_from_history or period is None:
            return rows
        everyone = {r.key: r for r in self.people()}
        return [
            replace(
                r, suggested=everyone[r.key].suggested, suggested_why=everyone[r.key].suggested_why
            )
            if r.key in everyone
            else r
            for r in rows
        ]

    # --- tags --------------------------------------------------------------

    def tag(self, occurrence_id: str, category: str, series: bool = False) -> Tag:
        """Tag one occurrence (or its series); writes the store, then re-classifies."""
        c = self.get(occurrence_id)
        if self.conn is None:
            raise PmloadError("this analysis has no database to write the tag to.")
        tag = set_tag(self.conn, c.occ, category, series=series)
        self.tags_changed([c.occ.uid])
        return tag

    def untag(self, occurrence_id: str, series: bool = False) -> bool:
        """Remove the tag on one occurrence (or its series); False when there was none."""
        c = self.get(occurrence_id)
        if self.conn is None:
            raise PmloadError("this analysis has no database to remove the tag from.")
        removed = remove_tag(self.conn, c.occ, series=series)
        if removed:
            self.tags_changed([c.occ.uid])
        return removed

    def series_count(self, uid: str) -> int:
        return sum(1 for o in self.occurrences if o.uid == uid)
