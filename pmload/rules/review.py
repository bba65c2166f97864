"""The review queue: unclassified meetings grouped so that one decision clears many.

A recurring series (one UID, many occurrences) is one group, as before. One-off
meetings (a UID with a single occurrence) that share a normalised title and the
same other people are one group too: "Lunch & learn: prompt evals" held six times
as six separate invitations is one row, not six. A title is normalised by case
folding, removing dates and digits, and collapsing white space
(:func:`normalise_title`).

A group can also become a keyword rule: :func:`keyword_for` finds the longest run
of the title's words that every meeting of the group matches, and
:func:`keyword_rule_effect` says how many meetings such a rule would re-classify
before the user agrees to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from pmload.config import KeywordRule, Settings
from pmload.rules.classify import UNCLASSIFIED, Classified, Classifier, Tags
from pmload.rules.keywords import keyword_pattern
from pmload.rules.reasons import unknown_people
from pmload.vocab import Category

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"(?<![^\W_])(?:\d{{1,4}}[-/.]\d{{1,2}}(?:[-/.]\d{{1,4}})?"
    rf"|{_DAY}\s+{_MONTH}(?:\s+\d{{4}})?"
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?)(?![^\W_])",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_EDGES = " \t-–—:;,.#/|·&+()[]"
MIN_KEYWORD_LETTERS = 3


def normalise_title(title: str) -> str:
    """ "Interview 3 – Acme (12 Mar)" and "interview 4 – Acme (2 Apr)" both give
    "interview – acme": case folded, dates and digits removed, white space collapsed."""
    text = _DIGITS.sub("", _DATE.sub(" ", title.casefold()))
    text = text.replace("()", " ").replace("[]", " ")
    return " ".join(text.split()).strip(_EDGES)


@dataclass(frozen=True, slots=True)
class ReviewGroup:
    """Unclassified counted meetings of one series (UID), or one-off meetings alike.

    ``uid`` is the series' UID (for one-offs, the latest meeting's); ``uids`` are
    all of them, in order of first meeting. ``latest`` is the latest meeting,
    whose reason the group shows.
    """

    uid: str
    title: str
    hours: float
    count: int
    first: datetime
    last: datetime
    people: tuple[str, ...]
    reason: str
    occurrence_ids: tuple[str, ...]
    uids: tuple[str, ...]
    one_offs: bool
    latest: Classified

    @property
    def unknown(self) -> tuple[str, ...]:
        """People of the latest meeting without a side: giving them one may settle it."""
        return unknown_people(self.latest)


def _group(cs: Sequence[Classified], one_offs: bool) -> ReviewGroup:
    people: dict[str, None] = {}
    for c in cs:
        people.update(dict.fromkeys(c.people))
    latest = cs[-1]
    return ReviewGroup(
        uid=latest.occ.uid,
        title=latest.occ.title,
        hours=sum(c.hours for c in cs),
        count=len(cs),
        first=cs[0].occ.start,
        last=latest.occ.start,
        people=tuple(people),
        reason=latest.reason or "",
        occurrence_ids=tuple(c.occ.id for c in cs),
        uids=tuple(dict.fromkeys(c.occ.uid for c in cs)),
        one_offs=one_offs,
        latest=latest,
    )


def review_groups(
    classified: Iterable[Classified], is_one_off: Callable[[str], bool]
) -> list[ReviewGroup]:
    """Unclassified counted meetings (in start order) grouped, most hours first.

    ``is_one_off(uid)`` says whether the UID has a single occurrence in all history.
    """
    by_uid: dict[str, list[Classified]] = defaultdict(list)
    alike: dict[tuple[str, frozenset[str]], list[Classified]] = defaultdict(list)
    for c in classified:
        if c.category != UNCLASSIFIED:
            continue
        if is_one_off(c.occ.uid):
            alike[(normalise_title(c.occ.title), frozenset(c.people))].append(c)
        else:
            by_uid[c.occ.uid].append(c)
    out = [_group(cs, one_offs=False) for cs in by_uid.values()]
    out += [_group(cs, one_offs=True) for cs in alike.values()]
    out.sort(key=lambda g: (-g.hours, g.title.lower(), g.uid))
    return out


def keyword_for(titles: Sequence[str]) -> str | None:
    """The longest run of words of the first title that every title matches as a keyword
    (DOMAIN.md's keyword rule), or None when there is none with a few letters."""
    if not titles:
        return None
    words = normalise_title(titles[0]).split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            keyword = " ".join(words[start : start + size]).strip(_EDGES)
            if sum(ch.isalpha() for ch in keyword) < MIN_KEYWORD_LETTERS:
                continue
            pattern = re.compile(keyword_pattern(keyword), re.IGNORECASE)
            if all(pattern.search(t) for t in titles):
                return keyword
    return None


@dataclass(frozen=True, slots=True)
class RuleEffect:
    """What a new keyword rule would change, counted over all history."""

    meetings: int  # counted meetings whose category would change
    unclassified: int  # of which now wait in the review queue
    hours: float


def with_keyword_rule(settings: Settings, keyword: str, category: Category) -> Settings:
    """``settings`` with one more user keyword rule, after the user's own."""
    return replace(settings, rules=(*settings.rules, KeywordRule(category, (keyword,))))


def keyword_rule_effect(
    classified: Sequence[Classified],
    tags: Tags,
    settings: Settings,
    zone: ZoneInfo,
    keyword: str,
    category: Category,
) -> RuleEffect:
    """How many counted meetings a rule ``keyword`` -> ``category`` would re-classify.

    Only meetings whose title matches the keyword can change; those are classified
    again under the new rules (tags still come first) and compared.
    """
    pattern = re.compile(keyword_pattern(keyword), re.IGNORECASE)
    candidates = [c for c in classified if c.excluded is None and pattern.search(c.occ.title)]
    fresh = Classifier(with_keyword_rule(settings, keyword, category), zone).classify_all(
        [c.occ for c in candidates], tags
    )
    changed = [
        old for old, new in zip(candidates, fresh, strict=True) if new.category != old.category
    ]
    return RuleEffect(
        meetings=len(changed),
        unclassified=sum(1 for c in changed if c.category == UNCLASSIFIED),
        hours=sum(c.hours for c in changed),
    )
