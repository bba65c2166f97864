"""Everyone the user meets: hours, counts, sides and suggested sides (``pmload people``).

How a person's side is looked up lives in :mod:`pmload.rules.sides`.

A side is suggested for an unknown person, with the reason, from (first that
gives one):

1. co-attendance: in at least two of their meetings every other known person
   is on one side, and that side holds at least two thirds of those meetings'
   hours ("met mostly with technical people");
2. address hints (:func:`address_hint`): a word of the address's local part or
   of its subdomains (split at ``.``, ``-``, ``_`` and ``+``; the organisation's
   name and the top-level domain left out) names a side's kind of work, such as ``eng``, ``ml`` or ``data``
   (technical), ``sales``, ``cs``, ``legal`` or ``finance`` (business), ``pm``
   or ``product`` (product), and the words found point to one side only
   ("address has 'eng'");
3. the domain: every listed exact address (two or more) of the same domain has
   one side ("others listed at acme.test are business").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pmload.config import Settings
from pmload.rules.classify import Classified
from pmload.rules.sides import SideIndex, is_pattern
from pmload.vocab import SIDES, Side


@dataclass(frozen=True, slots=True)
class PersonRow:
    key: str
    name: str | None
    side: str | None  # None when unknown
    hours: float
    count: int
    suggested: str | None  # a likely side for an unknown person, else None
    suggested_why: str | None = None  # why that side ("address has 'eng'"), else None


SUGGEST_MIN_MEETINGS = 2
SUGGEST_MIN_SHARE = 2 / 3
# Words of an address that name a side's kind of work (see the module docstring).
_HINT_WORDS = {
    Side.TECHNICAL: "eng engineering engineer dev devs developer ml ai data ds datascience "
    "research platform infra sre backend frontend tech labs",
    Side.BUSINESS: "sales cs success legal finance fin marketing mkt revenue bizdev bd "
    "partners partnerships support accounts procurement hr",
    Side.PRODUCT: "pm pms product",
}
ADDRESS_HINTS: dict[str, Side] = {w: side for side, ws in _HINT_WORDS.items() for w in ws.split()}
_WORD_SPLIT = re.compile(r"[.\-_+]+")


def address_hint(key: str) -> tuple[Side, str] | None:
    """The side the words of address ``key`` point to, with the reason, or None.

    "priya.ml@northwind.test" -> (technical, "address has 'ml'"); a key whose hint
    words point to more than one side, or with no hint word, gives None.
    """
    if "@" not in key:
        return None
    local, domain = key.strip().lower().rsplit("@", 1)
    labels = domain.split(".")[:-2]  # the subdomains: not the organisation's name nor the TLD
    words = [w for part in (local, *labels) for w in _WORD_SPLIT.split(part) if w]
    found = [(w, ADDRESS_HINTS[w]) for w in words if w in ADDRESS_HINTS]
    sides = {side for _, side in found}
    if len(sides) != 1:
        return None
    return found[0][1], f"address has '{found[0][0]}'"


def people_rows(counted: Iterable[Classified], settings: Settings) -> list[PersonRow]:
    """Everyone met in ``counted`` meetings: unknown people first, most hours first.

    An unknown person gets a suggested side and its reason as the module says:
    co-attendance, then address hints, then the domain's listed addresses.
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
        suggested, why = None, None
        if side is None:
            suggested, why = _suggestion(key, votes.get(key), vote_count[key], domain_sides)
        rows.append(
            PersonRow(
                key=key,
                name=names.get(key),
                side=side,
                hours=hours[key],
                count=count[key],
                suggested=suggested,
                suggested_why=why,
            )
        )
    rows.sort(key=lambda r: (r.side is not None, -r.hours, r.key))
    return rows


def _suggestion(
    key: str, votes: Mapping[str, float] | None, n: int, domain_sides: Mapping[str, str]
) -> tuple[str | None, str | None]:
    by_votes = _suggest(votes, n)
    if by_votes is not None:
        return by_votes, f"met mostly with {by_votes} people"
    hint = address_hint(key)
    if hint is not None:
        return str(hint[0]), hint[1]
    if "@" in key:
        domain = key.rsplit("@", 1)[1]
        side = domain_sides.get(domain)
        if side is not None:
            return side, f"others listed at {domain} are {side}"
    return None, None


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
