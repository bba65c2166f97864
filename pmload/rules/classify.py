"""Categories of meetings, with the reason behind each (DOMAIN.md, "Categories").

Rule order, first that applies wins:

1. a manual tag on this occurrence (rule ``tag``);
2. a manual tag on its series, same UID (rule ``series-tag``);
3. sole bridge -> translation (rule ``sole-bridge``): among the other people at
   least one technical and one business person, no product person, and at most
   ``max_bridge_attendees`` other people; unknown people neither help nor block;
4. title keyword rules, the user's before the defaults (rule ``keyword``);
5. every other person known and not both technical and business -> coordination
   (rule ``known-people``);
6. otherwise ``unclassified`` (rule None): it waits in the review queue.

Occurrences that do not count as meetings (see :mod:`pmload.rules.counting`) get
category None and reason None; ``excluded`` says why.

Tags live in the store's ``tags`` table keyed by (uid, start_key) so they
survive re-imports; start_key '' tags the whole series.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pmload.config import Settings, default_keyword_rules
from pmload.errors import UsageError
from pmload.model import TIME_UTC, Occurrence, start_key
from pmload.rules.counting import exclusion, other_people
from pmload.rules.keywords import KeywordMatcher
from pmload.rules.sides import SideGroups, SideIndex
from pmload.store import now_utc_iso, transaction
from pmload.vocab import ALL_CATEGORIES, CATEGORIES, Category, Exclusion, Rule, Side

log = logging.getLogger(__name__)

UNCLASSIFIED = Category.UNCLASSIFIED
__all__ = [
    "ALL_CATEGORIES",
    "CATEGORIES",
    "UNCLASSIFIED",
    "Classified",
    "Classifier",
    "Tag",
    "Tags",
]
_NAIVE_EPOCH = datetime(1970, 1, 1)
SIDES_ORDER = (Side.TECHNICAL, Side.BUSINESS, Side.PRODUCT)
# (category, reason, rule, people by side) of rules 3-6;
# (excluded, category, reason, rule, people, people by side) of a shape
_RuleResult = tuple[Category, str, Rule | None, SideGroups]
_Shape = tuple[
    Exclusion | None, Category | None, str | None, Rule | None, tuple[str, ...], SideGroups | None
]


@dataclass(frozen=True, slots=True)
class Classified:
    """One occurrence with its category and the reason for it."""

    occ: Occurrence
    excluded: Exclusion | None  # why it is not a meeting, else None
    category: Category | None  # None when not counted
    reason: str | None  # a sentence fragment for people, None when not counted
    rule: Rule | None  # which rule gave the category; None when unclassified or not counted
    people: tuple[str, ...]  # the other people's keys
    # The other people split by side as the rules saw them (None when not counted):
    # what pmload.rules.reasons writes a reason for people from.
    groups: SideGroups | None = None
    # The length in hours, worked out once: every audit sums it for every meeting of
    # every week, and a what-if audits the whole history twice.
    hours: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", (self.occ.end - self.occ.start).total_seconds() / 3600.0)

    @property
    def counted(self) -> bool:
        return self.excluded is None


# --- manual tags -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tag:
    uid: str
    start_key: str  # '' for the whole series
    category: Category
    tagged_at: str  # UTC ISO timestamp

    @property
    def series(self) -> bool:
        return self.start_key == ""

    @property
    def tagged_on(self) -> str:
        return self.tagged_at[:10]

    def tagged_on_in(self, zone: ZoneInfo | None) -> str:
        """The day the tag was made, in ``zone`` (UTC when None or unreadable)."""
        if zone is None:
            return self.tagged_on
        try:
            when = datetime.fromisoformat(self.tagged_at.replace("Z", "+00:00"))
        except ValueError:
            return self.tagged_on
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.astimezone(zone).date().isoformat()


@dataclass(frozen=True, slots=True)
class Tags:
    """All manual tags: by (uid, start_key) for occurrences, by uid for series."""

    occurrence: dict[tuple[str, str], Tag] = field(default_factory=dict)
    series: dict[str, Tag] = field(default_factory=dict)

    @property
    def uids_with_occurrence_tags(self) -> frozenset[str]:
        return frozenset(uid for uid, _ in self.occurrence)

    def __len__(self) -> int:
        return len(self.occurrence) + len(self.series)


def occurrence_start_key(occ: Occurrence) -> str:
    """The start_key the store used for ``occ`` (UTC instant, or wall clock when floating)."""
    if occ.time_kind == TIME_UTC or occ.start_local is None:
        return start_key(occ.time_kind, occ.start.timestamp())
    return start_key(occ.time_kind, (occ.start_local - _NAIVE_EPOCH).total_seconds())


def load_tags(conn: sqlite3.Connection) -> Tags:
    occ: dict[tuple[str, str], Tag] = {}
    series: dict[str, Tag] = {}
    for uid, key, category, tagged_at in conn.execute(
        "SELECT uid, start_key, category, tagged_at FROM tags"
    ):
        tag = Tag(uid, key, Category(category), tagged_at)
        if key == "":
            series[uid] = tag
        else:
            occ[(uid, key)] = tag
    return Tags(occ, series)


def _check_category(category: str) -> Category:
    if category not in CATEGORIES:
        raise UsageError(
            f"'{category}' is not a category (use translation, coordination or strategy)."
        )
    return Category(category)


def set_tag(
    conn: sqlite3.Connection,
    occ: Occurrence,
    category: str,
    *,
    series: bool = False,
    now: str | None = None,
) -> Tag:
    """Tag one occurrence (or its whole series) with ``category``; replaces an earlier tag."""
    tag = Tag(
        occ.uid,
        "" if series else occurrence_start_key(occ),
        _check_category(category),
        now or now_utc_iso(),
    )
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO tags (uid, start_key, category, tagged_at) VALUES (?,?,?,?)",
            (tag.uid, tag.start_key, tag.category, tag.tagged_at),
        )
    log.info(
        "tagged a%s as %s", " series" if series else "n occurrence", category
    )  # no UID: private
    return tag


def remove_tag(conn: sqlite3.Connection, occ: Occurrence, *, series: bool = False) -> bool:
    """Remove the tag on this occurrence (or its series); False when there was none."""
    key = "" if series else occurrence_start_key(occ)
    with transaction(conn):
        cur = conn.execute("DELETE FROM tags WHERE uid = ? AND start_key = ?", (occ.uid, key))
    return cur.rowcount > 0


# --- the rules ---------------------------------------------------------------


def _who(keys: Sequence[str]) -> str:
    return keys[0] if len(keys) == 1 else f"{keys[0]} +{len(keys) - 1}"


class Classifier:
    """The compiled rules for one Settings; reusable across calls (memoised)."""

    def __init__(self, settings: Settings, zone: ZoneInfo | None = None) -> None:
        self.settings = settings
        self.zone = zone  # the day a tag was made is shown in this zone
        self.me = settings.me_set
        self.sides = SideIndex(settings.people)
        self.keywords = KeywordMatcher(settings.rules, default_keyword_rules())
        self.max_bridge = settings.max_bridge_attendees
        self._rules_memo: dict[tuple[str, tuple[str, ...]], _RuleResult] = {}

    def by_rules(self, title: str, people: tuple[str, ...]) -> _RuleResult:
        """(category, reason, rule, people by side) from steps 3-6 for a counted meeting."""
        memo_key = (title, people)
        hit = self._rules_memo.get(memo_key)
        if hit is not None:
            return hit
        split = self.sides.group(people)
        tech, biz, prod, unknown = split.technical, split.business, split.product, split.unknown
        result: _RuleResult
        bridge_shape = bool(tech) and bool(biz)
        if bridge_shape and not prod and len(people) <= self.max_bridge:
            result = (
                Category.TRANSLATION,
                f"sole bridge between technical ({_who(tech)}) and business ({_who(biz)})",
                Rule.SOLE_BRIDGE,
                split,
            )
        elif (kw := self.keywords.match(title)) is not None:
            mine = " (your rule)" if kw.user_rule else ""
            result = (kw.category, f"title matches '{kw.keyword}'{mine}", Rule.KEYWORD, split)
        elif not unknown and not bridge_shape:
            present = [s for s in SIDES_ORDER if split.of(s)]
            result = (
                Category.COORDINATION,
                f"everyone is known and on one side of the bridge ({', '.join(present)})",
                Rule.KNOWN_PEOPLE,
                split,
            )
        elif unknown:
            result = (
                UNCLASSIFIED,
                f"no rule applies; unknown: {_who(unknown)}",
                None,
                split,
            )
        elif prod:
            result = (
                UNCLASSIFIED,
                f"technical and business people with another product person ({_who(prod)})",
                None,
                split,
            )
        else:
            result = (
                UNCLASSIFIED,
                f"technical and business people, but {len(people)} others "
                f"(more than {self.max_bridge})",
                None,
                split,
            )
        self._rules_memo[memo_key] = result
        return result

    def _shape(self, occ: Occurrence) -> _Shape:
        """(excluded, category, reason, rule, people, people by side) from counting and
        rules 3-6."""
        excluded = exclusion(occ, self.me)
        people = other_people(occ, self.me)
        if excluded is not None:
            return excluded, None, None, None, people, None
        category, reason, rule, groups = self.by_rules(occ.title, people)
        return None, category, reason, rule, people, groups

    def classify_all(self, occs: Iterable[Occurrence], tags: Tags) -> list[Classified]:
        tagged_uids = tags.uids_with_occurrence_tags
        series_tags = tags.series
        # Everything but tags depends only on these fields; a series repeats them, so
        # one lookup per occurrence does. ``id(attendees)``: the store shares one tuple
        # per distinct attendee list; keep_alive stops ids being reused meanwhile.
        memo: dict[
            tuple[str, str | None, str | None, str, str | None, int, str | None],
            _Shape,
        ] = {}
        keep_alive: list[object] = []
        out: list[Classified] = []
        append = out.append
        for occ in occs:
            key = (
                occ.title,
                occ.status,
                occ.transparency,
                occ.time_kind,
                occ.organizer,
                id(occ.attendees),
                occ.event_type,
            )
            shape = memo.get(key)
            if shape is None:
                shape = memo[key] = self._shape(occ)
                keep_alive.append(occ.attendees)
            excluded, category, reason, rule, people, groups = shape
            if excluded is None and (occ.uid in tagged_uids or occ.uid in series_tags):
                tag = None
                if occ.uid in tagged_uids:
                    tag = tags.occurrence.get((occ.uid, occurrence_start_key(occ)))
                if tag is not None:
                    category, reason, rule = (
                        tag.category,
                        f"tagged by you on {tag.tagged_on_in(self.zone)}",
                        Rule.TAG,
                    )
                elif (stag := series_tags.get(occ.uid)) is not None:
                    category, reason, rule = (
                        stag.category,
                        f"series tagged by you on {stag.tagged_on_in(self.zone)}",
                        Rule.SERIES_TAG,
                    )
            append(
                Classified(
                    occ=occ,
                    excluded=excluded,
                    category=category,
                    reason=reason,
                    rule=rule,
                    people=people,
                    groups=groups,
                )
            )
        return out


def classify_all(
    occs: Iterable[Occurrence],
    settings: Settings,
    tags: Tags | None = None,
    zone: ZoneInfo | None = None,
) -> list[Classified]:
    """Classify every occurrence (same order as given); tag days are shown in ``zone``."""
    return Classifier(settings, zone).classify_all(occs, tags or Tags())
