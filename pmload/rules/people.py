"""Everyone the user meets: hours, counts, sides and suggested sides (``pmload people``).

How a person's side is looked up lives in :mod:`pmload.rules.sides`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pmload.config import Settings
from pmload.rules.classify import Classified
from pmload.rules.sides import SideIndex, is_pattern
from pmload.vocab import SIDES


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
        rows.append(
            PersonRow(
                key=key,
                name=names.get(key),
                side=side,
                hours=hours[key],
                count=count[key],
                suggested=suggested,
            )
        )
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
