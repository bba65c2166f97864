"""Reasons written for people: what the app, the CLI and the brief show beside a category.

A classified meeting's ``reason`` (:mod:`pmload.rules.classify`) is the record the
JSON contracts carry, with addresses. :func:`reason_text` says the same in a line a
person reads at a glance, with first names::

    Only bridge: Omar (technical) and Marco, Dana (business)

and :func:`reason_detail` gives the full detail (names and addresses, side by side)
for a tooltip or a details pane. A first name is the first word of the attendee's
CN when the calendar gives one ("Haddad, Omar" gives Omar), else the first part of
the address ("sam.ortiz@labelco.test" gives Sam); two people of the same first name
in one list are told apart by their full names. At most three names are listed per
side, then "+N".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pmload.rules.classify import Classified
from pmload.vocab import Exclusion, Rule

MAX_NAMES = 3
_SEPARATORS = re.compile(r"[._\-+]+")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")

EXCLUSION_TEXT: dict[Exclusion, str] = {
    Exclusion.CANCELLED: "cancelled",
    Exclusion.DECLINED: "you declined it",
    Exclusion.FREE: "marked as free time",
    Exclusion.ALL_DAY: "an all-day event",
    Exclusion.SOLO: "no one else is invited",
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def local_part(key: str) -> str:
    """The part of an address before the @ (a key without one is returned as it is)."""
    return key.split("@", 1)[0] if "@" in key else key


def full_name(key: str, cn: str | None = None) -> str:
    """The person's CN when it is a name, else their address's local part as words."""
    if cn and "@" not in cn and cn.strip():
        return " ".join(cn.split())
    words = _SEPARATORS.split(local_part(key)) if "@" in key else key.split()
    return " ".join(_capital(w) for w in words if w) or key


def first_name(key: str, cn: str | None = None) -> str:
    """ "Omar" for CN "Omar Haddad" or "Haddad, Omar"; "Sam" for sam.ortiz@labelco.test."""
    if cn and "@" not in cn and cn.strip():
        name = _PARENTHESES.sub("", cn).strip() or cn.strip()
        if "," in name:
            name = name.split(",", 1)[1].strip() or name.split(",", 1)[0]
        return name.split()[0] if name.split() else name
    words = full_name(key).split()
    return words[0] if words else key


def attendee_names(c: Classified, names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Person key -> CN for the people of ``c``: ``names`` first, then the invitation's CNs."""
    found = {a.key: a.name for a in c.occ.attendees if a.name}
    if names:
        found.update({k: v for k, v in names.items() if k in c.people and v})
    return found


def names_text(keys: Sequence[str], names: Mapping[str, str] | None = None) -> str:
    """At most three first names, then "+N": "Marco, Dana +2"."""
    names = names or {}
    firsts = [first_name(k, names.get(k)) for k in keys]
    taken = [f.casefold() for f in firsts]
    shown = [
        full_name(k, names.get(k)) if taken.count(f.casefold()) > 1 else f
        for k, f in zip(keys, firsts, strict=True)
    ][:MAX_NAMES]
    more = len(keys) - len(shown)
    return ", ".join(shown) + (f" +{more}" if more > 0 else "")


def unknown_people(c: Classified) -> tuple[str, ...]:
    """The people of a counted meeting who have no side (what would settle it)."""
    return c.groups.unknown if c.groups is not None else ()


def reason_text(c: Classified, names: Mapping[str, str] | None = None) -> str:
    """Why ``c`` has its category (or is not counted), in one short line for people."""
    if c.excluded is not None:
        return f"Not counted: {EXCLUSION_TEXT.get(c.excluded, str(c.excluded))}"
    groups = c.groups
    if c.rule in (Rule.TAG, Rule.SERIES_TAG, Rule.KEYWORD) or groups is None:
        return _capital(c.reason or "")
    cn = attendee_names(c, names)
    if c.rule is Rule.SOLE_BRIDGE:
        return (
            f"Only bridge: {names_text(groups.technical, cn)} (technical) and "
            f"{names_text(groups.business, cn)} (business)"
        )
    if c.rule is Rule.KNOWN_PEOPLE:
        return _capital(c.reason or "")
    if groups.unknown:
        return f"No rule applies; unknown: {names_text(groups.unknown, cn)}"
    if groups.product and groups.technical and groups.business:
        return f"Technical and business people with another product person: {names_text(groups.product, cn)}"
    return _capital(c.reason or "")


def _person(key: str, cn: Mapping[str, str]) -> str:
    name = cn.get(key)
    return f"{full_name(key, name)} <{key}>" if name and "@" in key else key


def _detail_sentence(c: Classified) -> str:
    groups = c.groups
    if c.rule is Rule.SOLE_BRIDGE:
        return (
            "Sole bridge: technical and business people meet here with no other product "
            "person, so you are the one translating."
        )
    if c.rule is None and groups is not None and groups.unknown:
        return "No rule applies, and some people have no side yet: give them one in People."
    if c.rule is None and groups is not None and groups.product:
        return (
            "Technical and business people meet here with another product person, "
            "so you are not the only bridge."
        )
    return _capital(c.reason or "") + "."


def reason_detail(c: Classified, names: Mapping[str, str] | None = None) -> str:
    """The full reason: the rule's sentence, then everyone by side with their addresses."""
    if c.excluded is not None:
        return f"Not counted: {EXCLUSION_TEXT.get(c.excluded, str(c.excluded))}."
    groups = c.groups
    if groups is None:
        return _capital(c.reason or "") + "."
    lines = [_detail_sentence(c)]
    cn = attendee_names(c, names)
    for label, keys in (
        ("Technical", groups.technical),
        ("Business", groups.business),
        ("Product", groups.product),
        ("Unknown (no side yet)", groups.unknown),
    ):
        if keys:
            lines.append(f"{label}: " + ", ".join(_person(k, cn) for k in keys))
    return "\n".join(lines)
