"""All history classified in memory: what the CLI and the GUI both ask questions of.

``Analysis.load(conn, settings, zone)`` reads every stored occurrence and the
manual tags, classifies them, and indexes them by ISO week (user's zone; a
meeting belongs to the week of its start). Tagging and re-classifying after
the rules or people change update it in place.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pmload.audit import AuditResult, compute_audit
from pmload.classify import (
    UNCLASSIFIED,
    Classified,
    Classifier,
    Tag,
    Tags,
    load_tags,
    remove_tag,
    set_tag,
)
from pmload.config import Settings
from pmload.errors import PmloadError, UsageError
from pmload.model import Occurrence
from pmload.people import PersonRow, people_rows
from pmload.period import Period
from pmload.store import load_occurrences

log = logging.getLogger(__name__)


class UnknownOccurrence(PmloadError):
    """No stored occurrence has the id the user gave."""


@dataclass(frozen=True, slots=True)
class ReviewGroup:
    """Unclassified counted meetings of one series (UID), for the review queue."""

    uid: str
    title: str
    hours: float
    count: int
    first: datetime
    last: datetime
    people: tuple[str, ...]
    reason: str
    occurrence_ids: tuple[str, ...]


class Analysis:
    """Every occurrence classified, sorted by start, indexed by ISO week."""

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
        self._monday: list[date] = []
        for o in occurrences:
            d = o.start.astimezone(zone).date()
            self._monday.append(d - timedelta(days=d.weekday()))
        self.reclassify(settings)

    @classmethod
    def load(cls, conn: sqlite3.Connection, settings: Settings, zone: ZoneInfo) -> Analysis:
        occs = load_occurrences(conn, zone)
        return cls(conn, settings, zone, occs, load_tags(conn))

    # --- classification ----------------------------------------------------

    def reclassify(self, settings: Settings | None = None) -> None:
        """Classify all history again (after rules, people or tags change)."""
        if settings is not None:
            self.settings = settings
        self.classified = Classifier(self.settings, self.zone).classify_all(
            self.occurrences, self.tags
        )
        weeks: dict[date, list[Classified]] = defaultdict(list)
        totals: dict[date, list[float]] = {}
        for monday, c in zip(self._monday, self.classified, strict=True):
            weeks[monday].append(c)
            if c.excluded is None:
                t = totals.setdefault(monday, [0.0, 0.0])
                h = c.hours
                t[1] += h
                if c.category == "translation":
                    t[0] += h
        self._weeks: dict[date, list[Classified]] = dict(weeks)
        self._counted: dict[date, list[Classified]] = {
            m: [c for c in cs if c.excluded is None] for m, cs in weeks.items()
        }
        self._totals: dict[date, tuple[float, float]] = {m: (t, h) for m, (t, h) in totals.items()}

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

    def audit(self, period: Period) -> AuditResult:
        return compute_audit(period, self.counted_in_week, self._totals, self.settings, self.zone)

    @property
    def first_week(self) -> date | None:
        return min(self._weeks) if self._weeks else None

    @property
    def last_week(self) -> date | None:
        return max(self._weeks) if self._weeks else None

    def review_queue(self, period: Period | None = None) -> list[ReviewGroup]:
        """Unclassified counted meetings grouped by series, most hours first."""
        source = self.in_period(period, True) if period else self.classified
        groups: dict[str, list[Classified]] = defaultdict(list)
        for c in source:
            if c.category == UNCLASSIFIED:
                groups[c.occ.uid].append(c)
        out = []
        for uid, cs in groups.items():
            people: dict[str, None] = {}
            for c in cs:
                people.update(dict.fromkeys(c.people))
            out.append(
                ReviewGroup(
                    uid=uid,
                    title=cs[-1].occ.title,
                    hours=sum(c.hours for c in cs),
                    count=len(cs),
                    first=cs[0].occ.start,
                    last=cs[-1].occ.start,
                    people=tuple(people),
                    reason=cs[-1].reason or "",
                    occurrence_ids=tuple(c.occ.id for c in cs),
                )
            )
        out.sort(key=lambda g: (-g.hours, g.title.lower(), g.uid))
        return out

    def people(self, period: Period | None = None) -> list[PersonRow]:
        """Everyone met in counted meetings: side, hours, count and a suggested side."""
        source = self.in_period(period, True) if period else self.classified
        return people_rows([c for c in source if c.excluded is None], self.settings)

    # --- tags --------------------------------------------------------------

    def tag(self, occurrence_id: str, category: str, series: bool = False) -> Tag:
        """Tag one occurrence (or its series); writes the store, then re-classifies."""
        c = self.get(occurrence_id)
        if self.conn is None:
            raise PmloadError("this analysis has no database to write the tag to.")
        tag = set_tag(self.conn, c.occ, category, series=series)
        self.tags = load_tags(self.conn)
        self.reclassify()
        return tag

    def untag(self, occurrence_id: str, series: bool = False) -> bool:
        """Remove the tag on one occurrence (or its series); False when there was none."""
        c = self.get(occurrence_id)
        if self.conn is None:
            raise PmloadError("this analysis has no database to remove the tag from.")
        removed = remove_tag(self.conn, c.occ, series=series)
        if removed:
            self.tags = load_tags(self.conn)
            self.reclassify()
        return removed

    def series_count(self, uid: str) -> int:
        return sum(1 for o in self.occurrences if o.uid == uid)
