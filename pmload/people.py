"""People and their sides: exact addresses or glob patterns from rules.toml.

A person key (lower-case address, or the CN when there is no address) has a
side when it equals an address listed under ``[people]`` or matches one of its
glob patterns (``fnmatch`` syntax, case-insensitive). Exact addresses win
over patterns; among patterns the first match in the order technical,
business, product wins. A key that matches nothing is unknown (None).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import translate
from typing import TYPE_CHECKING

from pmload.config import SIDES, Settings

if TYPE_CHECKING:
    from pmload.classify import Classified

_GLOB_CHARS = frozenset("*?[")


def is_pattern(text: str) -> bool:
    return any(c in _GLOB_CHARS for c in text)


class SideIndex:
    """Memoised person key -> side (technical | business | product | None)."""

    def __init__(self, people: Mapping[str, tuple[str, ...]]) -> None:
        self._exact: dict[str, str] = {}
        globs: list[tuple[re.Pattern[str], str]] = []
        for side in SIDES:
            for pattern in people.get(side, ()):
                p = pattern.strip().lower()
                if is_pattern(p):
                    globs.append((re.compile(translate(p), re.IGNORECASE), side))
                else:
                    self._exact.setdefault(p, side)
        self._globs = tuple(globs)
        self._memo: dict[str, str | None] = {}

    def side(self, key: str) -> str | None:
        try:
            return self._memo[key]
        except KeyError:
            pass
        k = key.strip().lower()
        found = self._exact.get(k)
        if found is None:
            for pattern, side in self._globs:
                if pattern.match(k):
                    found = side
                    break
        self._memo[key] = found
        return found

    def exact(self, key: str) -> str | None:
        """The side this exact address is listed under (patterns ignored)."""
        return self._exact.get(key.strip().lower())


# --- everyone met ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRow:
    key: str
    name: str | None
    side: str | None  # None when unknown
    hours: float
    count: int
    suggested: str | None  # a likely side for an unknown person, else None


SUGGEST_MIN_MEETINGS = 2
SUGGEST_MIN_SHARE = 2 / 3


def people_rows(counted: Iterable[Classified], settings: Settings) -> list[PersonRow]:
    """Everyone met in ``counted`` meetings: unknown people first, most hours first.

    A side is suggested for an unknown person when, in at least two of their
    meetings, every other known person is on one side, and that side holds at
    least two thirds of those meetings' hours ("co-attendance"); failing that,
    when every listed address of the same domain has one side.
    """
    index = SideIndex(settings.people)
    hours: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    vote_count: dict[str, int] = defaultdict(int)
    for c in counted:
        h = c.hours
        occ = c.occ
        for a in occ.attendees:
            if a.name and a.key in c.people:
                names[a.key] = a.name
        sides = {p: index.side(p) for p in c.people}
        for p in c.people:
            hours[p] += h
            count[p] += 1
            if sides[p] is not None:
                continue
            others = {s for q, s in sides.items() if q != p and s is not None}
            if len(others) == 1:
                votes[p][next(iter(others))] += h
                vote_count[p] += 1
    domain_sides = _domain_sides(settings)
    rows = []
    for key in hours:
        side = index.side(key)
        suggested = None
        if side is None:
            suggested = _suggest(votes.get(key), vote_count[key])
            if suggested is None and "@" in key:
                suggested = domain_sides.get(key.rsplit("@", 1)[1])
        rows.append(PersonRow(key, names.get(key), side, hours[key], count[key], suggested))
    rows.sort(key=lambda r: (r.side is not None, -r.hours, r.key))
    return rows


def _suggest(votes: Mapping[str, float] | None, n: int) -> str | None:
    if not votes or n < SUGGEST_MIN_MEETINGS:
        return None
    side, best = max(votes.items(), key=lambda kv: kv[1])
    total = sum(votes.values())
    return side if total > 0 and best / total >= SUGGEST_MIN_SHARE else None


def _domain_sides(settings: Settings) -> dict[str, str]:
    """Domains whose listed exact addresses (two or more) all share one side."""
    seen: dict[str, set[str]] = defaultdict(set)
    n: dict[str, int] = defaultdict(int)
    for side in SIDES:
        for p in settings.people.get(side, ()):
            if "@" in p and not is_pattern(p):
                domain = p.rsplit("@", 1)[1].lower()
                seen[domain].add(side)
                n[domain] += 1
    return {d: next(iter(s)) for d, s in seen.items() if len(s) == 1 and n[d] >= 2}
